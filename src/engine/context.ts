// The contract a recipe's `run` function programs against. Implementation: replay.ts.
import type { Logger } from '../log.ts';
import type { Duration } from './duration.ts';

/** What a step function receives. */
export interface StepContext {
  /**
   * `runId:stepId` — stable across retries, replays, restarts and (because run ids derive from the
   * work item) data-folder loss. Pass it to a connector so it can find an object it already created.
   */
  idempotencyKey: string;
  /**
   * When the run was created (ms since the epoch; saved before any of its steps ran, kept by retries):
   * nothing the run made is older, so a connector can bound its search for an earlier attempt's
   * object by it instead of listing everything.
   */
  runCreatedAt: number;
  /**
   * The run was created again for an item an earlier process had claimed (its data folder was lost):
   * objects its first life made are older than `runCreatedAt`, so a search bounded by it would miss them.
   */
  runResumed: boolean;
  /** 1 on the first try, 2 on the first retry, … */
  attempt: number;
  /**
   * True when no earlier try of this step can have begun: none was ever recorded, and the run was
   * not created again after a lost data folder. Before answering true it records (durably) that this
   * try has begun, so a try after a crash gets false. A connector told so may skip its look for an
   * earlier try's object before a write that is not idempotent (one request or more saved per write);
   * after a crash, a retry, or a lost folder, it looks as always.
   */
  firstTry(): Promise<boolean>;
  /** Aborted when Baton shuts down and the step overruns the shutdown grace period. */
  signal: AbortSignal;
  /** Records facts about this step in the journal (e.g. `{ usage: {...} }` for LLM tokens and cost). */
  annotate(facts: Record<string, unknown>): void;
}

export interface WaitOptions<T> {
  /**
   * The signal key to wait for, e.g. `trello:card:5f…`, or several: a signal with any of them wakes
   * the wait (a run following three cards at once sees a move of whichever the reviewer touched).
   */
  key: string | readonly string[];
  /**
   * Give up after this long, or at this instant when a Date (a deadline worked out from an earlier
   * `ctx.now()`: a duration would start counting only when the wait begins); `waitFor` then returns null.
   */
  timeout: Duration | Date;
  /**
   * Looks at the current state before suspending (and on every resume), so a signal that arrived
   * before the wait began is not missed. Return a value to finish the wait with it, or undefined.
   */
  check?: () => Promise<T | undefined>;
  /**
   * Decides whether a delivered signal's payload ends the wait (default: any signal does). A
   * rejected signal is consumed and the run waits on.
   */
  accept?: (payload: unknown) => T | undefined;
}

/**
 * The durable context of one run. Every method is journaled: on replay after a crash, restart or
 * wait, finished calls return their recorded result without running again.
 *
 * Exactly-once vs at-least-once: a step's *result* is recorded exactly once and never recomputed once
 * recorded; the step's *function* may run more than once if the process dies after it finished but
 * before its result was written, so side effects must use `idempotencyKey`.
 */
export interface RecipeContext {
  readonly runId: string;
  readonly recipe: string;
  readonly log: Logger;

  /**
   * Runs `fn` once for this run and records its JSON-serializable result before returning it.
   * Failures are retried with the recipe's backoff policy (the run suspends between tries and holds
   * no concurrency slot); `NonRetriableError` stops at once, `RetryAfterError` sets the delay.
   * @throws JournalMismatchError when `id` was already used in this run, or when a replay meets
   *   steps in a different order than the journal recorded.
   * @throws StepFailedError when the step runs out of attempts (the run is then marked failed).
   */
  step<T>(id: string, fn: (step: StepContext) => Promise<T> | T): Promise<T>;

  /** The current time, recorded on first call so replays see the same value. */
  now(): Promise<Date>;
  /** A random number in [0, 1), recorded. */
  random(): Promise<number>;
  /** A random id (UUID v4), recorded. */
  id(): Promise<string>;

  /**
   * Suspends the run for `duration` ('48h', '7d', ms), or until that instant when a Date. Survives
   * restarts; frees the run's memory.
   */
  sleep(id: string, duration: Duration | Date): Promise<void>;

  /**
   * Suspends until a signal with `options.key` is delivered (from a trigger) or `check` finds the
   * awaited state; returns the signal's payload (or `check`'s value), or null on timeout.
   */
  waitFor<T = unknown>(id: string, options: WaitOptions<T>): Promise<T | null>;
}
