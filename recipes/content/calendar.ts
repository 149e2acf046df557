// The slots already given out, shared by every content run of the process and kept across restarts:
// `<dataDir>/content-slots.json`, one entry per approved post (its step's idempotency key → slot).
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import type { PostCalendar } from './slots.ts';

export const SLOTS_FILE = 'content-slots.json';
const KEEP_MS = 60 * 24 * 3600_000;

const FileSchema = z.object({ version: z.literal(1), slots: z.record(z.string(), z.number()) });

/**
 * Where the content recipe takes its slots: `take(key, now, alsoTaken)` gives `key` the first free
 * slot (the same one on every call for that key), never one another key holds. SlotLedger keeps them
 * in the data folder for one process; src/scale RedisSlotBook shares them across a scale-out group.
 */
export interface SlotBook {
  readonly calendar: PostCalendar;
  take(key: string, now: number, alsoTaken?: Iterable<number>): number | Promise<number>;
}

/**
 * Hands out CONTENT_POST_SLOTS: `take(key, now, alsoTaken)` is synchronous from read to write, so two
 * runs approving at the same moment get different slots; the same key always gets the same slot
 * (a step replayed after a crash does not take a second one). `alsoTaken` adds slots known
 * elsewhere (the Notion calendar's Scheduled posts), so a deleted data folder does not double-book.
 */
export class SlotLedger implements SlotBook {
  readonly file: string | undefined;
  readonly #slots: Record<string, number>;

  constructor(
    readonly calendar: PostCalendar,
    dataDir: string | undefined,
  ) {
    this.file = dataDir ? join(resolve(dataDir), SLOTS_FILE) : undefined;
    this.#slots = this.file ? read(this.file) : {};
  }

  take(key: string, now: number, alsoTaken: Iterable<number> = []): number {
    const mine = this.#slots[key];
    if (mine !== undefined) return mine;
    const at = this.calendar.nextFreeSlot([...Object.values(this.#slots), ...alsoTaken], now);
    this.#slots[key] = at;
    for (const [k, t] of Object.entries(this.#slots)) if (t < now - KEEP_MS) delete this.#slots[k];
    if (this.file) {
      mkdirSync(join(this.file, '..'), { recursive: true });
      writeFileAtomic.sync(this.file, `${JSON.stringify({ version: 1, slots: this.#slots }, null, 2)}\n`);
    }
    return at;
  }
}

function read(file: string): Record<string, number> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const parsed = FileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${file} is not Baton's content calendar; move it away and start again`);
  return parsed.data.slots;
}
