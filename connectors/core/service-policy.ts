// One shared policy per service: rate limit, retries with backoff and Retry-After, circuit breaker.
//
// Libraries: p-throttle (sindresorhus, maintained, strict sliding-window mode) keeps us under the
// documented request rate; cockatiel (TypeScript-first, maintained) supplies retry with
// decorrelated-jitter backoff and the consecutive-failure circuit breaker.
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  circuitBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  handleWhen,
  type IBackoff,
  type IRetryBackoffContext,
  retry,
  wrap,
} from 'cockatiel';
import pThrottle from 'p-throttle';
import { type Logger, silentLogger } from '../../src/log.ts';
import { type FailureClass, ServiceError, ServicePausedError } from './errors.ts';
import { type SharedRateLimiter, sharedRateLimiter } from './shared-limit.ts';

/** A documented request budget: at most `limit` requests in any `intervalMs`. */
export interface RateLimit {
  limit: number;
  intervalMs: number;
}

export interface ServicePolicyOptions {
  /** Service name used in logs and errors, e.g. 'sheets'. */
  service: string;
  /** Named budgets (e.g. `read`, `write`); a call names the budget it spends. The first is the default. */
  limits: Record<string, RateLimit>;
  /** Maps an SDK error to rate-limited / transient / fatal. */
  classify: (err: unknown) => FailureClass;
  /** Turns a final SDK error into a ServiceError with the fix for the user. */
  describe?: (err: unknown, operation: string) => ServiceError;
  /** Attempts per call including the first (default 5). */
  maxAttempts?: number;
  /** Backoff start and cap in ms (defaults 500 ms and 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Consecutive transient failures (5xx, network) that open the breaker (default 8), and how long it stays open (default 60 s). */
  breakAfter?: number;
  pauseMs?: number;
  log?: Logger;
  /**
   * Scale-out: counts the budgets across every process sharing it (src/scale RedisRateLimiter)
   * instead of in this process alone. Default: the one set by `shareRateLimits`, else per process.
   */
  sharedLimiter?: SharedRateLimiter;
  /**
   * What the service counts its limit by (an Airtable base, a hash of a Trello token), so processes
   * share a budget exactly when the service would count their requests together. Default: the service.
   */
  limitScope?: string;
}

/**
 * The one gate every request to a service goes through. `call` waits for the rate budget, retries
 * rate-limited and transient failures with exponential backoff + jitter (a server's Retry-After wins
 * when it asks for longer), and opens the breaker after repeated failures: while open, calls fail at
 * once with ServicePausedError and pollers skip their turn. Fatal errors are never retried.
 */
export class ServicePolicy {
  readonly service: string;
  readonly #throttles = new Map<string, <T>(fn: () => Promise<T>) => Promise<T>>();
  readonly #defaultBudget: string;
  readonly #options: ServicePolicyOptions;
  readonly #log: Logger;
  readonly #run: <T>(fn: () => Promise<T>) => Promise<T>;
  /** In an outage: the breaker opened and has not yet seen a call succeed. */
  #outage = false;
  /** Until when calls are refused; afterwards one trial call is let through (half-open). */
  #pausedUntil = 0;
  #stats = { calls: 0, failures: 0, rateLimited: 0 };

