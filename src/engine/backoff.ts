// Delay before a step's next try: exponential growth with full jitter, capped.
import type { RetryPolicy } from './recipe.ts';

/**
 * Full jitter (AWS architecture blog's recommendation): a uniform random delay between half and all
 * of `initial × 2^(attempt-1)`, capped at `max`. Half as a floor keeps retries from bunching at 0.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
