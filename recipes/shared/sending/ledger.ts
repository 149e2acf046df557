// `<dataDir>/sends.json`: the idempotency keys of the emails sent each local day, so the daily count
// survives restarts and a send step replayed after a crash is counted once (its key is already there);
// and, per address, which recipe last emailed it and when (CONTACT_COOLDOWN, "last emailed by" on cards).
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

const Contact = z.object({ recipe: z.string(), at: z.number() });
const FileSchema = z.union([
  z.object({ version: z.literal(1), days: z.record(z.string(), z.array(z.string())) }),
  z.object({
    version: z.literal(2),
    days: z.record(z.string(), z.array(z.string())),
    contacts: z.record(z.string(), Contact),
  }),
]);

interface LedgerData {
  days: Record<string, string[]>;
  contacts: Record<string, LastContact>;
}

/** One process writes it (the data folder is locked); written before the send step completes. */
export class SendLedger {
  readonly file: string | undefined;
  readonly #data: LedgerData;

  /** Without a data folder the count is kept in memory only. */
  constructor(dataDir: string | undefined) {
    this.file = dataDir ? join(resolve(dataDir), SENDS_FILE) : undefined;
    this.#data = this.file ? read(this.file) : { days: {}, contacts: {} };
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

  add(day: string, key: string, contact?: { address: string } & LastContact): void {
    if (this.has(key)) return;
    const { days, contacts } = this.#data;
    days[day] = [...(days[day] ?? []), key];
    for (const old of Object.keys(days).sort().slice(0, -KEEP_DAYS)) delete days[old];
    if (contact) {
      contacts[contact.address] = { recipe: contact.recipe, at: contact.at };
      for (const [address, c] of Object.entries(contacts))
        if (c.at < contact.at - KEEP_CONTACT_MS) delete contacts[address];
    }
    if (!this.file) return;
    mkdirSync(join(this.file, '..'), { recursive: true });
    writeFileAtomic.sync(this.file, `${JSON.stringify({ version: 2, days, contacts }, null, 2)}\n`);
  }
}

function read(file: string): LedgerData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { days: {}, contacts: {} };
  }
  const parsed = FileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not Baton's send count; move it away and start again`);
  return { days: parsed.data.days, contacts: parsed.data.version === 2 ? parsed.data.contacts : {} };
}
