// A request budget shared by every process of a scale-out group (Redis), instead of one per process.
import type { RateLimit } from './service-policy.ts';

/**
 * Counts requests for a budget across processes. `take` resolves once one more request fits
 * `limit.limit` requests in any `limit.intervalMs` for `key`, counted over every process sharing it.
 */
export interface SharedRateLimiter {
  /** @throws when the shared counter cannot be reached (the call fails as a transient error). */
  take(key: string, limit: RateLimit): Promise<void>;
}

let processDefault: SharedRateLimiter | undefined;

/**
 * Makes every ServicePolicy built afterwards without its own `sharedLimiter` use `limiter`: one line
 * at start-up (BATON_REDIS_URL set) shares every connector's budgets. `undefined` goes back to
 * per-process limits.
 */
export function shareRateLimits(limiter: SharedRateLimiter | undefined): void {
  processDefault = limiter;
}

/** The process-wide limiter set by `shareRateLimits`, if any. */
export function sharedRateLimiter(): SharedRateLimiter | undefined {
  return processDefault;
}
