// Small pieces the model-provider clients (OpenAI, Anthropic) share around their SDK's requests.
import { parseRetryAfter } from './errors.ts';
import type { ServicePolicyOptions } from './service-policy.ts';

type Tuning = Pick<
  ServicePolicyOptions,
  'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs' | 'log'
>;

/** The retry and breaker settings a client passes on to its ServicePolicy (only those that are set). */
export function policyTuning(options: Tuning): Partial<Tuning> {
  const out: Partial<Tuning> = {};
  for (const key of ['maxAttempts', 'initialDelayMs', 'maxDelayMs', 'breakAfter', 'pauseMs'] as const) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  if (options.log) out.log = options.log;
  return out;
}

/** The wait a response asked for: `retry-after-ms` when present, else `retry-after` (seconds or a date). */
export function retryAfterFromHeaders(headers: unknown): number | undefined {
  if (!(headers instanceof Headers)) return undefined;
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfter(headers.get('retry-after'));
}

/**
 * Remembers which model a failed request named, so the final error can say "model X not found"
 * (the SDK's error does not carry the request). Weakly held: forgotten with the error.
 */
export class FailedModels {
  readonly #models = new WeakMap<object, string>();

  /** Runs `request`; if it throws, notes `model` against the error before rethrowing it. */
  async track<T>(model: string | undefined, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      if (model && typeof err === 'object' && err !== null) this.#models.set(err, model);
      throw err;
    }
  }

  of(err: unknown): string | undefined {
    return typeof err === 'object' && err !== null ? this.#models.get(err) : undefined;
  }
}
