// RecipeContext implementation: walks a run's journal in call order, returning recorded results
// and running (then recording) only what has not finished yet.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { retryDelayMs } from './backoff.ts';
import type { RecipeContext, StepContext, WaitOptions } from './context.ts';
import { type Duration, deadline } from './duration.ts';
import {
  JournalMismatchError,
  NonRetriableError,
  RetryAfterError,
  StepFailedError,
  SuspendUntilError,
  serializeError,
} from './errors.ts';
import type { RetryPolicy } from './recipe.ts';
import type { JournalEntry, RunRecord, Wake } from './run-record.ts';

/**
 * Thrown through the recipe's code when the run must pause (a sleep, a wait, a retry backoff).
 * Deliberately not an Error, so `catch (e) { if (e instanceof Error) … }` lets it pass.
 */
export class Suspension {
  constructor(readonly wake: Wake) {}
}

export interface ReplayDeps {
  clock: Clock;
  log: Logger;
  retry: RetryPolicy;
  /** Writes the run; resolves once it is durable. */
  persist(run: RunRecord): Promise<void>;
  signal: AbortSignal;
  /** Told when a wait is entered, so signals that arrive while the run executes are judged against it. */
  onWaitEntered?(waitId: string): void;
}

/** How long to wait before looking again when a wait's `check` itself failed. */
const CHECK_RETRY_MS = 5 * 60_000;

export class ReplayContext implements RecipeContext {
  readonly runId: string;
  readonly recipe: string;
  readonly log: Logger;
  readonly #run: RunRecord;
  readonly #deps: ReplayDeps;
  #cursor = 0;
  readonly #seen = new Set<string>();
  readonly #counters = { now: 0, random: 0 };
  readonly #inflight = new Set<Promise<unknown>>();
  #suspension: Wake | undefined;
  #saving: Promise<void> = Promise.resolve();

  constructor(run: RunRecord, deps: ReplayDeps) {
    this.#run = run;
    this.#deps = deps;
    this.runId = run.id;
    this.recipe = run.recipe;
    this.log = deps.log;
  }

  /** The wake-up condition if the run suspended during this execution. */
  get suspension(): Wake | undefined {
    return this.#suspension;
  }

