// Faults a test or the sandbox page can inject into an emulator: errors, latency, dropped connections.
import { HttpResponse } from 'msw';
import { type Clock, systemClock } from '../../clock.ts';

interface PlannedFailure {
  remaining: number;
  status: number;
  /** Only requests whose path matches fail; all requests when absent. */
  match?: RegExp;
  headers?: Record<string, string>;
}

/**
 * What an emulator does wrong on purpose. Failures are consumed in order: `failNext(3, 503)` makes
 * the next three matching requests answer 503 with the service's own error body, then it recovers.
 */
export class FaultPlan {
  #failures: PlannedFailure[] = [];
  #outage: { until: number; status: number; match?: RegExp } | undefined;

  constructor(private readonly clock: Clock = systemClock) {}

  /** Every matching request fails with `status` for the next `ms` of the emulator's clock: an outage. */
  failFor(ms: number, status: number, options: { match?: RegExp } = {}): this {
    this.#outage = { until: this.clock.now() + ms, status, ...options };
    return this;
  }
  #drops = 0;
  #latencyMs = 0;

  /** The next `count` requests (optionally only those whose path matches) fail with `status`. */
  failNext(
    count: number,
    status: number,
    options: { match?: RegExp; headers?: Record<string, string> } = {},
  ): this {
    this.#failures.push({ remaining: count, status, ...options });
    return this;
  }

  /** The next `count` requests lose their connection before any response. */
  dropNext(count: number): this {
    this.#drops += count;
    return this;
  }

  /** Every request waits this long before it is answered. */
  latency(ms: number): this {
    this.#latencyMs = ms;
    return this;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  clear(): void {
    this.#outage = undefined;
    this.#failures = [];
    this.#drops = 0;
    this.#latencyMs = 0;
  }

  /** The fault to apply to this request, if any: 'drop' or a status to fail with. */
  take(path: string): { drop: true } | { status: number; headers?: Record<string, string> } | undefined {
    if (this.#drops > 0) {
      this.#drops--;
      return { drop: true };
    }
    const outage = this.#outage;
    if (outage && this.clock.now() < outage.until && (!outage.match || outage.match.test(path))) {
      return { status: outage.status };
    }
    const failure = this.#failures.find((f) => f.remaining > 0 && (!f.match || f.match.test(path)));
    if (!failure) return undefined;
    failure.remaining--;
    this.#failures = this.#failures.filter((f) => f.remaining > 0);
    return { status: failure.status, ...(failure.headers ? { headers: failure.headers } : {}) };
  }
}

/** A network-level failure: the client sees a dropped connection, not an HTTP answer. */
export const droppedConnection = (): Response => HttpResponse.error();
