// `<dataDir>/sends.json`: the idempotency keys of the emails sent each local day, so the daily count
// survives restarts and a send step replayed after a crash is counted once (its key is already there);
// per address, which recipe last emailed it and when (CONTACT_COOLDOWN, "last emailed by" on cards);
// and the emails the daily cap holds back, with when each was first held (they go in that order).
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

export const SENDS_FILE = 'sends.json';
/** Days kept: enough for a send replayed after a long outage to still be found. */
const KEEP_DAYS = 14;
const KEEP_CONTACT_MS = 90 * 24 * 3600_000;

/** The last email Baton sent to an address. */
export interface LastContact {
  recipe: string;
  /** Epoch ms. */
  at: number;
}

/** Held sends not tried again for this long after their wake are forgotten (their run stopped or went). */
const FORGET_HELD_MS = 7 * 24 * 3600_000;

/** An email the daily cap held back. */
export interface HeldSend {
  /** Epoch ms it was first held: its place in the line. */
  since: number;
  /** Epoch ms it was told to try again. */
  until: number;
}

const Contact = z.object({ recipe: z.string(), at: z.number() });
const Held = z.object({ since: z.number(), until: z.number() });
const FileSchema = z.union([
  z.object({ version: z.literal(1), days: z.record(z.string(), z.array(z.string())) }),
  z.object({
    version: z.literal(2),
    days: z.record(z.string(), z.array(z.string())),
    contacts: z.record(z.string(), Contact),
    held: z.record(z.string(), Held).optional(),
  }),
]);

interface LedgerData {
  days: Record<string, string[]>;
  contacts: Record<string, LastContact>;
  held: Record<string, HeldSend>;
}

/** One process writes it (the data folder is locked); written before the send step completes. */
export class SendLedger {
  readonly file: string | undefined;
  readonly #data: LedgerData;

  /** Without a data folder the count is kept in memory only. */
  constructor(dataDir: string | undefined) {
    this.file = dataDir ? join(resolve(dataDir), SENDS_FILE) : undefined;
    this.#data = this.file ? read(this.file) : { days: {}, contacts: {}, held: {} };
  }

  count(day: string): number {
    return this.#data.days[day]?.length ?? 0;
  }

  has(key: string): boolean {
    return Object.values(this.#data.days).some((keys) => keys.includes(key));
  }

  /** Who last emailed `address` (lower case, trimmed) and when. */
  lastContact(address: string): LastContact | undefined {
    return this.#data.contacts[address];
  }

  /** The sends the cap holds, first held first (those not tried again since long after their wake are dropped). */
  held(now: number): [string, HeldSend][] {
    const { held } = this.#data;
    const stale = Object.keys(held).filter((k) => held[k]!.until < now - FORGET_HELD_MS);
    for (const key of stale) delete held[key];
    if (stale.length > 0) this.#write();
    return Object.entries(held).sort(([, a], [, b]) => a.since - b.since);
  }

  /** Notes `key` as held by the cap until `until` (keeping its first `since`); returns its entry. */
  hold(key: string, since: number, until: number): HeldSend {
    const entry = { since: this.#data.held[key]?.since ?? since, until };
    this.#data.held[key] = entry;
    this.#write();
    return entry;
  }

  /** Takes `key` out of the line; true when it was in it. */
  forget(key: string): boolean {
    if (!this.#data.held[key]) return false;
    delete this.#data.held[key];
    this.#write();
    return true;
  }

  /** Moves the wake of a held send (a closed window after the cap), if it is held. */
  postpone(key: string, until: number): void {
    const entry = this.#data.held[key];
    if (!entry || entry.until >= until) return;
    entry.until = until;
    this.#write();
  }

  add(day: string, key: string, contact?: { address: string } & LastContact): void {
    if (this.has(key)) return;
    const { days, contacts, held } = this.#data;
    delete held[key];
    days[day] = [...(days[day] ?? []), key];
    for (const old of Object.keys(days).sort().slice(0, -KEEP_DAYS)) delete days[old];
    if (contact) {
      contacts[contact.address] = { recipe: contact.recipe, at: contact.at };
      for (const [address, c] of Object.entries(contacts))
        if (c.at < contact.at - KEEP_CONTACT_MS) delete contacts[address];
    }
    this.#write();
  }

  #write(): void {
    if (!this.file) return;
    const { days, contacts, held } = this.#data;
    mkdirSync(join(this.file, '..'), { recursive: true });
    writeFileAtomic.sync(this.file, `${JSON.stringify({ version: 2, days, contacts, held }, null, 2)}\n`);
  }
}

function read(file: string): LedgerData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { days: {}, contacts: {}, held: {} };
  }
  const parsed = FileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not Baton's send count; move it away and start again`);
  const data = parsed.data;
  return data.version === 2
    ? { days: data.days, contacts: data.contacts, held: data.held ?? {} }
    : { days: data.days, contacts: {}, held: {} };
}
