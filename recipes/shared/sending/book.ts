// Where SendRules keeps its counts: the data folder for one process, or Redis for a scale-out group.
import type { DoNotContactEntry } from './do-not-contact.ts';
import { findDoNotContact, addDoNotContact as saveDoNotContact } from './do-not-contact.ts';
import { type HeldSend, type LastContact, SendLedger } from './ledger.ts';

/** What `reserve` found: the key was sent already (a replay), a place is held for it, or the day is full. */
export type Reservation = 'sent' | 'reserved' | 'full';

/**
 * The day's sends by idempotency key, places held by sends in flight, and who last emailed an
 * address. Every method is atomic for every process sharing the book.
 */
export interface SendBook {
  /** Whether the email under `key` was sent and counted. */
  has(key: string): Promise<boolean>;
  /** Emails counted on `day` (a local YYYY-MM-DD). */
  count(day: string): Promise<number>;
  /**
   * Holds a place for `key` among `day`'s `limit` emails: the counted ones and the places others
   * hold count against it. Held until `record` or `release`, or until the holder is presumed dead.
   */
  reserve(day: string, key: string, limit: number): Promise<Reservation>;
  /** Counts `key` on `day` (once, however often called) and notes whom it went to. */
  record(day: string, key: string, contact?: { address: string } & LastContact): Promise<void>;
  /** The send under `key` did not happen: its place is free again. */
  release(day: string, key: string): Promise<void>;
  /** Who last emailed `address` (normalised) and when. */
  lastContact(address: string): Promise<LastContact | undefined>;

  // The cap's line: emails the daily cap held back, which go first, in the order they were held.
  /** The line, first held first (entries long past their wake are dropped). */
  capLine(now: number): Promise<[string, HeldSend][]>;
  /** Puts `key` in the line (keeping the `since` of an earlier hold), waking at `until`. */
  holdInLine(key: string, since: number, until: number): Promise<void>;
  /** Moves the wake of `key` to `until` if it is in the line and woke earlier. */
  postponeInLine(key: string, until: number): Promise<void>;
  /** Takes `key` out of the line; true when it was in it. `record` does it too. */
  leaveLine(key: string): Promise<boolean>;
}

/** Addresses that asked not to be contacted, as SendRules checks and extends them. */
export interface DoNotContactList {
  find(address: string): Promise<DoNotContactEntry | undefined>;
  add(address: string, why: string, at: Date): Promise<void>;
}

/** One process's book: sends.json in the data folder (memory without one) and its own places held. */
export class LocalSendBook implements SendBook {
  readonly #ledger: SendLedger;
  /** Sends between their check and their record: counted, so concurrent runs cannot overshoot the cap. */
  readonly #pending = new Set<string>();

  constructor(dataDir: string | undefined) {
    this.#ledger = new SendLedger(dataDir);
  }

  async has(key: string): Promise<boolean> {
    return this.#ledger.has(key);
  }

  async count(day: string): Promise<number> {
    return this.#ledger.count(day);
  }

  async reserve(day: string, key: string, limit: number): Promise<Reservation> {
    if (this.#ledger.has(key)) return 'sent';
    const others = [...this.#pending].filter((k) => k !== key).length;
    if (this.#ledger.count(day) + others >= limit) return 'full';
    this.#pending.add(key);
    return 'reserved';
  }

  async record(day: string, key: string, contact?: { address: string } & LastContact): Promise<void> {
    this.#ledger.add(day, key, contact);
    this.#pending.delete(key);
  }

  async release(_day: string, key: string): Promise<void> {
    this.#pending.delete(key);
  }

  async lastContact(address: string): Promise<LastContact | undefined> {
    return this.#ledger.lastContact(address);
  }

  async capLine(now: number): Promise<[string, HeldSend][]> {
    return this.#ledger.held(now);
  }

  async holdInLine(key: string, since: number, until: number): Promise<void> {
    this.#ledger.hold(key, since, until);
  }

  async postponeInLine(key: string, until: number): Promise<void> {
    this.#ledger.postpone(key, until);
  }

  async leaveLine(key: string): Promise<boolean> {
    return this.#ledger.forget(key);
  }
}

/** do-not-contact.json in the data folder (a person may edit it; read at every check). */
export class FileDoNotContact implements DoNotContactList {
  constructor(readonly dataDir: string) {}

  async find(address: string): Promise<DoNotContactEntry | undefined> {
    return findDoNotContact(this.dataDir, address);
  }

  async add(address: string, why: string, at: Date): Promise<void> {
    saveDoNotContact(this.dataDir, address, why, at);
  }
}
