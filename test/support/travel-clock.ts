// A clock that runs in real time but can jump ahead: "advance the clock 48 h" for cron-driven tests
// whose emulators and Baton share it.
import { type Clock, systemClock } from '../../src/clock.ts';

export class TravelClock implements Clock {
  #offset = 0;

  now(): number {
    return Date.now() + this.#offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }

  /** Jumps `ms` ahead: waits due by then are due at the next cycle. */
  advance(ms: number): void {
    this.#offset += ms;
  }
}
