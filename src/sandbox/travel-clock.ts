// The sandbox's clock: real time that a visitor can move ahead ("Advance the clock 48 h") to see what
// Baton does two days later. The emulated world and its Baton share it, so the jump is the same for
// the services' timestamps, rate windows and token expiry as for Baton's waits.
import { type Clock, systemClock } from '../clock.ts';

interface Sleeper {
  /** This clock's time at which the sleep ends. */
  until: number;
  wake(): void;
}

export class TravelClock implements Clock {
  #offset = 0;
  readonly #sleepers = new Set<Sleeper>();
  readonly #listeners: ((ms: number) => void)[] = [];

  now(): number {
    return Date.now() + this.#offset;
  }

  /** How far this clock is ahead of the wall clock, in ms. */
  get offsetMs(): number {
    return this.#offset;
  }

  /**
   * Resolves after `ms` of real time, or at once when a jump carries this clock past its end: the
   * engine's wake timer and the pollers' intervals notice a jump without waiting out the real time.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    // Even a sleep of 0 goes through a real timer: a loop sleeping 0 must still let I/O run.
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const inner = new AbortController();
      const sleeper: Sleeper = {
        until: this.now() + ms,
        wake: () => {
          this.#sleepers.delete(sleeper);
          inner.abort();
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers.delete(sleeper);
        inner.abort();
        reject(signal?.reason);
      };
      this.#sleepers.add(sleeper);
      signal?.addEventListener('abort', onAbort, { once: true });
      systemClock.sleep(ms, inner.signal).then(sleeper.wake, () => undefined);
    });
  }

  /** Calls `listener` after every jump, with its length: what else must notice that time passed. */
  onAdvance(listener: (ms: number) => void): void {
    this.#listeners.push(listener);
  }

  /** Jumps `ms` ahead, ends every sleep whose end is now past, and tells the listeners. */
  advance(ms: number): void {
    if (!(ms > 0)) return;
    this.#offset += ms;
    const now = this.now();
    for (const sleeper of [...this.#sleepers]) if (sleeper.until <= now) sleeper.wake();
    for (const listener of this.#listeners) listener(ms);
  }
}
