// Whose turn it is to poll a trigger, when several processes run the same recipes (scale-out).

/** The answer of a gate: this process polls now, or another does and its turn lapses in `retryInMs`. */
export type PollTurn = { held: true } | { held: false; retryInMs: number };

/**
 * Lets exactly one process at a time poll a trigger. The poller asks before every poll and renews
 * after it; without a gate (one process, the default) every poll goes ahead.
 */
export interface PollGate {
  /**
   * Takes this process's turn on `triggerId`, or renews it, for `ttlMs`. A turn not renewed within
   * `ttlMs` (the process died or hangs) lapses and the next process to ask takes it.
   * @throws when the coordination service cannot be reached: the poll fails and backs off.
   */
  tryHold(triggerId: string, ttlMs: number): Promise<PollTurn>;
  /** Gives the turn up at a clean stop; a no-op when another process holds it. */
  release(triggerId: string): Promise<void>;
}
