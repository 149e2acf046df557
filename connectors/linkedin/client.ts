// LinkedInClient: an image upload and a post through the Posts API, with plain fetch (no maintained npm client).
import { type Logger, silentLogger } from '../../src/log.ts';
import { ServiceError, ServicePolicy, type ServicePolicyOptions } from '../core/index.ts';
import type { LinkedInConfig } from './config.ts';
import { classifyLinkedIn, describeLinkedIn, LinkedInFailure } from './failures.ts';
import { escapeLittleText } from './little-text.ts';
import { InitializeUploadSchema, PostPageSchema, PostUrnSchema, parse, UserInfoSchema } from './schemas.ts';

export const LINKEDIN_API = 'https://api.linkedin.com';
/** LinkedIn's limit on a post's commentary (the escaped little text), in characters. */
export const MAX_COMMENTARY = 3000;

export interface LinkedInClientOptions extends LinkedInConfig {
  log?: Logger;
  /** How long one request may take (default 30 s; an image upload gets twice that). */
  timeoutMs?: number;
  /** Retry and breaker tuning (tests pass small delays). */
  policy?: Partial<
    Pick<ServicePolicyOptions, 'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs'>
  >;
}

/** A post LinkedIn holds: `duplicate` when LinkedIn answered DUPLICATE_POST and named an earlier post with the same text. */
export interface PublishedPost {
  urn: string;
  duplicate: boolean;
}

export interface TokenCheck {
  /** The member the token belongs to (`sub`), when the token has the openid scope to say so. */
  member?: { sub: string; name?: string; urn: string };
  /** False when LINKEDIN_AUTHOR is a person other than the token's member (posts would be refused). */
  authorMatches: boolean | undefined;
}

/**
 * One per LinkedIn token. Every request goes through one ServicePolicy ('linkedin': 60 requests per
 * minute, retries on 5xx, timeouts and dropped connections, a breaker). Failures are typed:
 * LinkedInTokenError (401: renew LINKEDIN_ACCESS_TOKEN), LinkedInVersionError (426: LINKEDIN_VERSION),
 * AuthError (403), ServiceError otherwise. The token never appears in logs or errors.
 */
export class LinkedInClient {
  readonly #config: LinkedInConfig;
  readonly #policy: ServicePolicy;
  readonly #timeoutMs: number;
  readonly #log: Logger;

