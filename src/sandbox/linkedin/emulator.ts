// Emulates LinkedIn's publishing API (api.linkedin.com/rest, Rest.li 2.0.0) for Baton's plain-fetch client.
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import { droppedConnection, Emulator, LostResponses } from '../kit/index.ts';
import {
  createPost,
  findPostsByAuthor,
  getImage,
  getPost,
  initializeUpload,
  LINKEDIN_API,
  LINKEDIN_UPLOADS,
  type RouteContext,
  uploadImage,
  userinfo,
} from './routes.ts';
import { LinkedInState, newSub, type PostRecord, type TokenRecord } from './state.ts';
import {
  badRequest,
  LinkedInApiError,
  notFound,
  tokenError,
  versionMissing,
  versionNotActive,
} from './wire.ts';

export interface LinkedInEmulatorOptions {
  clock?: Clock;
  /** Posts one member may create per day (LinkedIn does not publish it; 429 beyond). Default 150. */
  postsPerDay?: number;
  /** How long the same text by the same author counts as a duplicate (LinkedIn does not publish it). Default: forever. */
  duplicateWindowMs?: number;
  /**
   * The LinkedIn-Version months served (default: 202512…202612, LinkedIn's as of 2026-12; 202510 and
   * 202511 are sunset). Fixed rather than read from the clock, so a test clock set in any year works.
   */
  servedVersions?: readonly string[];
}

/** Scopes of a token a member grants "Share on LinkedIn" + "Sign in with LinkedIn". */
export const DEFAULT_SCOPES = ['openid', 'profile', 'w_member_social'] as const;
/** The versions LinkedIn serves as of 2026-12: each lives about a year. */
export const SERVED_VERSIONS = [
  '202512',
  ...Array.from({ length: 12 }, (_, i) => `2026${String(i + 1).padStart(2, '0')}`),
] as const;
/** Access tokens last 60 days; refresh tokens are for approved partners only. */
const TOKEN_LIFETIME_MS = 60 * 86_400_000;

/** A post as a person sees it in the feed. */
export interface LinkedInPostView {
  urn: string;
  author: string;
  /** The text readers see (escapes removed; cut short when an unescaped reserved character was sent). */
  text: string;
  /** The little text LinkedIn stored. */
  commentary: string;
  /** True when LinkedIn cut the text sent at an unescaped reserved character. */
  cut: boolean;
  visibility: string;
  lifecycleState: string;
  image?: { urn: string; mediaType: string | undefined; bytes: Uint8Array | undefined };
  createdAt: number;
}

/**
 * A stateful LinkedIn for publishing. Members (`addMember`) get a 60-day token; `/rest/*` calls need
 * `Authorization: Bearer`, a served `LinkedIn-Version` (400 VERSION_MISSING without, 426
 * NONEXISTENT_VERSION for a sunset, future or malformed one) and `X-Restli-Protocol-Version: 2.0.0`.
 * Posts are validated field by field (422), their commentary kept as LinkedIn keeps little text: cut
 * at the first unescaped reserved character, silently. The same text again by the same author is
 * 422 DUPLICATE_POST naming the first post; past `postsPerDay` a member gets 429.
 */
export class LinkedInEmulator extends Emulator {
  /** Requests that are carried out but whose answer is lost (a crash between the post and the journal). */
  readonly lostResponses = new LostResponses();
  readonly #state = new LinkedInState();
  readonly #limits: RouteContext['limits'];
  readonly #served: ReadonlySet<string>;

