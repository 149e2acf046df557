// How runs reach the processes that execute them when several Baton processes share one store
// (scale-out). Without a dispatcher the engine launches runs itself and wakes them with its own
// timers; with one, every run execution is a queued job any process may take, waits and retry
// backoffs are delayed jobs, and a run is executed by one process at a time (its run lock).
import type { Recipe } from './recipe.ts';

/** A signal nobody could take when it arrived, kept briefly for a run about to wait for it. */
export interface HeldSignal {
  id: string;
  key: string;
  payload?: unknown;
  /** When it arrived (the signalling process's clock). */
  at: number;
}

export interface DispatcherStart {
  recipes: readonly Recipe[];
  /** Runs this process executes at once, per recipe queue (and at most the recipe's `concurrency`). */
  concurrency: number;
  /** Per recipe name: runs at once across every process taking from its queue. */
  groupConcurrency?: Readonly<Record<string, number>>;
  /** Executes the run's due work (the engine's job handler). */
  handle(runId: string): Promise<void>;
}

export interface Dispatcher {
  /** Starts taking jobs for `recipes` (a process that only submits never calls it). */
  start(options: DispatcherStart): Promise<void>;
  /**
   * Queues an execution of the run in `delayMs` (now when omitted). Jobs are named by run id and
   * `tag`: queuing the same run with the same tag again while the first is pending does nothing.
   */
  enqueue(runId: string, options?: { delayMs?: number; tag?: string }): Promise<void>;
  /**
   * Runs `work` holding the run's lock, shared by every process; `{ locked: false }` without running
   * it when another process still holds the lock after `waitMs` (default 0).
   */
  withRunLock<T>(
    runId: string,
    work: () => Promise<T>,
    options?: { waitMs?: number },
  ): Promise<{ locked: true; value: T } | { locked: false }>;
  /** Ids of runs saved as waiting for signal `key`. */
  waitingOn(key: string): Promise<string[]>;
  holdSignal(signal: HeldSignal): Promise<void>;
  /** Signals held for `key` in the last minute, oldest first. */
  heldSignals(key: string): Promise<HeldSignal[]>;
  /** Removes a held signal; false when another process took it first. */
  takeHeldSignal(signal: HeldSignal): Promise<boolean>;
  /** Stops taking jobs and lets the ones running finish (the engine bounds that with its grace). */
  stop(): Promise<void>;
}