  constructor(options: ServicePolicyOptions) {
    this.service = options.service;
    this.#options = options;
    this.#log = (options.log ?? silentLogger).child({ service: options.service });
    const budgets = Object.entries(options.limits);
    if (budgets.length === 0)
      throw new Error(`ServicePolicy for ${options.service} needs at least one limit`);
    this.#defaultBudget = budgets[0]![0];
    const shared = options.sharedLimiter ?? sharedRateLimiter();
    for (const [name, { limit, intervalMs }] of budgets) {
      if (shared) {
        const key = `${options.service}:${options.limitScope ?? '*'}:${name}`;
        this.#throttles.set(name, async (fn) => {
          try {
            await shared.take(key, { limit, intervalMs });
          } catch (err) {
            // Not the service's failure: no retry here, no breaker; the step is retried later.
            throw new ServiceError(
              options.service,
              `cannot count ${options.service} requests in Redis (BATON_REDIS_URL): ${(err as Error).message}`,
              { retryable: true, hint: 'Baton retries once Redis answers again', cause: err },
            );
          }
          return fn();
        });
        continue;
      }
      const throttle = pThrottle({ limit, interval: intervalMs, strict: true });
      const gate = throttle(() => undefined);
      this.#throttles.set(name, async (fn) => {
        await gate();
        return fn();
      });
    }

    const retryable = (err: Error) => {
      if (err instanceof BrokenCircuitError || err instanceof ServiceError) return false;
      return options.classify(err).kind !== 'fatal';
    };
    const initial = options.initialDelayMs ?? 500;
    const max = options.maxDelayMs ?? 30_000;
    const exponential = new ExponentialBackoff({ initialDelay: initial, maxDelay: max });
    // Retry-After from the server is a floor; our own jittered backoff applies otherwise.
    const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown> | undefined>(
      (context, state) => {
        const next = (state ?? exponential).next(context) as IBackoff<unknown>;
        const requested =
          'error' in context.result ? options.classify(context.result.error).retryAfterMs : undefined;
        return { delay: Math.max(next.duration, requested ?? 0), state: next };
      },
    );
    const retryPolicy = retry(handleWhen(retryable), {
      maxAttempts: (options.maxAttempts ?? 5) - 1,
      backoff,
    });
    retryPolicy.onRetry((event) => {
      if ('error' in event) {
        const kind = options.classify(event.error).kind;
        if (kind === 'rate-limited') this.#stats.rateLimited++;
        this.#log.debug({ delayMs: event.delay, kind }, 'retrying request');
      }
    });
    // A 429 says "slow down", not "down": only transient failures (5xx, network) count toward
    // opening the breaker; rate limits are handled by backing off.
    const outageSign = (err: Error) => retryable(err) && options.classify(err).kind === 'transient';
    const breaker = circuitBreaker(handleWhen(outageSign), {
      halfOpenAfter: options.pauseMs ?? 60_000,
      breaker: new ConsecutiveBreaker(options.breakAfter ?? 8),
    });
    // One line when a service goes down and one when it comes back, never one per request.
    const pauseMs = options.pauseMs ?? 60_000;
    breaker.onBreak(() => {
      this.#pausedUntil = Date.now() + pauseMs;
      // A failed trial call after a pause re-opens the breaker: still the same outage, no new line.
      if (this.#outage) return;
      this.#outage = true;
      this.#log.warn({ pauseMs }, `${options.service} keeps failing: pausing calls`);
    });
    breaker.onReset(() => {
      this.#outage = false;
      this.#pausedUntil = 0;
      this.#log.info(`${options.service} is answering again: resuming`);
    });
    const policy = wrap(retryPolicy, breaker);
    this.#run = (fn) => policy.execute(fn);
  }

  /**
   * True during the pause after the breaker opened: pollers skip their turn instead of adding load.
   * Once the pause is over it is false again, so the next poll makes the trial call that either
   * closes the breaker or opens it for another pause.
   */
  get paused(): boolean {
    return Date.now() < this.#pausedUntil;
  }

  /** Counters for status and metrics. */
  get stats(): Readonly<{ calls: number; failures: number; rateLimited: number }> {
    return this.#stats;
  }

  /**
   * Runs `fn` (one SDK request) under the service's rate budget, retries and breaker.
   * @throws ServicePausedError while the breaker is open; a ServiceError (from `describe`) otherwise.
   */
  async call<T>(operation: string, fn: () => Promise<T>, budget: string = this.#defaultBudget): Promise<T> {
    const throttle = this.#throttles.get(budget);
    if (!throttle) throw new Error(`${this.service}: unknown rate budget '${budget}'`);
    this.#stats.calls++;
    try {
      return await this.#run(() => throttle(fn));
    } catch (err) {
      this.#stats.failures++;
      if (err instanceof BrokenCircuitError) {
        throw new ServicePausedError(this.service, `${this.service} is paused after repeated failures`, {
          retryable: true,
          hint: 'Baton retries automatically once it answers again',
          cause: err,
        });
      }
      if (err instanceof ServiceError) throw err;
      if (this.#options.describe) throw this.#options.describe(err, operation);
      const kind = this.#options.classify(err).kind;
      throw new ServiceError(this.service, `${this.service} ${operation} failed: ${(err as Error).message}`, {
        retryable: kind !== 'fatal',
        cause: err,
      });
    }
  }
}
