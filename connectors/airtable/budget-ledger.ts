// `<dataDir>/airtable-calls.json`: each workspace's Airtable calls this month, kept across restarts and read by `baton status`.
import { mkdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { type Logger, silentLogger } from '../../src/log.ts';

/** The file in the data folder. */
export const AIRTABLE_CALLS_FILE = 'airtable-calls.json';
/** Counts reach the disk at most this long after the call (a crash loses at most this much counting). */
export const DEFAULT_FLUSH_MS = 2_000;

const EntrySchema = z.object({
  /** UTC month the count is for, `2026-01`. */
  month: z.string(),
  calls: z.number().int().nonnegative(),
  /** Bases whose calls are counted here. */
  bases: z.array(z.string()),
  plan: z.enum(['free', 'team', 'business']),
  /** Calls a month; null for no cap. */
  limit: z.number().int().positive().nullable(),
  /** AIRTABLE_POLL_INTERVAL, and the interval the pollers use now (longer when paced). */
  configuredIntervalMs: z.number().positive(),
  intervalMs: z.number().positive(),
  /** Airtable triggers sharing the budget, and the calls one idle poll makes. */
  pollers: z.number().int().nonnegative(),
  callsPerPoll: z.number().positive(),
  /** Polls stopped: the month's budget is spent. */
  stopped: z.boolean(),
  updatedAt: z.number(),
});
export type LedgerEntry = z.infer<typeof EntrySchema>;

const FileSchema = z.object({ version: z.literal(1), workspaces: z.record(z.string(), EntrySchema) });

/**
 * The ledger of one data folder, shared by every budget of the process that owns the folder (one
 * writer). Reads the file once when opened; writes it atomically (write-file-atomic, as the store
 * does), debounced to one write per `flushMs` however many calls are counted meanwhile.
 */
export class CallLedger {
  readonly file: string;
  readonly #entries: Record<string, LedgerEntry>;
  readonly #flushMs: number;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #failing = false;

  constructor(dataDir: string, options: { flushMs?: number; log?: Logger } = {}) {
    this.file = join(resolve(dataDir), AIRTABLE_CALLS_FILE);
    this.#flushMs = options.flushMs ?? DEFAULT_FLUSH_MS;
    this.#log = options.log ?? silentLogger;
    this.#entries = parseLedger(readOrUndefined(this.file))?.workspaces ?? {};
  }

  get(workspace: string): LedgerEntry | undefined {
    return this.#entries[workspace];
  }

  /** Records the entry; it reaches the file within `flushMs` (or at `flush`). */
  set(workspace: string, entry: LedgerEntry): void {
    this.#entries[workspace] = entry;
    if (this.#timer) return;
    this.#timer = setTimeout(() => void this.flush(), this.#flushMs);
    this.#timer.unref();
  }

  /** Writes what is pending now. Never throws: a failed write is logged once and tried again at the next. */
  flush(): Promise<void> {
    // Nothing counted since the last write: writing again would recreate a data folder removed since.
    if (!this.#timer) return this.#writing;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const text = `${JSON.stringify({ version: 1, workspaces: this.#entries }, null, 2)}\n`;
    this.#writing = this.#writing.then(async () => {
      try {
        mkdirSync(join(this.file, '..'), { recursive: true });
        await writeFileAtomic(this.file, text);
        if (this.#failing) this.#log.info({ file: this.file }, 'airtable call count saved again');
        this.#failing = false;
      } catch (err) {
        if (!this.#failing)
          this.#log.warn(
            { file: this.file, err: (err as Error).message },
            'cannot save the airtable call count',
          );
        this.#failing = true;
      }
    });
    return this.#writing;
  }
}

/** The ledger as the owning process last wrote it (for `baton status` from another process). */
export async function readLedger(dataDir: string): Promise<Record<string, LedgerEntry>> {
  const text = await readFile(join(resolve(dataDir), AIRTABLE_CALLS_FILE), 'utf8').catch(() => undefined);
  return parseLedger(text)?.workspaces ?? {};
}

function readOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** An unreadable file counts as empty: the count starts again rather than stopping Baton. */
function parseLedger(text: string | undefined): z.infer<typeof FileSchema> | undefined {
  if (text === undefined) return undefined;
  try {
    return FileSchema.safeParse(JSON.parse(text)).data;
  } catch {
    return undefined;
  }
}
