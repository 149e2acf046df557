// The engine: creates runs for work items, executes them within concurrency limits, wakes them on
// timers and signals, and retries failed runs on request.
import pLimit, { type LimitFunction } from 'p-limit';
import { type Clock, systemClock } from '../clock.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { Dispatcher } from './dispatcher.ts';
import { BatonError } from './errors.ts';
import { executeRun } from './execute.ts';
import type { Recipe } from './recipe.ts';
import { runIdFor } from './run-id.ts';
import { ACTIVE_STATUSES, type RunRecord, type RunSummary, summarize, wakeKeys } from './run-record.ts';
import { enqueueDue, type SharedDeps, signalShared, takeHeldSignals } from './shared-runs.ts';

export interface EngineOptions {
  store: Store;
  recipes: readonly Recipe[];
  clock?: Clock;
  log?: Logger;
  /** Runs executing at once across all recipes (default 4). Waiting runs hold no slot. */
  concurrency?: number;
  /**
   * Per recipe name, runs at once across every process sharing the store (BATON_GROUP_CONCURRENCY);
   * without a dispatcher this process is the whole group. A recipe's own `concurrency` is per process.
   */
  groupConcurrency?: Readonly<Record<string, number>>;
  /**
   * Shares the work with other processes over one shared store (scale-out, BATON_REDIS_URL): runs
   * are queued jobs any process may take, waits are delayed jobs, signals reach runs loaded by
   * other processes. Without it, this engine launches and times its runs itself.
   */
  dispatcher?: Dispatcher;
  /** With a dispatcher: how long a job waits for a run another process holds (default 30 s). */
  runLockWaitMs?: number;
}

/** The item's payload does not match the recipe's input schema; `reason` is fit for a Status cell. */
export class InvalidInputError extends BatonError {
  override readonly name = 'InvalidInputError';
  constructor(readonly reason: string) {
    super(`Invalid input: ${reason}`);
  }
}

