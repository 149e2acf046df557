// PublishWebhook: an approved post as one JSON POST to CONTENT_PUBLISH_WEBHOOK_URL (Buffer, Make, Zapier, your own).
import { z } from 'zod';
import { type Logger, silentLogger } from '../../src/log.ts';
import {
  type FailureClass,
  isNetworkError,
  parseRetryAfter,
  ServiceError,
  ServicePolicy,
  type ServicePolicyOptions,
} from '../core/index.ts';

export interface PublishWebhookOptions {
  /** The endpoint (a secret: Make and Zapier URLs carry their token); off when absent. */
  url: string | undefined;
  /** The setting named in errors (default CONTENT_PUBLISH_WEBHOOK_URL). */
  setting?: string;
  log?: Logger;
  /** How long one POST may take (default 15 s). */
  timeoutMs?: number;
  policy?: Partial<
    Pick<ServicePolicyOptions, 'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs'>
  >;
}

const PayloadSchema = z.object({
  text: z.string().min(1),
  image: z
    .union([
      z.object({ url: z.url() }),
      z.object({
        base64: z.base64().min(1),
        mediaType: z.string().regex(/^image\/[\w.+-]+$/),
        filename: z.string().optional(),
      }),
    ])
    .optional(),
  /** When the post is (or was) due: ISO 8601. */
  slot: z.iso.datetime({ offset: true }),
  /** Anything else the receiver may use: the LinkedIn URN, a title, the source video… */
  extra: z.record(z.string(), z.unknown()).optional(),
});

export type PublishPayload = z.input<typeof PayloadSchema>;

/** The endpoint's answer was not a 2xx (or there was none). */
class WebhookAnswer extends Error {
  constructor(
    readonly status: number | undefined,
    detail: string,
    readonly retryAfterMs?: number,
  ) {
    super(detail);
  }
}

function classify(err: unknown): FailureClass {
  if (err instanceof WebhookAnswer) {
    const { status } = err;
    if (status === undefined) return { kind: 'transient' };
    if (status === 429)
      return {
        kind: 'rate-limited',
        status,
        ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
      };
    if (status === 408 || status >= 500) return { kind: 'transient', status };
    return { kind: 'fatal', status };
  }
  if (isNetworkError(err) || (err instanceof Error && err.name === 'TimeoutError'))
    return { kind: 'transient' };
  return { kind: 'fatal' };
}

/**
 * Sends approved posts to a webhook: `POST` of `{ text, image, slot, extra, idempotencyKey }` as JSON
 * with an `Idempotency-Key` header that stays the same across retries, so a receiver that honours it
 * (or deduplicates on the body's key) acts once. Retries 5xx, 408, 429 (Retry-After honoured) and
 * network failures; any other answer fails at once. Redirects are refused, not followed (a POST
 * redirected is ill-defined, and a redirect could point anywhere). The URL is the user's own setting,
 * so private and local addresses are allowed (a self-hosted n8n on the LAN); only http(s) is.
 * The URL never appears in logs or errors, only its host.
 */
export class PublishWebhook {
  readonly #url: URL | undefined;
  readonly #setting: string;
  readonly #timeoutMs: number;
  readonly #policy: ServicePolicy;
  readonly #log: Logger;

  /** @throws ServiceError naming the setting when the URL is not an http(s) URL */
  constructor(options: PublishWebhookOptions) {
    this.#setting = options.setting ?? 'CONTENT_PUBLISH_WEBHOOK_URL';
    const raw = options.url?.trim();
    this.#url = raw ? checkedUrl(raw, this.#setting) : undefined;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#log = (options.log ?? silentLogger).child({ service: 'publish-webhook', host: this.#url?.host });
    this.#policy = new ServicePolicy({
      service: 'publish-webhook',
      limits: { post: { limit: 30, intervalMs: 60_000 } },
      classify,
      maxAttempts: 5,
      ...options.policy,
      log: this.#log,
    });
  }

  /** False when CONTENT_PUBLISH_WEBHOOK_URL is not set: nothing is sent. */
  get configured(): boolean {
    return this.#url !== undefined;
  }

  /**
   * Sends one post. `idempotencyKey` must be the same for the same post every time (e.g. the card
   * id and revision), so a resend after a crash is recognised by the receiver.
   * @returns `{ sent: false }` when no URL is configured; `{ sent: true, status }` otherwise
   * @throws ServiceError naming the setting when the endpoint refuses (4xx), redirects, or keeps failing
   */
  async send(
    payload: PublishPayload,
    options: { idempotencyKey: string },
  ): Promise<{ sent: boolean; status?: number }> {
    if (!this.#url) return { sent: false };
    const parsed = PayloadSchema.safeParse(payload);
    if (!parsed.success) {
      throw new ServiceError('publish-webhook', 'The post to send to the webhook is invalid', {
        hint: z.prettifyError(parsed.error).replace(/\n+/g, '; '),
      });
    }
    const key = options.idempotencyKey.trim();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new ServiceError('publish-webhook', 'An idempotency key is 1–255 visible ASCII characters');
    }
    const url = this.#url;
    const body = JSON.stringify({ ...parsed.data, idempotencyKey: key });
    try {
      const status = await this.#policy.call('publish', async () => {
        let response: Response;
        try {
          response = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, 'User-Agent': 'Baton' },
            body,
            redirect: 'manual',
            signal: AbortSignal.timeout(this.#timeoutMs),
          });
        } catch (err) {
          throw new WebhookAnswer(undefined, `no answer (${(err as Error).name})`);
        }
        const text = (await response.text().catch(() => '')).slice(0, 200);
        if (response.status >= 200 && response.status < 300) return response.status;
        throw new WebhookAnswer(
          response.status,
          response.status >= 300 && response.status < 400
            ? `redirected (HTTP ${response.status}): set the final URL`
            : `HTTP ${response.status}${text ? ` ${text.replace(/\s+/g, ' ')}` : ''}`,
          parseRetryAfter(response.headers.get('retry-after')),
        );
      });
      this.#log.debug({ status }, 'post sent to the publish webhook');
      return { sent: true, status };
    } catch (err) {
      if (err instanceof ServiceError && !(err.cause instanceof WebhookAnswer)) throw err;
      const answer = err instanceof ServiceError ? (err.cause as WebhookAnswer) : (err as WebhookAnswer);
      throw new ServiceError(
        'publish-webhook',
        `The publish webhook (${url.host}) answered: ${answer.message}`,
        {
          ...(answer.status !== undefined ? { status: answer.status } : {}),
          retryable: classify(answer).kind !== 'fatal',
          hint: `check ${this.#setting} and the receiving scenario`,
          cause: answer,
        },
      );
    }
  }
}

function checkedUrl(raw: string, setting: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ServiceError('publish-webhook', `${setting} is not a URL`, {
      hint: 'paste the webhook URL your tool shows',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ServiceError('publish-webhook', `${setting} must be an http(s) URL, not ${url.protocol}`, {
      hint: 'paste the webhook URL your tool shows',
    });
  }
  return url;
}
