// Runs one trigger on its interval: never two polls at once, backing off while it fails.
import { type Clock, systemClock } from '../clock.ts';
import { type Logger, silentLogger } from '../log.ts';
import type { Store } from '../store/store.ts';
import type { PollGate } from './poll-gate.ts';
import type { PollResult, Trigger } from './trigger.ts';

export interface PollerOptions {
  trigger: Trigger;
  store: Store;
  /** Receives each poll's items and signals (claims, starts runs, delivers signals). */
  handle: (result: PollResult, trigger: Trigger) => Promise<void>;
  defaultIntervalMs: number;
  /** Runs before each poll (the instance heartbeat); a throw fails the poll. */
  beforePoll?: () => Promise<void>;
  /** Cap of the error backoff (default 15 min). */
  maxBackoffMs?: number;
  /**
   * Scale-out: asked before each poll so that one process polls the trigger at a time (a Redis
   * lease). Without it (the default) every poll goes ahead.
   */
  gate?: PollGate;
  /**
   * How long a turn outlives the next due poll (default 2 s), so a holder renewing on time never
   * loses it; a holder that died hands over this long after its poll was due.
   */
  leaseGraceMs?: number;
  clock?: Clock;
  log?: Logger;
}

export interface PollerState {
  trigger: string;
  polls: number;
  lastPollAt?: number;
  nextPollAt?: number;
  lastError?: string;
  consecutiveErrors: number;
  /** Polls skipped because the service's circuit breaker was open. */
  skipped: number;
  /** With a gate: true while another process has the turn and this one only stands by. */
  standby?: boolean;
}

export class Poller {
  readonly trigger: Trigger;
  readonly #options: PollerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #state: PollerState;
  #current: Promise<void> | undefined;
  #loop: AbortController | undefined;
  #wakeEarly: AbortController | undefined;
  /** With a gate: when the other process's turn lapses, so a standby asks again then, not later. */
  #retryInMs: number | undefined;
  #holding = false;

  constructor(options: PollerOptions) {
    this.trigger = options.trigger;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.log ?? silentLogger).child({ trigger: options.trigger.id });
    this.#state = { trigger: options.trigger.id, polls: 0, consecutiveErrors: 0, skipped: 0 };
  }

  get state(): Readonly<PollerState> {
    return this.#state;
  }

  get intervalMs(): number {
    return this.trigger.intervalMs ?? this.#options.defaultIntervalMs;
  }

  /**
   * Polls once and hands the result on. A call while a poll is running joins that poll instead of
   * starting a second one. Errors are recorded in `state` and rethrown.
   */
  pollOnce(): Promise<void> {
    this.#current ??= this.#poll().finally(() => {
      this.#current = undefined;
    });
    return this.#current;
  }

  /** Polls now rather than at the next interval (a cron tick, a button on the sandbox page). */
  pollSoon(): void {
    this.#wakeEarly?.abort();
  }

  /** Polls on the interval until `stop`, doubling the delay after each consecutive failure. */
  start(): void {
    if (this.#loop) return;
    const loop = new AbortController();
    this.#loop = loop;
    void (async () => {
      while (!loop.signal.aborted) {
        await this.pollOnce().catch(() => undefined);
        const wait = this.#nextDelay();
        this.#state.nextPollAt = this.#clock.now() + wait;
        this.#wakeEarly = new AbortController();
        await this.#clock
          .sleep(wait, AbortSignal.any([loop.signal, this.#wakeEarly.signal]))
          .catch(() => undefined);
      }
    })();
  }

  /** Stops the loop and waits for a poll in progress to finish. */
  async stop(): Promise<void> {
    this.#loop?.abort();
    this.#loop = undefined;
    await this.#current?.catch(() => undefined);
    // Handing the turn over at once spares the others waiting for it to lapse.
    if (this.#holding && this.#options.gate) {
      this.#holding = false;
      await this.#options.gate.release(this.trigger.id).catch(() => undefined);
    }
  }

  async #poll(): Promise<void> {
    if (this.#options.gate) {
      if (!(await this.#takeTurn(this.#options.gate))) return;
      try {
        await this.#pollHeld();
      } finally {
        // Renewed after the poll so the turn lasts until the next one is due, backoff included.
        await this.#options.gate
          .tryHold(this.trigger.id, this.#nextDelay() + this.#graceMs)
          .then((turn) => {
            this.#holding = turn.held;
          })
          .catch(() => undefined);
      }
      return;
    }
    await this.#pollHeld();
  }

  get #graceMs(): number {
    return this.#options.leaseGraceMs ?? 2_000;
  }

  /** Asks the gate; false: another process polls this trigger now. A gate error fails the poll. */
  async #takeTurn(gate: PollGate): Promise<boolean> {
    let turn: Awaited<ReturnType<PollGate['tryHold']>>;
    try {
      // Long enough for the poll itself; renewed once it is done.
      turn = await gate.tryHold(this.trigger.id, this.intervalMs + this.#graceMs);
    } catch (err) {
      this.#holding = false;
      this.#recordFailure(err, this.#loop?.signal);
      throw err;
    }
    this.#holding = turn.held;
    this.#state.standby = !turn.held;
    this.#retryInMs = turn.held ? undefined : turn.retryInMs;
    return turn.held;
  }

  async #pollHeld(): Promise<void> {
    const { trigger, store } = this.#options;
    if (trigger.paused) {
      this.#state.skipped++;
      return;
    }
    this.#state.lastPollAt = this.#clock.now();
    const loop = this.#loop?.signal;
    try {
      await this.#options.beforePoll?.();
      const result = await trigger.poll({
        cursor: {
          get: () => store.getCursor(trigger.id),
          set: (value) => store.setCursor(trigger.id, value),
        },
        log: this.#log,
        now: () => this.#clock.now(),
        signal: this.#loop?.signal ?? new AbortController().signal,
      });
      this.#state.polls++;
      await this.#options.handle(result, trigger);
      if (this.#state.consecutiveErrors > 0) this.#log.info('poll succeeded again');
      this.#state.consecutiveErrors = 0;
      delete this.#state.lastError;
    } catch (err) {
      this.#recordFailure(err, loop);
      throw err;
    }
  }

  #recordFailure(err: unknown, loop: AbortSignal | undefined): void {
    this.#state.consecutiveErrors++;
    this.#state.lastError = (err as Error).message;
    // One line per outage, not per failed poll; a poll cut short by stop() is no outage.
    if (this.#state.consecutiveErrors === 1 && !loop?.aborted)
      this.#log.warn({ err: this.#state.lastError }, 'poll failed; backing off');
  }

  #nextDelay(): number {
    const errors = this.#state.consecutiveErrors;
    // A standby asks again when the holder's turn lapses: that is how a dead holder is replaced
    // within one interval of its missed poll.
    if (this.#retryInMs !== undefined && errors === 0) return Math.min(this.intervalMs, this.#retryInMs + 1);
    if (errors === 0) return this.intervalMs;
    return Math.min(this.#options.maxBackoffMs ?? 15 * 60_000, this.intervalMs * 2 ** Math.min(errors, 10));
  }
}
