// The one OpenAI client: the SDK behind Baton's request policy (rate limit, retries, breaker).
import type OpenAI from 'openai';
import type { Logger } from '../../src/log.ts';
import { AuthError, type RateLimit, type ServiceError, ServicePolicy } from '../core/index.ts';
import { classifyOpenAIError, describeOpenAIError } from './failures.ts';
import { unhintedRateLimitDelay } from './rate-limit.ts';
import { openaiSdk } from './sdk.ts';

export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export interface OpenAIClientOptions {
  /** OPENAI_API_KEY. Compatible servers that ignore keys (Ollama) still need some non-empty string. */
  apiKey: string;
  /** OPENAI_BASE_URL, including `/v1` (default `https://api.openai.com/v1`). */
  baseURL?: string;
  organization?: string;
  project?: string;
  /** Per-request timeout in ms (default 120 s; the SDK's own default is 10 minutes). */
  timeoutMs?: number;
  /** Request budgets (default `requests`: 500 per minute, OpenAI's usage tier 1 for most models). */
  limits?: Record<string, RateLimit>;
  /** Attempts per request, the first included (default 5). */
  maxAttempts?: number;
  initialDelayMs?: number;
  /** Cap of Baton's own backoff (default 30 s); a server's retry hint may ask for longer. */
  maxDelayMs?: number;
  /**
   * Wait after a 429 that gives no hint (no `retry-after`, no `x-ratelimit-reset-*`). Default: the
   * retries share a minute, so they outlast a per-minute window (15 s with 5 attempts).
   */
  rateLimitedDelayMs?: number;
  breakAfter?: number;
  pauseMs?: number;
  log?: Logger;
  /** A fetch to use instead of the global one (captured when the SDK is first used). */
  fetch?: typeof fetch;
}

/**
 * Talks to OpenAI or any OpenAI-compatible server (Ollama, vLLM, llama.cpp) through the official SDK.
 * The SDK's own retries are off (`maxRetries: 0`) so every retry is counted once, in the policy:
 * 429 rate limits wait for `retry-after(-ms)` or `x-ratelimit-reset-*`, and with no hint long enough
 * that the retries outlast a per-minute window; 5xx/timeouts/dropped connections back off with
 * jitter, and `insufficient_quota`, 400, 401, 403 and 404 fail at once with the fix in the message.
 * The SDK is built on first use, so a client made before network interception starts still works.
 */
export class OpenAIClient {
  readonly policy: ServicePolicy;
  readonly baseURL: string;
  readonly timeoutMs: number;
  readonly #options: OpenAIClientOptions;
  /** The model each failed request named (and its setting), so its error can say which model is missing. */
  readonly #failedModels = new WeakMap<object, ModelContext>();
  #sdk: OpenAI | undefined;

  /** @throws AuthError when `apiKey` is empty (nothing is sent until the first call). */
  constructor(options: OpenAIClientOptions) {
    if (!options.apiKey) {
      throw new AuthError('openai', 'OPENAI_API_KEY is empty', {
        hint: 'set it to your OpenAI API key (any non-empty value for a local server such as Ollama)',
      });
    }
    this.#options = options;
    this.baseURL = (options.baseURL ?? OPENAI_BASE_URL).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 120_000;
    const maxAttempts = options.maxAttempts ?? 5;
    const maxDelayMs = options.maxDelayMs ?? 30_000;
    const unhinted = options.rateLimitedDelayMs ?? unhintedRateLimitDelay(maxAttempts, maxDelayMs);
    this.policy = new ServicePolicy({
      service: 'openai',
      limits: options.limits ?? { requests: { limit: 500, intervalMs: 60_000 } },
      classify: (err) => classifyOpenAIError(err, unhinted),
      describe: (err, operation) => this.#describe(err, operation),
      maxAttempts,
      maxDelayMs,
      ...pick(options, ['initialDelayMs', 'breakAfter', 'pauseMs', 'log']),
    });
  }

  /** The OpenAI SDK instance (built on first use). */
  get sdk(): OpenAI {
    this.#sdk ??= new (openaiSdk().default)({
      apiKey: this.#options.apiKey,
      baseURL: this.baseURL,
      maxRetries: 0,
      timeout: this.timeoutMs,
      ...(this.#options.organization ? { organization: this.#options.organization } : {}),
      ...(this.#options.project ? { project: this.#options.project } : {}),
      fetch: this.#options.fetch ?? globalFetch,
    });
    return this.#sdk;
  }

  /**
   * Runs one SDK request under the policy. Name the `model` it uses so a 404 can say which one, and
   * the `modelSetting` that chose it (default OPENAI_MODEL) so the error names what to change.
   * @throws ServiceError (AuthError, NotFoundError, ServicePausedError) with a hint once retries are spent
   *   or at once for a failure retrying cannot fix.
   */
  call<T>(operation: string, request: (sdk: OpenAI) => Promise<T>, context: ModelContext = {}): Promise<T> {
    return this.policy.call(operation, async () => {
      try {
        return await request(this.sdk);
      } catch (err) {
        if (context.model && typeof err === 'object' && err !== null) this.#failedModels.set(err, context);
        throw err;
      }
    });
  }

  /** The model ids the server offers (`GET /models`): a cheap check that the key and URL work. */
  listModels(): Promise<string[]> {
    return this.call('models.list', async (sdk) => {
      const ids: string[] = [];
      for await (const model of sdk.models.list()) ids.push(model.id);
      return ids;
    });
  }

  #describe(err: unknown, operation: string): ServiceError {
    const named = typeof err === 'object' && err !== null ? this.#failedModels.get(err) : undefined;
    return describeOpenAIError(err, operation, {
      baseURL: this.baseURL,
      timeoutMs: this.timeoutMs,
      ...(named?.model ? { model: named.model } : {}),
      ...(named?.modelSetting ? { modelSetting: named.modelSetting } : {}),
    });
  }
}

/**
 * The global fetch, looked up at each call, with the `Response` class beside it: the SDK then
 * knows fetch handles FormData (uploads) without probing it by fetching `data:,` first.
 */
const globalFetch = Object.assign((...args: Parameters<typeof fetch>) => globalThis.fetch(...args), {
  Response: globalThis.Response,
});

/** The model a request names, and the setting that chose it (for the error's hint). */
export interface ModelContext {
  model?: string;
  /** Default OPENAI_MODEL; e.g. CONTENT_IMAGE_MODEL for an image. */
  modelSetting?: string;
}

function pick<T extends object, K extends keyof T>(source: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
