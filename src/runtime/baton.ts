// The Baton process: one store, one engine, a poller per trigger, cron ticks, housekeeping.
import { hostname } from 'node:os';
import schedule from 'node-schedule';
import writeFileAtomic from 'write-file-atomic';
import { type Clock, systemClock } from '../clock.ts';
import type { Dispatcher } from '../engine/dispatcher.ts';
import { Engine } from '../engine/engine.ts';
import type { Recipe } from '../engine/recipe.ts';
import type { RunRecord } from '../engine/run-record.ts';
import { type GuardedHome, type InstanceBusyError, InstanceGuard, instanceIdOf } from '../instances/index.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { PollGate } from '../triggers/poll-gate.ts';
import { Poller, type PollerState } from '../triggers/poller.ts';
import { isScheduleTrigger } from '../triggers/schedule.ts';
import { flushDataFolderWriters } from './data-folder-writers.ts';
import { dispatchPoll } from './dispatch.ts';

export interface BatonOptions {
  store: Store;
  recipes: readonly Recipe[];
  clock?: Clock;
  log?: Logger;
  /** Default poll interval for triggers that set none (BATON_POLL_INTERVAL). */
  pollIntervalMs?: number;
  concurrency?: number;
  /** BATON_GROUP_CONCURRENCY (see EngineOptions.groupConcurrency). */
  groupConcurrency?: Readonly<Record<string, number>>;
  /**
   * Scale-out (BATON_REDIS_URL): runs are queued jobs shared with the other processes on the same
   * store; `start` takes jobs instead of timing runs itself (see Engine's `dispatcher`).
   */
  dispatcher?: Dispatcher;
  /** Finished runs older than this are archived (BATON_RETENTION_DAYS). */
  retentionMs?: number;
  /** `runOnce` waits for step retries due within this long before returning (default 60 s). */
  onceRetryHorizonMs?: number;
  /**
   * This instance (its data folder's id): with it, `open` announces the instance on every source
   * whose trigger has an `instanceHome` and refuses while another live instance is there. Without it
   * (tests driving one Baton, the scale-out mode where BATON_REDIS_URL coordinates) nothing is announced.
   */
  instance?: {
    dataDir: string;
    id?: string;
    settleMs?: number;
    /** Scale-out: the Redis group (src/scale `redisGroup`); instances of the same group accept each other. */
    group?: string;
  };
  /**
   * Scale-out (BATON_REDIS_URL): each poller asks it before polling, so one process of the group
   * polls each trigger at a time (src/scale TriggerLease). Without it every trigger is polled here.
   */
  pollGate?: PollGate;
}

/** A poller as status, health and metrics see it. */
export interface PollerInfo {
  recipe: string;
  intervalMs: number;
  state: Readonly<PollerState>;
}

/** What a running Baton writes to status.json for `baton status` (it owns the data folder meanwhile). */
export interface BatonStatus {
  version: 1;
  pid: number;
  host: string;
  startedAt: number;
  writtenAt: number;
  /** Set by a clean stop. */
  stoppedAt?: number;
  pollers: (PollerState & { recipe: string; intervalMs: number })[];
}

export class Baton {
  readonly engine: Engine;
  readonly store: Store;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #options: BatonOptions;
  readonly #pollers: { recipe: string; poller: Poller }[] = [];
  readonly #jobs: schedule.Job[] = [];
  #housekeeping: NodeJS.Timeout | undefined;
  readonly #runListeners = new Set<(run: RunRecord) => void>();
  #startedAt: number | undefined;
  #status: { file: string; written?: string; at: number } | undefined;
  readonly #homes = new Map<string, GuardedHome>();
  #guard: InstanceGuard | undefined;
  #onDisplaced: (err: InstanceBusyError) => void = () => undefined;
  /** Resolves when another live instance took over this one's sources: it has stopped polling. */
  readonly displaced: Promise<InstanceBusyError> = new Promise((resolve) => {
    this.#onDisplaced = resolve;
  });

