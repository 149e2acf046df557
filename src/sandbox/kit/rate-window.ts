// A sliding-window request counter: how the emulators enforce a service's documented rate limit.
import type { Clock } from '../../clock.ts';

/**
 * Counts requests per key (a token, a user, a base) over the last `intervalMs` of the clock's time.
 * `take` records the request and answers whether it was within the limit.
 */
export class RateWindow {
  readonly #hits = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    public limit: number,
    public intervalMs: number,
  ) {}

  /** Records one request for `key`; false when it exceeds the limit (the request must get a 429). */
  take(key: string): boolean {
    const now = this.clock.now();
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.intervalMs);
    if (recent.length >= this.limit) {
      this.#hits.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#hits.set(key, recent);
    return true;
  }

  /** Milliseconds until `key` may send again (0 when it may now). */
  retryAfterMs(key: string): number {
    const now = this.clock.now();
    const recent = (this.#hits.get(key) ?? []).filter((t) => t > now - this.intervalMs);
    if (recent.length < this.limit) return 0;
    return Math.max(0, recent[0]! + this.intervalMs - now);
  }

  reset(): void {
    this.#hits.clear();
  }
}