  constructor(options: LinkedInEmulatorOptions = {}) {
    super(options.clock ? { clock: options.clock } : {});
    this.#limits = {
      postsPerDay: options.postsPerDay ?? 150,
      duplicateWindowMs: options.duplicateWindowMs ?? Number.POSITIVE_INFINITY,
      uploadUrlTtlMs: 24 * 3_600_000,
    };
    this.#served = new Set(options.servedVersions ?? SERVED_VERSIONS);
  }

  // ---- The person's side ----

  /** A member who authorized the app; returns their person URN and a fresh 60-day access token. */
  addMember(
    name: string,
    options: { token?: string; scopes?: readonly string[] } = {},
  ): { urn: string; token: string; sub: string } {
    const sub = newSub();
    const urn = `urn:li:person:${sub}`;
    this.#state.members.set(sub, { sub, name, urn });
    const token = options.token ?? `AQV${newSub()}${newSub()}`;
    this.addToken(token, sub, options.scopes ?? DEFAULT_SCOPES);
    return { urn, token, sub };
  }

  /** Another token for a member (e.g. the one a renewal gives). */
  addToken(token: string, sub: string, scopes: readonly string[] = DEFAULT_SCOPES): void {
    if (!this.#state.members.has(sub)) throw new Error(`LinkedIn emulator: no member ${sub}`);
    this.#state.tokens.set(token, {
      token,
      sub,
      scopes: new Set(scopes),
      expiresAt: this.clock.now() + TOKEN_LIFETIME_MS,
      revoked: false,
    });
  }

  /** A company page whose admins (member subs) may post as it with `w_organization_social`. */
  addOrganization(name: string, admins: string[]): string {
    const urn = `urn:li:organization:${10_000_000 + this.#state.organizations.size}`;
    this.#state.organizations.set(urn, { name, admins: new Set(admins) });
    return urn;
  }

  /** The token's 60 days are over: 401 EXPIRED_ACCESS_TOKEN from now on. */
  expireToken(token: string): void {
    const record = this.#state.tokens.get(token);
    if (record) record.expiresAt = this.clock.now() - 1;
  }

  /** The member removed the app's access: 401 REVOKED_ACCESS_TOKEN. */
  revokeToken(token: string): void {
    const record = this.#state.tokens.get(token);
    if (record) record.revoked = true;
  }

  /** Published posts, newest first: all, or one author's (the feed a sandbox page draws). */
  posts(author?: string): LinkedInPostView[] {
    return [...this.#state.posts.values()]
      .filter((p) => author === undefined || p.author === author)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((p) => this.#view(p));
  }

  post(urn: string): LinkedInPostView | undefined {
    const post = this.#state.posts.get(urn);
    return post && this.#view(post);
  }

  #view(p: PostRecord): LinkedInPostView {
    const image = p.imageUrn ? this.#state.images.get(p.imageUrn) : undefined;
    return {
      urn: p.urn,
      author: p.author,
      text: p.shown,
      commentary: p.commentary,
      cut: p.cut,
      visibility: p.visibility,
      lifecycleState: p.lifecycleState,
      ...(image ? { image: { urn: image.urn, mediaType: image.mediaType, bytes: image.bytes } } : {}),
      createdAt: p.createdAt,
    };
  }

  // ---- The API ----

  handlers() {
    return [
      http.all(`${LINKEDIN_API}/*`, ({ request }) => this.serve(request, () => this.#handle(request))),
      http.all(`${LINKEDIN_UPLOADS}/*`, ({ request }) => this.serve(request, () => this.#upload(request))),
    ];
  }

  protected errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
    return Response.json({ status, message }, { status, headers });
  }

  async #handle(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const token = this.#authenticate(request);
      if (url.pathname === '/v2/userinfo' && request.method === 'GET') {
        return Response.json(userinfo(this.#context(token, '')));
      }
      if (!url.pathname.startsWith('/rest/')) throw notFound(url.pathname);
      const ctx = this.#context(token, this.#checkVersion(request));
      if (request.headers.get('x-restli-protocol-version') !== '2.0.0') {
        throw badRequest('X-Restli-Protocol-Version 2.0.0 is required for this resource');
      }
      const rest = url.pathname.slice('/rest/'.length);
      if (
        rest === 'images' &&
        request.method === 'POST' &&
        url.searchParams.get('action') === 'initializeUpload'
      ) {
        return Response.json(initializeUpload(ctx, await readJson(request)));
      }
      if (rest.startsWith('images/') && request.method === 'GET') {
        return Response.json(getImage(ctx, decodeURIComponent(rest.slice('images/'.length))));
      }
      if (rest === 'posts' && request.method === 'POST') {
        const urn = createPost(ctx, await readJson(request));
        const lost = this.lostResponses.take(request.method, url.pathname + url.search);
        if (lost)
          return lost.status ? this.errorResponse(lost.status, 'Internal Server Error') : droppedConnection();
        return new Response(null, { status: 201, headers: { 'x-restli-id': urn, 'x-linkedin-id': urn } });
      }
      if (rest === 'posts' && request.method === 'GET' && url.searchParams.get('q') === 'author') {
        return Response.json(findPostsByAuthor(ctx, url.searchParams));
      }
      if (rest.startsWith('posts/') && request.method === 'GET') {
        return Response.json(getPost(ctx, decodeURIComponent(rest.slice('posts/'.length))));
      }
      throw notFound(url.pathname);
    } catch (err) {
      if (err instanceof LinkedInApiError) return err.toResponse();
      throw err;
    }
  }

  async #upload(request: Request): Promise<Response> {
    try {
      if (request.method !== 'PUT' && request.method !== 'POST') throw notFound('upload');
      const token = this.#authenticate(request);
      const bytes = new Uint8Array(await request.arrayBuffer());
      const path = new URL(request.url).pathname.slice(new URL(LINKEDIN_UPLOADS).pathname.length);
      uploadImage(this.#context(token, ''), path, bytes, request.headers.get('content-type') ?? '');
      return new Response(null, { status: 201 });
    } catch (err) {
      if (err instanceof LinkedInApiError) return err.toResponse();
      throw err;
    }
  }

  #context(token: TokenRecord, version: string): RouteContext {
    return { state: this.#state, clock: this.clock, token, version, limits: this.#limits };
  }

  #authenticate(request: Request): TokenRecord {
    const match = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '');
    const token = match ? this.#state.tokens.get(match[1]!.trim()) : undefined;
    if (!token) throw tokenError('invalid');
    if (token.revoked) throw tokenError('revoked');
    if (this.clock.now() > token.expiresAt) throw tokenError('expired');
    return token;
  }

  /** @returns the YYYYMM version asked for, when LinkedIn serves it at the emulator's time. */
  #checkVersion(request: Request): string {
    const version = request.headers.get('linkedin-version');
    if (version === null || version.trim() === '') throw versionMissing();
    if (!this.#served.has(version.trim())) throw versionNotActive(version);
    return version.trim();
  }
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('Unable to parse the request body as JSON');
  }
}
