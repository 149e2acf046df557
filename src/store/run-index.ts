// What each run file held when last read (status, recipe, updatedAt), so filtered listings skip
// finished runs without parsing them. A cache: an entry counts only while the file's inode, size
// and mtime are unchanged, so a missing, stale or damaged index costs a parse, never a wrong answer.
import type { Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { RUN_STATUSES, type RunRecord, type RunStatus } from '../engine/run-record.ts';
import { safeJson } from './json.ts';

export interface RunIndexEntry {
  status: RunStatus;
  recipe: string;
  updatedAt: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export class RunIndex {
  readonly #file: string;
  #runs: Record<string, RunIndexEntry> = {};
  #dirty = false;

  constructor(file: string) {
    this.#file = file;
  }

  async load(): Promise<void> {
    const text = await readFile(this.#file, 'utf8').catch(() => undefined);
    const parsed = text === undefined ? undefined : safeJson(text);
    // Checked entry by entry on use (zod over thousands of entries costs more than it saves).
    const runs = (parsed as { version?: unknown; runs?: unknown } | undefined)?.runs;
    this.#runs =
      (parsed as { version?: unknown } | undefined)?.version === 1 &&
      typeof runs === 'object' &&
      runs !== null
        ? (runs as Record<string, RunIndexEntry>)
        : {};
  }

  /** The entry for run file `name` if the file is unchanged since it was recorded. */
  lookup(name: string, stats: Stats): RunIndexEntry | undefined {
    const entry = this.#runs[name];
    if (!isEntry(entry)) return undefined;
    return entry.ino === stats.ino && entry.size === stats.size && entry.mtimeMs === stats.mtimeMs
      ? entry
      : undefined;
  }

  /** Records what `run` says, for the file as `stats` saw it before it was read. */
  record(name: string, stats: Stats, run: Pick<RunRecord, 'status' | 'recipe' | 'updatedAt'>): void {
    const entry = {
      status: run.status,
      recipe: run.recipe,
      updatedAt: run.updatedAt,
      ino: stats.ino,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
    };
    const old = this.#runs[name];
    if (old && JSON.stringify(old) === JSON.stringify(entry)) return;
    this.#runs[name] = entry;
    this.#dirty = true;
  }

  /** Forgets entries of run files that no longer exist. */
  keepOnly(names: ReadonlySet<string>): void {
    for (const name of Object.keys(this.#runs)) {
      if (names.has(name)) continue;
      delete this.#runs[name];
      this.#dirty = true;
    }
  }

  /** Writes the index if it changed (no fsync: losing it costs only a re-read). */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    this.#dirty = false;
    await writeFileAtomic(this.#file, JSON.stringify({ version: 1, runs: this.#runs }));
  }
}

function isEntry(value: unknown): value is RunIndexEntry {
  const e = value as Partial<Record<keyof RunIndexEntry, unknown>> | undefined;
  return (
    typeof e === 'object' &&
    e !== null &&
    RUN_STATUSES.includes(e.status as RunStatus) &&
    typeof e.recipe === 'string' &&
    typeof e.updatedAt === 'number' &&
    typeof e.ino === 'number' &&
    typeof e.size === 'number' &&
    typeof e.mtimeMs === 'number'
  );
}
