// Slows down token guessing: after a few failed sign-ins from one address, more attempts wait a minute.
import { type Clock, systemClock } from '../clock.ts';

export interface LoginLimiterOptions {
  /** Failures allowed per address within `windowMs` (default 5). */
  max?: number;
  windowMs?: number;
  clock?: Clock;
}

/** Addresses remembered at most; the oldest is forgotten first (a flood cannot grow memory). */
const MAX_ADDRESSES = 1000;

export class LoginLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #clock: Clock;

  constructor(options: LoginLimiterOptions = {}) {
    this.#max = options.max ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** How long `address` must wait before trying again, in ms (0: it may try now). */
  waitFor(address: string): number {
    const recent = this.#recent(address);
    if (recent.length < this.#max) return 0;
    return recent[0]! + this.#windowMs - this.#clock.now();
  }

  failed(address: string): void {
    const recent = this.#recent(address);
    this.#failures.delete(address);
    this.#failures.set(address, [...recent, this.#clock.now()]);
    if (this.#failures.size > MAX_ADDRESSES) this.#failures.delete(this.#failures.keys().next().value!);
  }

  succeeded(address: string): void {
    this.#failures.delete(address);
  }

  #recent(address: string): number[] {
    const since = this.#clock.now() - this.#windowMs;
    return (this.#failures.get(address) ?? []).filter((at) => at > since);
  }
}