  constructor(options: BatonOptions) {
    this.#options = options;
    this.store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.engine = new Engine({
      store: observeSaves(options.store, (run) => {
        for (const listener of this.#runListeners) listener(run);
      }),
      recipes: options.recipes,
      clock: this.#clock,
      log: this.#log,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.groupConcurrency ? { groupConcurrency: options.groupConcurrency } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    });
    // A trigger shared by several recipes (the review board) is polled once: its signals reach
    // waiting runs of every recipe; its items, if any, start runs of the first recipe listing it.
    const polled = new Set<unknown>();
    for (const recipe of options.recipes) {
      for (const trigger of recipe.triggers) {
        if (polled.has(trigger)) continue;
        polled.add(trigger);
        const home = trigger.instanceHome;
        const intervalMs = trigger.intervalMs ?? options.pollIntervalMs ?? 60_000;
        if (home) {
          const known = this.#homes.get(home.id);
          this.#homes.set(home.id, {
            home: known?.home ?? home,
            intervalMs: Math.max(intervalMs, known?.intervalMs ?? 0),
          });
        }
        const poller = new Poller({
          trigger,
          store: options.store,
          clock: this.#clock,
          log: this.#log.child({ recipe: recipe.name }),
          defaultIntervalMs: options.pollIntervalMs ?? 60_000,
          ...(options.pollGate ? { gate: options.pollGate } : {}),
          ...(home ? { beforePoll: async () => this.#guard?.beat(home.id) } : {}),
          handle: (result, t) => dispatchPoll(this.engine, recipe.name, t, result, this.#log),
        });
        this.#pollers.push({ recipe: recipe.name, poller });
      }
    }
  }

  /**
   * Takes the data folder (lock), announces this instance on its sources (when `instance` is set),
   * and loads unfinished runs.
   * @throws DataFolderBusyError when another process holds the folder; InstanceBusyError when
   *   another live instance works on one of the sources (nothing is left taken).
   */
  async open(): Promise<void> {
    await this.store.open();
    const instance = this.#options.instance;
    if (instance && this.#homes.size > 0) {
      // The data folder is ours now, so its instance id can be made without a race.
      const guard = new InstanceGuard({
        homes: [...this.#homes.values()],
        id: instance.id ?? (await instanceIdOf(instance.dataDir)),
        dataDir: instance.dataDir,
        clock: this.#clock,
        log: this.#log,
        ...(instance.settleMs !== undefined ? { settleMs: instance.settleMs } : {}),
        ...(instance.group !== undefined ? { group: instance.group } : {}),
        onDisplaced: (err) => {
          for (const { poller } of this.#pollers) void poller.stop();
          this.#onDisplaced(err);
        },
      });
      try {
        await guard.join();
      } catch (err) {
        await this.store.close();
        throw err;
      }
      this.#guard = guard;
    }
    await this.engine.load();
  }

  /** This instance's id when it announced itself on its sources. */
  get instanceId(): string | undefined {
    return this.#guard?.id;
  }

  /**
   * One cycle, as `baton run <recipe> --once` and cron deployments use it: poll the triggers once,
   * run everything claimable to completion or suspension, resume runs whose waits are due or
   * signalled, and wait for step retries due within the horizon. Throws if a poll failed.
   */
  async runOnce(recipe?: string): Promise<void> {
    await this.#applyCommands();
    const pollers = this.#pollers.filter((p) => !recipe || p.recipe === recipe);
    const failures: unknown[] = [];
    for (const { poller } of pollers) await poller.pollOnce().catch((err) => failures.push(err));
    await this.engine.drain();
    const horizon = this.#clock.now() + (this.#options.onceRetryHorizonMs ?? 60_000);
    for (let next = this.#nextRetry(); next !== undefined && next <= horizon; next = this.#nextRetry()) {
      await this.#clock.sleep(Math.max(0, next - this.#clock.now()));
      await this.engine.drain();
    }
    if (failures.length > 0) throw failures[0];
  }

  /** The long-running mode: pollers on their intervals, cron ticks, timers, daily archiving. */
  start(): void {
    this.#startedAt = this.#clock.now();
    for (const { poller } of this.#pollers) {
      poller.start();
      const trigger = poller.trigger;
      if (isScheduleTrigger(trigger)) {
        const rule = trigger.tz ? { rule: trigger.cron, tz: trigger.tz } : trigger.cron;
        const job = schedule.scheduleJob(rule, () => poller.pollSoon());
        if (job) this.#jobs.push(job);
      }
    }
    void this.engine.startTimers();
    this.engine.kick();
    const retention = this.#options.retentionMs ?? 30 * 86_400_000;
    const archive = () =>
      this.store
        .archive(this.#clock.now() - retention)
        .then((n) => n > 0 && this.#log.info({ runs: n }, 'archived finished runs'))
        .catch((err) => this.#log.warn({ err: (err as Error).message }, 'archiving failed'));
    let ticks = 0;
    // Every 5 s: commands left by `baton retry`/`cancel`; a minute after start and every 6 h after:
    // archiving (it reads every finished run's file, so not while the first polls run). This timer
    // also keeps the process alive when no trigger is configured.
    this.#housekeeping = setInterval(() => {
      void this.#applyCommands();
      void this.#writeStatus();
      if (++ticks % 4320 === 12) void archive();
    }, 5000);
  }

  /** Stops polling, lets running steps finish within `graceMs`, persists, releases the data folder. */
  async stop(graceMs = 10_000): Promise<void> {
    for (const job of this.#jobs) job.cancel();
    clearInterval(this.#housekeeping);
    await Promise.all(this.#pollers.map(({ poller }) => poller.stop()));
    await this.engine.stop(graceMs);
    await flushDataFolderWriters();
    await this.#writeStatus(true);
    await this.#guard?.leave();
    this.#guard = undefined;
    await this.store.close();
  }

  pollerStates(): PollerState[] {
    return this.#pollers.map(({ poller }) => poller.state);
  }

  /** Each poller with its recipe and interval. */
  pollers(): PollerInfo[] {
    return this.#pollers.map(({ recipe, poller }) => ({
      recipe,
      intervalMs: poller.intervalMs,
      state: poller.state,
    }));
  }

  /** When `start` was called (undefined before). */
  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  /**
   * Calls `listener` with every run document the engine saves, after it is saved (metrics count
   * step failures and tokens from them). A throwing listener is ignored. Returns the unsubscribe.
   */
  onRunSaved(listener: (run: RunRecord) => void): () => void {
    this.#runListeners.add(listener);
    return () => this.#runListeners.delete(listener);
  }

  /**
   * Keeps `file` (status.json in the data folder) up to date for `baton status`, which cannot open
   * the store while this process owns it: the pollers' last and next poll and errors, rewritten
   * atomically within 5 s of a change, at least once a minute, and on stop. Best effort: a failed
   * write is logged, never thrown.
   */
  publishStatus(file: string): Promise<void> {
    this.#status = { file, at: 0 };
    return this.#writeStatus();
  }

  /** Wakes every poller now (the sandbox page's "poll now" button, tests). */
  pollSoon(): void {
    for (const { poller } of this.#pollers) poller.pollSoon();
  }

  async #applyCommands(): Promise<void> {
    try {
      for (const command of await this.store.takeCommands()) {
        if (command.kind === 'retry') await this.engine.retry(command.runId);
        else await this.engine.cancel(command.runId);
        this.#log.info({ runId: command.runId }, `${command.kind} requested from the command line`);
      }
    } catch (err) {
      this.#log.warn({ err: (err as Error).message }, 'could not apply a command');
    }
  }

  async #writeStatus(stopping = false): Promise<void> {
    const target = this.#status;
    if (!target) return;
    const pollers = this.pollers().map(({ recipe, intervalMs, state }) => ({ ...state, recipe, intervalMs }));
    const content = JSON.stringify(pollers);
    const now = this.#clock.now();
    if (!stopping && content === target.written && now - target.at < 60_000) return;
    const status: BatonStatus = {
      version: 1,
      pid: process.pid,
      host: hostname(),
      startedAt: this.#startedAt ?? now,
      writtenAt: now,
      ...(stopping ? { stoppedAt: now } : {}),
      pollers,
    };
    target.written = content;
    target.at = now;
    try {
      await writeFileAtomic(target.file, JSON.stringify(status, null, 2));
    } catch (err) {
      this.#log.warn({ err: (err as Error).message, file: target.file }, 'could not write status file');
    }
  }

  #nextRetry(): number | undefined {
    let next: number | undefined;
    for (const run of this.engine.activeRuns()) {
      if (run.status === 'waiting' && run.wake?.reason === 'retry' && run.wake.at !== undefined) {
        next = Math.min(next ?? Infinity, run.wake.at);
      }
    }
    return next;
  }
}

/** The same store, telling `saved` about every run document written through it. */
function observeSaves(store: Store, saved: (run: RunRecord) => void): Store {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'saveRun') {
        return async (run: RunRecord) => {
          await target.saveRun(run);
          try {
            saved(run);
          } catch {
            // an observer's bug must not fail a run
          }
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
