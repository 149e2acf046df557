// The one Anthropic client: the official SDK behind Baton's request policy (rate limit, retries, breaker).
import type Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '../../src/log.ts';
import {
  AuthError,
  FailedModels,
  lazyModule,
  policyTuning,
  type RateLimit,
  type ServiceError,
  ServicePolicy,
} from '../core/index.ts';
import { classifyAnthropicError, describeAnthropicError } from './failures.ts';

const anthropicSdk = lazyModule<typeof import('@anthropic-ai/sdk')>('@anthropic-ai/sdk');

/** The API host; the SDK adds `/v1/...` itself, so ANTHROPIC_BASE_URL has no `/v1`. */
export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com';

export interface AnthropicClientOptions {
  /** ANTHROPIC_API_KEY. */
  apiKey: string;
  /** ANTHROPIC_BASE_URL (default `https://api.anthropic.com`): a gateway or proxy in front of the API. */
  baseURL?: string;
  /** Per-request timeout in ms (default 120 s; the SDK's own default is 10 minutes). */
  timeoutMs?: number;
  /** Request budgets (default `requests`: 50 per minute, Anthropic's usage tier 1). */
  limits?: Record<string, RateLimit>;
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  breakAfter?: number;
  pauseMs?: number;
  log?: Logger;
  /** A fetch to use instead of the global one (captured when the SDK is first used). */
  fetch?: typeof fetch;
}

/**
 * Talks to the Claude API through `@anthropic-ai/sdk`. The SDK's own retries are off
 * (`maxRetries: 0`) so each retry is counted once, in the policy: 429 `rate_limit_error` waits for
 * `retry-after`, 529 `overloaded_error`, 5xx, timeouts and dropped connections back off with jitter
 * (and open the breaker when they persist), while 400, 401, 402, 403, 404 and a spend-limit 429 fail
 * at once with the fix in the message. The SDK is built on first use, so a client made before
 * network interception starts still works.
 */
export class AnthropicClient {
  readonly policy: ServicePolicy;
  readonly baseURL: string;
  readonly timeoutMs: number;
  readonly #options: AnthropicClientOptions;
  readonly #failedModels = new FailedModels();
  #sdk?: Anthropic;

  /** @throws AuthError when `apiKey` is empty (nothing is sent until the first call). */
  constructor(options: AnthropicClientOptions) {
    if (!options.apiKey) {
      throw new AuthError('anthropic', 'ANTHROPIC_API_KEY is empty', {
        hint: 'set it to an API key from the Claude Console (console.anthropic.com → API keys)',
      });
    }
    this.#options = options;
    this.baseURL = (options.baseURL ?? ANTHROPIC_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.policy = new ServicePolicy({
      service: 'anthropic',
      limits: options.limits ?? { requests: { limit: 50, intervalMs: 60_000 } },
      classify: classifyAnthropicError,
      describe: (err, operation) => this.#describe(err, operation),
      ...policyTuning(options),
    });
  }

  /**
   * The Anthropic SDK instance, loaded and built on first use: a Baton that names no `anthropic:`
   * model never loads the SDK, which keeps `baton` commands quick to start.
   */
  sdk(): Promise<Anthropic> {
    // Loaded the way failures.ts loads the SDK's error classes (require), so `instanceof` holds.
    this.#sdk ??= new (anthropicSdk().default)({
      apiKey: this.#options.apiKey,
      // An explicit null keeps a stray ANTHROPIC_AUTH_TOKEN in the environment out of our requests.
      authToken: null,
      baseURL: this.baseURL,
      maxRetries: 0,
      timeout: this.timeoutMs,
      ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
    });
    return Promise.resolve(this.#sdk);
  }

  /**
   * Runs one SDK request under the policy. Name the `model` it uses so a 404 can say which one.
   * @throws ServiceError (AuthError, NotFoundError, ServicePausedError) with a hint once retries are
   *   spent, or at once for a failure retrying cannot fix.
   */
  call<T>(
    operation: string,
    request: (sdk: Anthropic) => Promise<T>,
    context: { model?: string } = {},
  ): Promise<T> {
    return this.policy.call(operation, () =>
      this.#failedModels.track(context.model, async () => request(await this.sdk())),
    );
  }

  /** The model ids the key may use (`GET /v1/models`, every page): checks the key and the URL. */
  listModels(): Promise<string[]> {
    return this.call('models.list', async (sdk) => {
      const ids: string[] = [];
      for await (const model of sdk.models.list({ limit: 1000 })) ids.push(model.id);
      return ids;
    });
  }

  #describe(err: unknown, operation: string): ServiceError {
    const model = this.#failedModels.of(err);
    return describeAnthropicError(err, operation, {
      baseURL: this.baseURL,
      timeoutMs: this.timeoutMs,
      ...(model ? { model } : {}),
    });
  }
}