  constructor(options: LinkedInClientOptions) {
    this.#config = { accessToken: options.accessToken, author: options.author, version: options.version };
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#log = (options.log ?? silentLogger).child({ service: 'linkedin' });
    this.#policy = new ServicePolicy({
      service: 'linkedin',
      limits: { request: { limit: 60, intervalMs: 60_000 } },
      classify: classifyLinkedIn,
      describe: (err, operation) => describeLinkedIn(err, operation, this.#config.version),
      maxAttempts: 4,
      ...options.policy,
      log: this.#log,
    });
  }

  get author(): string {
    return this.#config.author;
  }

  /** True while LinkedIn keeps failing and calls are paused. */
  get paused(): boolean {
    return this.#policy.paused;
  }

  /**
   * For `baton doctor`: the token is accepted (GET /v2/userinfo) and LINKEDIN_VERSION is served (a
   * read of an image that does not exist: LinkedIn checks the version before anything else, so 404
   * means the version is fine). Nothing is posted.
   * @throws LinkedInTokenError, LinkedInVersionError, ServiceError
   */
  async checkToken(): Promise<TokenCheck> {
    let member: TokenCheck['member'];
    try {
      const info = parse(
        UserInfoSchema,
        await this.#json('GET', '/v2/userinfo', 'read the token’s member'),
        'userinfo',
      );
      member = { sub: info.sub, urn: `urn:li:person:${info.sub}`, ...(info.name ? { name: info.name } : {}) };
    } catch (err) {
      // 403: a token without the openid scope; it may still post, so go on to the version check.
      if (!(err instanceof ServiceError) || err.status !== 403) throw err;
    }
    try {
      await this.#json(
        'GET',
        `/rest/images/${encodeURIComponent('urn:li:image:BatonVersionCheck')}`,
        'check LINKEDIN_VERSION',
      );
    } catch (err) {
      if (!(err instanceof ServiceError) || (err.status !== 404 && err.status !== 403)) throw err;
    }
    const author = this.#config.author;
    const authorMatches = member && author.startsWith('urn:li:person:') ? author === member.urn : undefined;
    return { ...(member ? { member } : {}), authorMatches };
  }

  /**
   * Uploads an image (PNG, JPEG or GIF bytes) owned by LINKEDIN_AUTHOR: initializeUpload, then the PUT
   * of the bytes. Retried as a whole on a transient failure (an unused upload is harmless).
   * @returns the image URN for `createPost`
   */
  async uploadImage(bytes: Uint8Array, options: { mediaType?: string } = {}): Promise<string> {
    const init = parse(
      InitializeUploadSchema,
      await this.#json('POST', '/rest/images?action=initializeUpload', 'start an image upload', {
        initializeUploadRequest: { owner: this.#config.author },
      }),
      'initializeUpload',
    );
    const { uploadUrl, image } = init.value;
    await this.#policy.call('upload an image', async () => {
      const response = await fetch(uploadUrl, {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${this.#config.accessToken}`,
          'Content-Type': options.mediaType ?? 'application/octet-stream',
        },
        body: bytes,
        signal: AbortSignal.timeout(this.#timeoutMs * 2),
      });
      if (!response.ok) throw await LinkedInFailure.from(response);
      await response.arrayBuffer(); // read, not cancelled: an empty body; a cancel can hang behind a proxying fetch (the sandbox bridge)
    });
    this.#log.debug({ image }, 'image uploaded');
    return image;
  }

  /**
   * Publishes a post by LINKEDIN_AUTHOR (PUBLIC, main feed). `text` is plain text: it is escaped for
   * LinkedIn's little-text format here, so it shows exactly as written. A retry after a lost answer,
   * or a second call after a crash, gets 422 DUPLICATE_POST naming the post already made: that is
   * returned as `{ urn, duplicate: true }` instead of an error.
   * @returns the post's URN (from `x-restli-id`)
   * @throws ServiceError when the escaped text exceeds 3,000 characters; the typed errors above.
   */
  async createPost(input: { text: string; imageUrn?: string }): Promise<PublishedPost> {
    const commentary = escapeLittleText(input.text);
    if (commentary.length > MAX_COMMENTARY) {
      throw new ServiceError(
        'linkedin',
        `The post is ${commentary.length} characters as LinkedIn counts them`,
        {
          hint: `LinkedIn accepts at most ${MAX_COMMENTARY} (each reserved character such as ( or # counts twice once escaped); shorten it`,
        },
      );
    }
    const body = {
      author: this.#config.author,
      commentary,
      visibility: 'PUBLIC',
      distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
      ...(input.imageUrn ? { content: { media: { id: input.imageUrn } } } : {}),
    };
    return this.#policy.call('publish a post', async () => {
      const response = await this.#send('POST', '/rest/posts', body);
      if (response.status === 201) {
        await response.arrayBuffer(); // read, not cancelled: an empty body; a cancel can hang behind a proxying fetch (the sandbox bridge)
        const urn = response.headers.get('x-restli-id') ?? response.headers.get('x-linkedin-id');
        return { urn: parse(PostUrnSchema, urn, 'publish a post (x-restli-id)'), duplicate: false };
      }
      const failure = await LinkedInFailure.from(response);
      const existing = failure.duplicateOf;
      if (existing) {
        this.#log.info(
          { post: existing },
          'LinkedIn already has this post (DUPLICATE_POST): not posted again',
        );
        return { urn: existing, duplicate: true };
      }
      throw failure;
    });
  }

  /**
   * Looks for a post by LINKEDIN_AUTHOR with exactly this text among its `recent` newest posts (after
   * a crash between the Posts API call and the journal). LinkedIn only lets tokens with
   * r_member_social (restricted to approved partners) or r_organization_social read posts by author:
   * without it the answer is `{ supported: false }` and DUPLICATE_POST is the only safeguard left.
   */
  async findPost(input: { text: string; recent?: number }): Promise<{ supported: boolean; urn?: string }> {
    const commentary = escapeLittleText(input.text);
    const query = `q=author&author=${encodeURIComponent(this.#config.author)}&count=${input.recent ?? 20}&sortBy=LAST_MODIFIED`;
    let page: unknown;
    try {
      page = await this.#json('GET', `/rest/posts?${query}`, 'look up recent posts');
    } catch (err) {
      if (err instanceof ServiceError && err.status === 403) return { supported: false };
      throw err;
    }
    const found = parse(PostPageSchema, page, 'find posts').elements.find((p) => p.commentary === commentary);
    return found ? { supported: true, urn: found.id } : { supported: true };
  }

  async #json(method: string, path: string, operation: string, body?: unknown): Promise<unknown> {
    return this.#policy.call(operation, async () => {
      const response = await this.#send(method, path, body);
      if (!response.ok) throw await LinkedInFailure.from(response);
      return response.json();
    });
  }

  #send(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${LINKEDIN_API}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.#config.accessToken}`,
        'LinkedIn-Version': this.#config.version,
        'X-Restli-Protocol-Version': '2.0.0',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
  }
}
