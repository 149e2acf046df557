// `<dataDir>/sends.json`: the idempotency keys of the emails sent each local day, so the daily count
// survives restarts and a send step replayed after a crash is counted once (its key is already there).
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

export const SENDS_FILE = 'sends.json';
/** Days kept: enough for a send replayed after a long outage to still be found. */
const KEEP_DAYS = 14;

const FileSchema = z.object({ version: z.literal(1), days: z.record(z.string(), z.array(z.string())) });

/** One process writes it (the data folder is locked); written before the send step completes. */
export class SendLedger {
  readonly file: string | undefined;
  readonly #days: Record<string, string[]>;

  /** Without a data folder the count is kept in memory only. */
  constructor(dataDir: string | undefined) {
    this.file = dataDir ? join(resolve(dataDir), SENDS_FILE) : undefined;
    this.#days = this.file ? read(this.file) : {};
  }

  count(day: string): number {
    return this.#days[day]?.length ?? 0;
  }

  has(key: string): boolean {
    return Object.values(this.#days).some((keys) => keys.includes(key));
  }

  add(day: string, key: string): void {
    if (this.has(key)) return;
    this.#days[day] = [...(this.#days[day] ?? []), key];
    for (const old of Object.keys(this.#days).sort().slice(0, -KEEP_DAYS)) delete this.#days[old];
    if (!this.file) return;
    mkdirSync(join(this.file, '..'), { recursive: true });
    writeFileAtomic.sync(this.file, `${JSON.stringify({ version: 1, days: this.#days }, null, 2)}\n`);
  }
}

function read(file: string): Record<string, string[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const parsed = FileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${file} is not Baton's send count; move it away and start again`);
  return parsed.data.days;
}
