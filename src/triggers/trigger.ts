// The contract between a connector's "what is new" logic and the poller runtime.
import type { InstanceHome } from '../instances/home.ts';
import type { Logger } from '../log.ts';

/**
 * One piece of work. `key` names it stably across polls, restarts and data-folder loss: the engine
 * derives the run id from it and starts at most one run per key, so a key must change when the user
 * deliberately asks for the work again (e.g. by including a claim token written into the row).
 */
export interface TriggerItem<T = unknown> {
  key: string;
  payload: T;
  /**
   * Already claimed in the user's tool by an earlier process (found during reconcile, e.g. after the
   * data folder was lost): the runtime skips `claim` and starts or resumes the run for this key.
   */
  claimed?: boolean;
}

/** Something that happened which a waiting run may be waiting for (a card moved, a reply arrived). */
export interface TriggerSignal {
  key: string;
  payload?: unknown;
}

/** What one poll found: new work to start runs for, and signals to deliver to waiting runs. */
export interface PollResult<T = unknown> {
  items?: TriggerItem<T>[];
  signals?: TriggerSignal[];
}

/** A trigger's own small persistent state (a last-seen row, an action id), kept in the store. */
export interface Cursor {
  get<V>(): Promise<V | undefined>;
  set<V>(value: V): Promise<void>;
}

export interface PollContext {
  cursor: Cursor;
  log: Logger;
  now(): number;
  signal: AbortSignal;
}

/**
 * A source of work, polled on an interval by the runtime (never two polls of one trigger at once).
 *
 * Claim-before-act: the runtime claims each new item before starting its run (with `claimAll`, once
 * per poll, when the trigger has it; else with `claim`, item by item); the connector marks the item in
 * the user's tool (a Status cell, a status field) and re-reads it. `reject` records why an item cannot
 * be worked on (invalid input) where the user will see it; `release` gives back a claim whose run was
 * never started.
 */
export interface Trigger<T = unknown> {
  /** Stable id; names the trigger's cursor in the store, e.g. `sheets:1AbC:Leads`. */
  readonly id: string;
  /** Poll interval in ms; the runtime's default (BATON_POLL_INTERVAL) when absent. */
  readonly intervalMs?: number;
  /**
   * Where Baton instances polling this source announce themselves (one Baton per sheet/board): the
   * runtime refuses to start while another live instance is there, and renews its heartbeat every
   * poll. Absent: the source is not guarded.
   */
  readonly instanceHome?: InstanceHome;
  /** True while the service behind it is paused by its circuit breaker: the runtime skips the poll. */
  readonly paused?: boolean;
  poll(ctx: PollContext): Promise<PollResult<T>>;
  /**
   * Marks the item as taken in the user's tool and re-reads it. Returns the claimed item (its key may
   * now carry the claim token) or undefined when someone else holds it or it changed meanwhile.
   */
  claim?(item: TriggerItem<T>): Promise<TriggerItem<T> | undefined>;
  /**
   * `claim` for several items at once (one write and one re-read where the service allows it, instead
   * of one each). Returns the items won, each as `claim` would have returned it (its key may now
   * carry the claim token); items someone else holds, or that changed meanwhile, are left out. Items
   * given with `claimed: true` come back as they are. When present, the runtime uses it instead of
   * `claim`, once per poll, for every valid item not yet claimed.
   */
  claimAll?(items: TriggerItem<T>[]): Promise<TriggerItem<T>[]>;
  reject?(item: TriggerItem<T>, reason: string): Promise<void>;
  release?(item: TriggerItem<T>): Promise<void>;
}