  /** Waits for steps still running (parallel branches) so their results are journaled. */
  async settle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    await this.#saving;
  }

  /** Persists the run now, after any save already queued (saves never overlap or reorder). */
  persist(): Promise<void> {
    this.#run.updatedAt = this.#deps.clock.now();
    const snapshot = structuredClone(this.#run);
    this.#saving = this.#saving.then(() => this.#deps.persist(snapshot));
    return this.#saving;
  }

  step<T>(id: string, fn: (step: StepContext) => Promise<T> | T): Promise<T> {
    const promise = this.#step(id, fn);
    this.#inflight.add(promise);
    const forget = () => this.#inflight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  async #step<T>(id: string, fn: (step: StepContext) => Promise<T> | T): Promise<T> {
    const entry = this.#enter(id, 'step');
    if (entry.status === 'done') return entry.value as T;
    if (entry.status === 'failed') {
      throw new StepFailedError(id, entry.attempts, entry.error?.message ?? 'failed earlier');
    }
    if (entry.dueAt !== undefined && entry.dueAt > this.#deps.clock.now()) {
      this.#suspend(
        entry.pausedFor !== undefined
          ? { reason: 'paused', stepId: id, at: entry.dueAt, note: entry.pausedFor }
          : { reason: 'retry', stepId: id, at: entry.dueAt },
      );
    }
    return this.#attempt(entry, fn);
  }

  async #attempt<T>(entry: JournalEntry, fn: (step: StepContext) => Promise<T> | T): Promise<T> {
    const { clock, retry } = this.#deps;
    entry.attempts++;
    // A step that asks firstTry() records its start before writing, so when it finds no recorded
    // start, no earlier try of it wrote anything (a run made again after a lost folder may have).
    const untried = entry.startedAt === undefined && this.#run.resumed !== true;
    entry.startedAt ??= clock.now();
    let firstTry: Promise<boolean> | undefined;
    delete entry.dueAt;
    delete entry.pausedFor;
    const annotations: Record<string, unknown> = {};
    const stepContext: StepContext = {
      idempotencyKey: `${this.runId}:${entry.id}`,
      runCreatedAt: this.#run.createdAt,
      runResumed: this.#run.resumed === true,
      attempt: entry.attempts,
      firstTry: () => {
        firstTry ??= untried ? this.persist().then(() => true) : Promise.resolve(false);
        return firstTry;
      },
      signal: this.#deps.signal,
      annotate: (facts) => Object.assign(annotations, facts),
    };
    try {
      const value = toJournalValue(await fn(stepContext)) as T;
      entry.status = 'done';
      entry.value = value;
      entry.endedAt = clock.now();
      delete entry.error;
      if (Object.keys(annotations).length > 0)
        entry.annotations = toJournalValue(annotations) as Record<string, unknown>;
      await this.persist();
      return value;
    } catch (thrown) {
      if (thrown instanceof Suspension) throw thrown;
      if (this.#deps.signal.aborted) {
        // Cut off by shutdown, not a failure of the step: try again at the next start, same attempt.
        entry.attempts--;
        this.#suspend({ reason: 'retry', stepId: entry.id, at: clock.now() });
      }
      if (thrown instanceof SuspendUntilError) {
        // Not a failure: the try is given back and the step waits for the time it named, however
        // often that happens (a daily budget may put a step off for several days).
        entry.attempts--;
        entry.dueAt = Math.max(thrown.until, clock.now());
        entry.pausedFor = thrown.message;
        this.log.info(
          { step: entry.id, until: new Date(entry.dueAt).toISOString(), why: thrown.message },
          'step paused',
        );
        await this.persist();
        this.#suspend({ reason: 'paused', stepId: entry.id, at: entry.dueAt, note: thrown.message });
      }
      entry.error = serializeError(thrown);
      if (Object.keys(annotations).length > 0)
        entry.annotations = toJournalValue(annotations) as Record<string, unknown>;
      const retryable = !(thrown instanceof NonRetriableError) && !isMarkedFinal(thrown);
      if (!retryable || entry.attempts >= retry.maxAttempts) {
        entry.status = 'failed';
        entry.endedAt = clock.now();
        await this.persist();
        throw new StepFailedError(entry.id, entry.attempts, thrown);
      }
      const delay =
        thrown instanceof RetryAfterError ? thrown.retryAfterMs : retryDelayMs(retry, entry.attempts);
      entry.dueAt = clock.now() + delay;
      // Info, not warn: during an outage every run retries; the outage itself is logged once, by the
      // service's circuit breaker.
      this.log.info(
        { step: entry.id, attempt: entry.attempts, retryInMs: delay, err: entry.error.message },
        'step failed; will retry',
      );
      await this.persist();
      this.#suspend({ reason: 'retry', stepId: entry.id, at: entry.dueAt });
    }
  }

  async now(): Promise<Date> {
    const entry = this.#enter(`now:${++this.#counters.now}`, 'now');
    return new Date((await this.#recordOnce(entry, () => this.#deps.clock.now())) as number);
  }

  async random(): Promise<number> {
    const entry = this.#enter(`random:${++this.#counters.random}`, 'random');
    return (await this.#recordOnce(entry, Math.random)) as number;
  }

  async id(): Promise<string> {
    const entry = this.#enter(`random:${++this.#counters.random}`, 'random');
    return (await this.#recordOnce(entry, randomUUID)) as string;
  }

  /**
   * A helper's value is durable before the recipe sees it: a key made with `id()` and handed to a
   * step is the same key after a crash, whatever the step did outside before the process died.
   */
  async #recordOnce(entry: JournalEntry, make: () => unknown): Promise<unknown> {
    if (entry.status !== 'done') {
      this.#record(entry, make());
      await this.persist();
    }
    return entry.value;
  }

  async sleep(id: string, duration: Duration | Date): Promise<void> {
    const entry = this.#enter(id, 'sleep');
    if (entry.status === 'done') return;
    const now = this.#deps.clock.now();
    entry.dueAt ??= deadline(duration, now);
    if (now >= entry.dueAt) {
      this.#record(entry, null);
      return;
    }
    this.#suspend({ reason: 'sleep', stepId: id, at: entry.dueAt });
  }

  async waitFor<T = unknown>(id: string, options: WaitOptions<T>): Promise<T | null> {
    // Entered even when a parallel branch has suspended already: its signals are read and its key
    // joins the run's wake, so a branch waiting on a retry never hides a signal wait.
    const entry = this.#enter(id, 'wait', true);
    if (entry.status === 'done') return entry.value as T | null;
    const { clock } = this.#deps;
    const keys: readonly string[] =
      typeof options.key === 'string' ? [options.key] : [...new Set(options.key)];
    if (keys.length === 0) throw new Error(`waitFor '${id}': no signal key to wait for`);
    entry.waitKey = keys.join(' ');
    entry.dueAt ??= deadline(options.timeout, clock.now());
    this.#deps.onWaitEntered?.(id);

    // Signals delivered to this wait while it was suspended, oldest first; each is consumed whether
    // accepted or not. A signal delivered to an earlier wait on the same key is stale here: it
    // reported a state this wait's `check` reads afresh, so it is dropped, never consumed.
    const signals = this.#run.inbox.filter((s) => keys.includes(s.key));
    this.#run.inbox = this.#run.inbox.filter((s) => !keys.includes(s.key));
    for (const delivered of signals) {
      if (delivered.waitId !== undefined && delivered.waitId !== id) continue;
      const value = options.accept ? options.accept(delivered.payload) : (delivered.payload as T);
      if (value !== undefined) return this.#finishWait(entry, value);
    }
    let wakeAt = entry.dueAt;
    if (options.check) {
      try {
        const value = await options.check();
        if (value !== undefined) return this.#finishWait(entry, value);
      } catch (err) {
        this.log.warn({ step: id, err: serializeError(err).message }, 'wait check failed; will look again');
        wakeAt = Math.min(entry.dueAt, clock.now() + CHECK_RETRY_MS);
      }
    }
    if (clock.now() >= entry.dueAt) return this.#finishWait(entry, null);
    return this.#suspend({
      reason: 'signal',
      stepId: id,
      key: keys[0]!,
      ...(keys.length > 1 ? { keys: [...keys] } : {}),
      at: wakeAt,
    });
  }

  async #finishWait<T>(entry: JournalEntry, value: T | null): Promise<T | null> {
    const recorded = toJournalValue(value) as T | null;
    this.#record(entry, recorded);
    await this.persist();
    return recorded;
  }

  /** Claims the next journal position for `id`, checking it against what the journal recorded there. */
  #enter(id: string, kind: JournalEntry['kind'], whileSuspended = false): JournalEntry {
    if (this.#suspension && !whileSuspended) throw new Suspension(this.#suspension);
    if (this.#seen.has(id)) {
      throw new JournalMismatchError(`Run ${this.runId}: step id '${id}' is used twice`, {
        hint: 'give every step in a recipe a unique id (add the loop index for steps in a loop)',
      });
    }
    this.#seen.add(id);
    const position = this.#cursor++;
    const recorded = this.#run.journal[position];
    if (recorded && (recorded.id !== id || recorded.kind !== kind)) {
      throw new JournalMismatchError(
        `Run ${this.runId}: replay reached ${kind} '${id}' at position ${position + 1}, but the journal recorded ${recorded.kind} '${recorded.id}' there`,
        {
          hint: 'the recipe changed its steps while this run was in flight; restore the old order, or cancel the run and start it again',
        },
      );
    }
    if (recorded) return recorded;
    const entry: JournalEntry = { id, kind, status: 'pending', attempts: 0 };
    this.#run.journal.push(entry);
    return entry;
  }

  #record(entry: JournalEntry, value: unknown): void {
    entry.status = 'done';
    entry.value = value;
    entry.endedAt = this.#deps.clock.now();
    entry.attempts = Math.max(1, entry.attempts);
    delete entry.dueAt;
  }

  /**
   * Parallel branches (`Promise.all`) may suspend in turn: the run wakes at the earliest time any of
   * them asked for, and keeps the signal wait's key so a signal still wakes it.
   */
  #suspend(wake: Wake): never {
    this.#suspension = this.#suspension ? earliestWake(this.#suspension, wake) : wake;
    throw new Suspension(this.#suspension);
  }
}

function earliestWake(a: Wake, b: Wake): Wake {
  const at = a.at === undefined ? b.at : b.at === undefined ? a.at : Math.min(a.at, b.at);
  const base =
    a.key !== undefined ? a : b.key !== undefined ? b : (b.at ?? Infinity) < (a.at ?? Infinity) ? b : a;
  return { ...base, ...(at !== undefined ? { at } : {}) };
}

/** Results go through JSON so the first execution sees exactly what every replay will see. */
function toJournalValue(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Connector errors say themselves whether a retry can help (`retryable: false`). */
function isMarkedFinal(thrown: unknown): boolean {
  return (
    typeof thrown === 'object' && thrown !== null && (thrown as { retryable?: unknown }).retryable === false
  );
}
