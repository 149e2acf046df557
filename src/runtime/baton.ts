// The Baton process: one store, one engine, a poller per trigger, cron ticks, housekeeping.
import schedule from 'node-schedule';
import { type Clock, systemClock } from '../clock.ts';
import { Engine } from '../engine/engine.ts';
import type { Recipe } from '../engine/recipe.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { Store } from '../store/store.ts';
import { Poller, type PollerState } from '../triggers/poller.ts';
import { isScheduleTrigger } from '../triggers/schedule.ts';
import { dispatchPoll } from './dispatch.ts';

export interface BatonOptions {
  store: Store;
  recipes: readonly Recipe[];
  clock?: Clock;
  log?: Logger;
  /** Default poll interval for triggers that set none (BATON_POLL_INTERVAL). */
  pollIntervalMs?: number;
  concurrency?: number;
  /** Finished runs older than this are archived (BATON_RETENTION_DAYS). */
  retentionMs?: number;
  /** `runOnce` waits for step retries due within this long before returning (default 60 s). */
  onceRetryHorizonMs?: number;
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

  constructor(options: BatonOptions) {
    this.#options = options;
    this.store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.engine = new Engine({
      store: options.store,
      recipes: options.recipes,
      clock: this.#clock,
      log: this.#log,
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    });
    for (const recipe of options.recipes) {
      for (const trigger of recipe.triggers) {
        const poller = new Poller({
          trigger,
          store: options.store,
          clock: this.#clock,
          log: this.#log.child({ recipe: recipe.name }),
          defaultIntervalMs: options.pollIntervalMs ?? 60_000,
          handle: (result, t) => dispatchPoll(this.engine, recipe.name, t, result, this.#log),
        });
        this.#pollers.push({ recipe: recipe.name, poller });
      }
    }
  }

  /** Takes the data folder (lock) and loads unfinished runs. */
  async open(): Promise<void> {
    await this.store.open();
    await this.engine.load();
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
    for (const { poller } of this.#pollers) {
      poller.start();
      const trigger = poller.trigger;
      if (isScheduleTrigger(trigger)) {
        const rule = trigger.tz ? { rule: trigger.cron, tz: trigger.tz } : trigger.cron;
        const job = schedule.scheduleJob(rule, () => poller.pollSoon());
        if (job) this.#jobs.push(job);
      }
    }
    this.engine.startTimers();
    this.engine.kick();
    const retention = this.#options.retentionMs ?? 30 * 86_400_000;
    const archive = () =>
      this.store
        .archive(this.#clock.now() - retention)
        .then((n) => n > 0 && this.#log.info({ runs: n }, 'archived finished runs'))
        .catch((err) => this.#log.warn({ err: (err as Error).message }, 'archiving failed'));
    void archive();
    let ticks = 0;
    // Every 5 s: commands left by `baton retry`/`cancel`; every 6 h: archiving. This timer also keeps
    // the process alive when no trigger is configured.
    this.#housekeeping = setInterval(() => {
      void this.#applyCommands();
      if (++ticks % 4320 === 0) void archive();
    }, 5000);
  }

  /** Stops polling, lets running steps finish within `graceMs`, persists, releases the data folder. */
  async stop(graceMs = 10_000): Promise<void> {
    for (const job of this.#jobs) job.cancel();
    clearInterval(this.#housekeeping);
    await Promise.all(this.#pollers.map(({ poller }) => poller.stop()));
    await this.engine.stop(graceMs);
    await this.store.close();
  }

  pollerStates(): PollerState[] {
    return this.#pollers.map(({ poller }) => poller.state);
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
