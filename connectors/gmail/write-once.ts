// Non-idempotent writes made safe to retry: look for the effect of an earlier attempt before each try.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../src/log.ts';
import { ServiceError, type ServicePolicy } from '../core/index.ts';

/**
 * A write whose outcome is unknown: the connection dropped, or Gmail answered 5xx, after the request
 * left. Gmail may have carried it out. Classified fatal so the policy does not blindly resend it.
 */
export class AmbiguousWriteError extends Error {
  override readonly name = 'AmbiguousWriteError';

  constructor(operation: string, cause: unknown) {
    super(`${operation}: outcome unknown (${cause instanceof Error ? cause.message : String(cause)})`, {
      cause,
    });
  }
}

export interface WriteOnceOptions<T> {
  operation: string;
  /** Which rate budget the write spends. */
  budget: string;
  /** Finds the effect of an earlier attempt (e.g. a draft carrying our Message-ID); its requests use the policy. */
  find: () => Promise<T | undefined>;
  /** The write itself: exactly one request. */
  write: () => Promise<T>;
  /** The caller has just checked, so the first attempt goes straight to the write. */
  checkedFirst?: boolean;
}

export interface WriteOnceSettings {
  policy: ServicePolicy;
  /** True for failures after which the write may or may not have happened (5xx, network, timeout). */
  isAmbiguous: (err: unknown) => boolean;
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  log: Logger;
}

/**
 * Runs `write` at most once per attempt, and before every attempt but a `checkedFirst` one, runs
 * `find`: a write that succeeded on Gmail's side but whose answer was lost is found instead of
 * repeated. Rate-limit answers (429) are retried inside the policy (Gmail refused, nothing happened);
 * ambiguous failures leave the policy and come back here.
 * @throws the policy's typed ServiceError once attempts run out or on a definite failure.
 */
export async function writeOnce<T>(settings: WriteOnceSettings, options: WriteOnceOptions<T>): Promise<T> {
  const { policy, isAmbiguous, maxAttempts, log } = settings;
  for (let attempt = 1; ; attempt++) {
    if (attempt > 1 || !options.checkedFirst) {
      const found = await options.find();
      if (found !== undefined) return found;
    }
    try {
      return await policy.call(
        options.operation,
        async () => {
          try {
            return await options.write();
          } catch (err) {
            throw isAmbiguous(err) ? new AmbiguousWriteError(options.operation, err) : err;
          }
        },
        options.budget,
      );
    } catch (err) {
      const ambiguous = err instanceof ServiceError && err.cause instanceof AmbiguousWriteError;
      if (!ambiguous || attempt >= maxAttempts) throw err;
      const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (attempt - 1));
      const delayMs = ceiling / 2 + Math.random() * (ceiling / 2);
      log.warn(
        { operation: options.operation, attempt, delayMs },
        'write outcome unknown: checking before retrying',
      );
      await sleep(delayMs);
    }
  }
}