export class Engine {
  readonly clock: Clock;
  readonly #store: Store;
  readonly #log: Logger;
  readonly #recipes = new Map<string, Recipe>();
  readonly #limits = new Map<string, LimitFunction>();
  readonly #global: LimitFunction;
  /** Every run that is not finished, by id: all the engine needs to know when to wake what. */
  readonly #active = new Map<string, RunSummary>();
  /** Waiting runs by the signal key that wakes them, so a signal costs the runs it concerns only. */
  readonly #waiters = new Map<string, Set<string>>();
  readonly #executing = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  /**
   * Signals that arrived while a run that may wait for them was executing, kept briefly. `seq`
   * orders them against the waits the run enters, so only a signal newer than the wait is handed
   * to it (an older one reported a state the wait's `check` has already read).
   */
  readonly #heldSignals = new Map<string, { payload: unknown; at: number; seq: number }[]>();
  #seq = 0;
  #stopping = false;
  #wakeTimer: { at: number; cancel: AbortController } | undefined;
  #timersOn = false;
  readonly #dispatch: Dispatcher | undefined;
  /** Store, dispatcher and clock for shared-runs.ts, when there is a dispatcher. */
  readonly #shared: SharedDeps | undefined;
  readonly #lockWaitMs: number;
  readonly #concurrency: number;
  readonly #groupConcurrency: Readonly<Record<string, number>>;

  constructor(options: EngineOptions) {
    this.#store = options.store;
    this.#dispatch = options.dispatcher;
    this.#lockWaitMs = options.runLockWaitMs ?? 30_000;
    this.#concurrency = options.concurrency ?? 4;
    this.#groupConcurrency = options.groupConcurrency ?? {};
    this.clock = options.clock ?? systemClock;
    this.#shared = options.dispatcher
      ? { store: this.#store, dispatcher: options.dispatcher, clock: this.clock }
      : undefined;
    this.#log = options.log ?? silentLogger;
    this.#global = pLimit(options.concurrency ?? 4);
    for (const recipe of options.recipes) {
      if (this.#recipes.has(recipe.name)) throw new Error(`Two recipes are named '${recipe.name}'`);
      this.#recipes.set(recipe.name, recipe);
      const limit = Math.min(
        recipe.concurrency ?? Number.POSITIVE_INFINITY,
        this.#groupConcurrency[recipe.name] ?? Number.POSITIVE_INFINITY,
      );
      if (Number.isFinite(limit)) this.#limits.set(recipe.name, pLimit(limit));
    }
  }

  /** Loads unfinished runs. A run found `running` was cut off by a crash: it replays from its journal. */
  async load(): Promise<void> {
    for (const run of await this.#store.listRuns({ status: ACTIVE_STATUSES })) {
      if (run.status === 'running') run.status = 'queued';
      this.#remember(summarize(run));
      // Jobs are named after the run and its state: queuing what is already queued does nothing, and
      // a run whose job was lost (a process died between saving it and queuing it) is queued again.
      if (this.#shared) await enqueueDue(this.#shared, run);
    }
  }

  get recipes(): readonly Recipe[] {
    return [...this.#recipes.values()];
  }

  #track(summary: RunSummary): void {
    this.#untrack(summary.id);
    this.#active.set(summary.id, summary);
    if (summary.status !== 'waiting') return;
    for (const key of wakeKeys(summary.wake)) {
      const ids = this.#waiters.get(key) ?? new Set<string>();
      ids.add(summary.id);
      this.#waiters.set(key, ids);
    }
  }

  /**
   * Tracks a run this engine will wake itself. With a dispatcher, any process may run it: this one
   * tracks only the runs it is executing (what its status and metrics show).
   */
  #remember(summary: RunSummary): void {
    if (!this.#dispatch) this.#track(summary);
  }

  #untrack(id: string): void {
    const keys = wakeKeys(this.#active.get(id)?.wake);
    this.#active.delete(id);
    for (const key of keys) {
      const ids = this.#waiters.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.#waiters.delete(key);
    }
  }

  /** True when a run exists (live, finished or archived) for this recipe and item key. */
  async hasRun(recipe: string, itemKey: string): Promise<boolean> {
    const id = runIdFor(recipe, itemKey);
    // Existence only: a finished run's journal is not read.
    return this.#active.has(id) || (await this.#store.hasRun(id));
  }

  /** Checks a payload against the recipe's input schema without starting anything. */
  validate(
    recipeName: string,
    payload: unknown,
  ): { ok: true; input: unknown } | { ok: false; reason: string } {
    const parsed = this.#recipe(recipeName).input.safeParse(payload);
    if (parsed.success) return { ok: true, input: parsed.data };
    // A recipe's own messages ('no Email') read well alone; zod's generic ones need the field name.
    const reason = parsed.error.issues
      .map((i) =>
        i.path.length && i.message.startsWith('Invalid') ? `${i.path.join('.')}: ${i.message}` : i.message,
      )
      .join('; ');
    return { ok: false, reason };
  }

  /**
   * Starts the run for `itemKey` unless one exists already (at most one run per recipe and key).
   * `resumed`: the item was claimed by an earlier process whose run is lost (StepContext.runResumed).
   * @throws InvalidInputError when the payload fails the recipe's input schema.
   */
  async submit(
    recipeName: string,
    itemKey: string,
    payload: unknown,
    options: { resumed?: boolean } = {},
  ): Promise<{ runId: string; created: boolean }> {
    const id = runIdFor(recipeName, itemKey);
    if (await this.hasRun(recipeName, itemKey)) return { runId: id, created: false };
    const checked = this.validate(recipeName, payload);
    if (!checked.ok) throw new InvalidInputError(checked.reason);
    const now = this.clock.now();
    const run: RunRecord = {
      version: 1,
      id,
      recipe: recipeName,
      itemKey,
      input: checked.input === undefined ? undefined : JSON.parse(JSON.stringify(checked.input)),
      status: 'queued',
      createdAt: now,
      updatedAt: now,
      ...(options.resumed ? { resumed: true } : {}),
      executions: 0,
      journal: [],
      inbox: [],
    };
    await this.#store.saveRun(run);
    this.#remember(summarize(run));
    this.#log.info({ runId: id, recipe: recipeName, item: itemKey }, 'run created');
    if (this.#dispatch) await this.#dispatch.enqueue(id);
    this.kick();
    return { runId: id, created: true };
  }

  /**
   * Delivers a signal to every run waiting on `key` and wakes them; only the wait it was delivered
   * to may consume it. A signal is a wake-up, not a command: a wait entered after it arrived never
   * consumes it, and uses `check` to read the state as it is then. A signal nobody waits for is
   * dropped, except that it is held for a minute while runs execute, for a run about to wait on it.
   */
  async signal(key: string, payload?: unknown): Promise<number> {
    if (this.#shared) {
      const reached = await signalShared(this.#shared, key, payload);
      for (const run of reached) if (this.#active.has(run.id)) this.#track(summarize(run));
      return reached.length;
    }
    const seq = ++this.#seq;
    let delivered = 0;
    for (const id of [...(this.#waiters.get(key) ?? [])]) {
      if (this.#executing.has(id)) continue;
      const run = await this.#store.getRun(id);
      if (run?.status !== 'waiting' || !run.wake || !wakeKeys(run.wake).includes(key)) continue;
      run.inbox.push({ key, payload, at: this.clock.now(), waitId: run.wake.stepId });
      run.updatedAt = this.clock.now();
      await this.#store.saveRun(run);
      this.#track(summarize(run));
      delivered++;
    }
    if (delivered === 0 && this.#executing.size > 0) {
      const cutoff = this.clock.now() - 60_000;
      for (const [k, held] of this.#heldSignals)
        if (held.every((s) => s.at <= cutoff)) this.#heldSignals.delete(k);
      const held = (this.#heldSignals.get(key) ?? []).filter((s) => s.at > cutoff);
      held.push({ payload, at: this.clock.now(), seq });
      this.#heldSignals.set(key, held);
    }
    if (delivered > 0) this.kick();
    return delivered;
  }

  /** Starts every run that can run now (queued, signalled, or due) within the concurrency limits. */
  kick(): void {
    // With a dispatcher, runs start from the queue, never from here.
    if (this.#stopping || this.#dispatch) return;
    const now = this.clock.now();
    // In the order they became due (a wake time, else creation): with a concurrency limit, the run
    // that has waited longest gets the first free place (e.g. emails the daily cap held back).
    const runnable = [...this.#active.values()]
      .filter((summary) => !this.#executing.has(summary.id) && isRunnable(summary, now))
      .sort((a, b) => dueSince(a) - dueSince(b));
    for (const summary of runnable) this.#launch(summary);
    this.#armTimer();
  }

  /** Runs until nothing is runnable now: every run is finished or suspended until later. */
  async drain(): Promise<void> {
    this.kick();
    while (this.#executing.size > 0) {
      await Promise.allSettled([...this.#executing.values()]);
      this.kick();
    }
  }

  /** The earliest time a suspended run wants to wake, if any. */
  nextWakeAt(): number | undefined {
    return this.#nextWake(() => false);
  }

  /** The earliest wake of runs for which `skip` is false. */
  #nextWake(skip: (summary: RunSummary) => boolean): number | undefined {
    let next: number | undefined;
    for (const s of this.#active.values()) {
      if (s.status === 'waiting' && s.wake?.at !== undefined && !skip(s))
        next = Math.min(next ?? Infinity, s.wake.at);
    }
    return next;
  }

  /** Summaries of unfinished runs (for status and health). */
  activeRuns(): RunSummary[] {
    return [...this.#active.values()];
  }

  /**
   * Puts a failed run back in the queue. Its failed step starts over with fresh attempts; steps that
   * finished are not run again.
   */
  async retry(runId: string): Promise<RunRecord> {
    const run = await this.#store.getRun(runId);
    if (!run) throw new BatonError(`No run ${runId}`, { hint: 'list runs with `baton runs`' });
    if (run.status !== 'failed' && run.status !== 'cancelled') {
      throw new BatonError(`Run ${runId} is ${run.status}, not failed`, {
        hint: 'only failed or cancelled runs can be retried',
      });
    }
    for (const entry of run.journal) {
      if (entry.status === 'failed' || (entry.kind === 'step' && entry.status === 'pending')) {
        entry.status = 'pending';
        entry.attempts = 0;
        delete entry.dueAt;
        delete entry.pausedFor;
      }
    }
    run.status = 'queued';
    delete run.error;
    run.updatedAt = this.clock.now();
    await this.#store.saveRun(run);
    this.#remember(summarize(run));
    await this.#dispatch?.enqueue(runId, { tag: `r${run.updatedAt}` });
    this.kick();
    return run;
  }

  /** Stops a run that has not finished; it keeps its journal and can be retried later. */
  async cancel(runId: string): Promise<void> {
    if (this.#dispatch) {
      // Under the run's lock: after the execution in progress, wherever it runs.
      const done = await this.#dispatch.withRunLock(runId, () => this.#cancel(runId), {
        waitMs: this.#lockWaitMs,
      });
      if (!done.locked) throw new BatonError(`Run ${runId} is busy in another process; try again`);
      return;
    }
    // Read after the execution in progress ends, so steps it finished meanwhile are kept.
    await this.#executing.get(runId);
    await this.#cancel(runId);
  }

  async #cancel(runId: string): Promise<void> {
    const run = await this.#store.getRun(runId);
    if (!run || !ACTIVE_STATUSES.includes(run.status)) return;
    run.status = 'cancelled';
    run.updatedAt = this.clock.now();
    delete run.wake;
    await this.#store.saveRun(run);
    this.#untrack(runId);
  }

  /**
   * Wakes suspended runs on time from now on (the long-running `start` mode). With a dispatcher,
   * starts taking queued runs instead (its delayed jobs are the timers); a failure to start is logged.
   */
  startTimers(): Promise<void> {
    if (this.#dispatch) {
      return this.#dispatch
        .start({
          recipes: this.recipes,
          concurrency: this.#concurrency,
          groupConcurrency: this.#groupConcurrency,
          handle: (runId) => this.#runJob(runId),
        })
        .catch((err) => this.#log.error({ err: (err as Error).message }, 'could not start queue workers'));
    }
    this.#timersOn = true;
    this.#armTimer();
    return Promise.resolve();
  }

  /**
   * Stops starting runs, lets executing ones finish for up to `graceMs`, then aborts their steps'
   * signals. An aborted step is retried after the next start; its result was not recorded.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    this.#timersOn = false;
    this.#wakeTimer?.cancel.abort();
    const all = Promise.allSettled([...this.#executing.values()]);
    const timedOut = await Promise.race([all.then(() => false), delay(graceMs).then(() => true)]);
    if (timedOut) {
      this.#log.warn({ runs: this.#executing.size }, 'shutdown grace period over: aborting running steps');
      this.#abort.abort(new BatonError('Baton is shutting down'));
      await all;
    }
    await this.#dispatch?.stop();
  }

  #launch(summary: RunSummary): void {
    const recipeLimit = this.#limits.get(summary.recipe);
    const execute = () => this.#global(async () => void (await this.#execute(summary.id)));
    const task = (recipeLimit ? recipeLimit(execute) : execute()).finally(() => {
      this.#executing.delete(summary.id);
      this.kick();
    });
    this.#executing.set(summary.id, task);
  }

  /** The run as this execution left it; undefined when it did not execute or the store failed. */
  async #execute(id: string): Promise<RunRecord | undefined> {
    if (this.#stopping) return undefined;
    const run = await this.#store.getRun(id);
    const recipe = run ? this.#recipes.get(run.recipe) : undefined;
    if (!run || !recipe) {
      this.#log.error(
        { runId: id },
        run ? `recipe '${run.recipe}' is not loaded; run left as is` : 'run vanished',
      );
      this.#untrack(id);
      return undefined;
    }
    if (!ACTIVE_STATUSES.includes(run.status)) {
      this.#untrack(id);
      return undefined;
    }
    const enteredWaits = new Map<string, number>();
    try {
      const after = await executeRun(run, recipe, {
        clock: this.clock,
        log: this.#log,
        persist: (r) => this.#store.saveRun(r),
        signal: this.#abort.signal,
        // With a dispatcher, signals are held in the store stamped with the time they arrived.
        onWaitEntered: (waitId) => enteredWaits.set(waitId, this.#dispatch ? this.clock.now() : this.#seq),
      });
      if (this.#shared) {
        const since = after.wake?.key ? enteredWaits.get(after.wake.stepId) : undefined;
        if (after.wake && since !== undefined) {
          // Kept with the run, so a process that looks later knows which held signals are news.
          after.wake.since = since;
          if (!(await takeHeldSignals(this.#shared, after, since))) await this.#store.saveRun(after);
        }
      } else await this.#deliverHeldSignals(after, enteredWaits);
      if (ACTIVE_STATUSES.includes(after.status)) this.#track(summarize(after));
      else this.#untrack(id);
      if (after.status === 'done') this.#log.info({ runId: id, recipe: run.recipe }, 'run done');
      if (after.status === 'failed' && after.error && recipe.onFailure) {
        await recipe
          .onFailure({ input: after.input, runId: id, error: after.error })
          .catch((err) =>
            this.#log.warn({ runId: id, err: (err as Error).message }, 'onFailure hook failed'),
          );
      }
      return after;
    } catch (err) {
      // Only the store can fail here (the recipe's own errors are recorded by executeRun): the run
      // stays as last persisted and is tried again on the next wake.
      this.#log.error({ runId: id, err: (err as Error).message }, 'could not record run state');
      const summary = this.#active.get(id);
      if (summary)
        this.#track({
          ...summary,
          status: 'waiting',
          wake: { reason: 'retry', stepId: '', at: this.clock.now() + 30_000 },
        });
      await this.#dispatch
        ?.enqueue(id, { delayMs: 30_000, tag: `e${this.clock.now()}` })
        .catch(() =>
          this.#log.error({ runId: id }, 'could not queue the run again; it resumes on the next start'),
        );
      return undefined;
    }
  }

  /**
   * A signal that arrived after the run entered the wait it suspended in (between its `check` and
   * the suspension) would otherwise be lost: hand it to that wait now. Signals that arrived before
   * the wait was entered are not handed over: its `check` already read the state they report.
   */
  async #deliverHeldSignals(run: RunRecord, enteredWaits: Map<string, number>): Promise<void> {
    const wake = run.status === 'waiting' ? run.wake : undefined;
    const stepId = wake?.stepId;
    const entered = stepId === undefined ? undefined : enteredWaits.get(stepId);
    if (stepId === undefined || entered === undefined) return;
    let handed = false;
    for (const key of wakeKeys(wake)) {
      const all = this.#heldSignals.get(key);
      const newer = all?.filter((s) => s.seq > entered) ?? [];
      if (!all || newer.length === 0) continue;
      this.#heldSignals.set(
        key,
        all.filter((s) => s.seq <= entered),
      );
      for (const s of newer) run.inbox.push({ key, payload: s.payload, at: s.at, waitId: stepId });
      handed = true;
    }
    if (handed) await this.#store.saveRun(run);
  }

  /**
   * One queued job: under the run's lock, hand it the signals held for its wait, execute it if it is
   * due (a job made stale by a signal or an earlier wake does nothing), then queue what comes next.
   */
  async #runJob(id: string): Promise<void> {
    const shared = this.#shared;
    if (!shared) return;
    const d = shared.dispatcher;
    const requeue = (tag: string) => d.enqueue(id, { delayMs: 1000, tag: `${tag}${this.clock.now()}` });
    if (this.#stopping) return requeue('x');
    // The slot first, then the lock: a job waiting for a slot here keeps no run from other processes.
    const result = await this.#global(() =>
      d.withRunLock(
        id,
        async () => {
          const stored = await this.#store.getRun(id);
          if (!stored || !ACTIVE_STATUSES.includes(stored.status)) return undefined;
          await takeHeldSignals(shared, stored, stored.wake?.since ?? -Infinity);
          const now = this.clock.now();
          if (!isRunnable(summarize(stored), now)) {
            // A wake job run a little early (clocks of two machines): look again when it is due.
            const at = stored.wake?.at;
            if (at !== undefined && at - now < 5_000)
              await d.enqueue(id, { delayMs: at - now, tag: `w${at}e${now}` });
            return undefined;
          }
          this.#track({ ...summarize(stored), status: 'running' });
          const task = this.#execute(id);
          this.#executing.set(
            id,
            task.then(() => undefined),
          );
          try {
            return await task;
          } finally {
            this.#executing.delete(id);
            this.#untrack(id);
          }
        },
        { waitMs: this.#lockWaitMs },
      ),
    );
    if (!result.locked) return requeue('l');
    const after = result.value;
    // Taken from the queue as this process stopped, before it could execute: another one will.
    if (!after && this.#stopping) return requeue('x');
    if (!after || !ACTIVE_STATUSES.includes(after.status)) return;
    await enqueueDue(shared, after);
    // A signal held after this execution's last look, for the wait it entered: look again.
    const { key, since } = after.status === 'waiting' && after.wake ? after.wake : {};
    if (key === undefined || since === undefined) return;
    const held = await d.heldSignals(key);
    if (held.some((s) => s.at >= since)) await d.enqueue(id, { tag: `h${this.clock.now()}` });
  }

  /** Keeps one timer for the earliest wake, so due runs start on time without polling. */
  #armTimer(): void {
    if (!this.#timersOn) return;
    // A run already launched keeps its past wake until it suspends again: timing it would spin the
    // timer at 0 ms until it ends (its end kicks the engine anyway).
    const next = this.#nextWake((s) => this.#executing.has(s.id));
    if (next === undefined || (this.#wakeTimer && this.#wakeTimer.at <= next)) return;
    this.#wakeTimer?.cancel.abort();
    const cancel = new AbortController();
    this.#wakeTimer = { at: next, cancel };
    // Capped so a clock jump (suspend/resume of the VPS) is noticed within a minute.
    const wait = Math.min(Math.max(0, next - this.clock.now()), 60_000);
    this.clock.sleep(wait, cancel.signal).then(
      () => {
        this.#wakeTimer = undefined;
        this.kick();
        this.#armTimer();
      },
      () => undefined,
    );
  }

  #recipe(name: string): Recipe {
    const recipe = this.#recipes.get(name);
    if (!recipe)
      throw new BatonError(`No recipe named '${name}'`, {
        hint: `known: ${[...this.#recipes.keys()].join(', ')}`,
      });
    return recipe;
  }
}

/** When a runnable run became due: its wake time when it has one, else its creation. */
function dueSince(summary: RunSummary): number {
  return summary.wake?.at ?? summary.createdAt;
}

function isRunnable(summary: RunSummary, now: number): boolean {
  if (summary.status === 'queued' || summary.status === 'running') return true;
  if (summary.status !== 'waiting') return false;
  return summary.hasInbox || (summary.wake?.at !== undefined && summary.wake.at <= now);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
