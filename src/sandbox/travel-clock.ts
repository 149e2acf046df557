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
    if (ms <= 0) return Promise.resolve();
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

  /** Jumps `ms` ahead and ends every sleep whose end is now past. */
  advance(ms: number): void {
    if (!(ms > 0)) return;
    this.#offset += ms;
    const now = this.now();
    for (const sleeper of [...this.#sleepers]) if (sleeper.until <= now) sleeper.wake();
  }
}
