// The default store: one JSON document per run under BATON_DATA_DIR, replaced atomically.
//
// Layout:  runs/<runId>.json        live runs (queued, running, waiting, and recent finished ones)
//          cursors/<name>.json      trigger cursors
//          archive/runs-YYYY-MM.jsonl  finished runs moved out by `archive`, one JSON line each
//          quarantine/              run files that failed to parse, kept for a human to look at
//          commands/                requests from CLI commands to the running process
//          lock/                    the owning process (see lock.ts)
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { type RunRecord, RunRecordSchema } from '../engine/run-record.ts';
import { type Logger, silentLogger } from '../log.ts';
import { acquireLock } from './lock.ts';
import type { RunFilter, Store, StoreCommand } from './store.ts';

const StoreCommandSchema = z.object({ kind: z.enum(['retry', 'cancel']), runId: z.string() });

const FINISHED = new Set(['done', 'failed', 'cancelled']);

export interface FileStoreOptions {
  dir: string;
  log?: Logger;
  /** Archive files older than this many months are deleted by `archive` (default 12). */
  keepArchiveMonths?: number;
}

export class FileStore implements Store {
  readonly dir: string;
  readonly #log: Logger;
  readonly #keepArchiveMonths: number;
  #release: (() => Promise<void>) | undefined;

  constructor(options: FileStoreOptions) {
    this.dir = options.dir;
    this.#log = options.log ?? silentLogger;
    this.#keepArchiveMonths = options.keepArchiveMonths ?? 12;
  }

  get #runs() {
    return join(this.dir, 'runs');
  }

  async open(options: { readOnly?: boolean } = {}): Promise<void> {
    await mkdir(this.#runs, { recursive: true });
    await mkdir(join(this.dir, 'cursors'), { recursive: true });
    await mkdir(join(this.dir, 'archive'), { recursive: true });
    await mkdir(join(this.dir, 'commands'), { recursive: true });
    if (options.readOnly) return;
    this.#release = await acquireLock(join(this.dir, 'lock'), this.dir, {
      legacy: join(this.dir, 'baton.lock'),
    });
    // A crash mid-write leaves only a temp file beside the intact old version: remove those.
    for (const folder of [this.#runs, join(this.dir, 'cursors')]) {
      for (const name of await readdir(folder)) {
        if (!name.endsWith('.json')) await rm(join(folder, name), { force: true, recursive: true });
      }
    }
  }

  async close(): Promise<void> {
    await this.#release?.();
    this.#release = undefined;
  }

  async saveRun(run: RunRecord): Promise<void> {
    await writeFileAtomic(this.#runFile(run.id), JSON.stringify(run), { fsync: true });
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    if (!/^[a-z0-9-]+$/.test(id)) return undefined;
    return this.#readRun(this.#runFile(id));
  }

  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const names = (await readdir(this.#runs)).filter((n) => n.endsWith('.json'));
    const runs: RunRecord[] = [];
    for (const name of names) {
      const run = await this.#readRun(join(this.#runs, name));
      if (!run) continue;
      if (filter.status && !filter.status.includes(run.status)) continue;
      if (filter.recipe && run.recipe !== filter.recipe) continue;
      runs.push(run);
    }
    return runs.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async getCursor<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.#cursorFile(name), 'utf8')) as T;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.#log.warn({ cursor: name, err: (err as Error).message }, 'unreadable cursor; starting afresh');
      return undefined;
    }
  }

  async setCursor<T>(name: string, value: T): Promise<void> {
    await writeFileAtomic(this.#cursorFile(name), JSON.stringify(value), { fsync: true });
  }

  async archive(before: number): Promise<number> {
    let moved = 0;
    for (const run of await this.listRuns()) {
      if (!FINISHED.has(run.status) || run.updatedAt >= before) continue;
      const month = new Date(run.updatedAt).toISOString().slice(0, 7);
      await appendFile(join(this.dir, 'archive', `runs-${month}.jsonl`), `${JSON.stringify(run)}\n`);
      await rm(this.#runFile(run.id), { force: true });
      moved++;
    }
    await this.#pruneArchive(before);
    return moved;
  }

  async enqueueCommand(command: StoreCommand): Promise<void> {
    const name = `${Date.now()}-${randomUUID()}.json`;
    await writeFileAtomic(join(this.dir, 'commands', name), JSON.stringify(command), { fsync: true });
  }

  async takeCommands(): Promise<StoreCommand[]> {
    const folder = join(this.dir, 'commands');
    const commands: StoreCommand[] = [];
    for (const name of (await readdir(folder)).filter((n) => n.endsWith('.json')).sort()) {
      const parsed = StoreCommandSchema.safeParse(safeJson(await readFile(join(folder, name), 'utf8')));
      if (parsed.success) commands.push(parsed.data);
      await rm(join(folder, name), { force: true });
    }
    return commands;
  }

  async writable(): Promise<boolean> {
    try {
      await writeFileAtomic(join(this.dir, '.write-check'), String(Date.now()), { fsync: true });
      return true;
    } catch {
      return false;
    }
  }

  async #pruneArchive(now: number): Promise<void> {
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - this.#keepArchiveMonths);
    const oldest = `runs-${cutoff.toISOString().slice(0, 7)}.jsonl`;
    for (const name of await readdir(join(this.dir, 'archive'))) {
      if (name.startsWith('runs-') && name < oldest)
        await rm(join(this.dir, 'archive', name), { force: true });
    }
  }

  async #readRun(file: string): Promise<RunRecord | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = safeJson(text);
    const run = RunRecordSchema.safeParse(parsed);
    if (run.success) return run.data;
    // Atomic replacement makes this a disk fault or a hand edit: keep the file aside, say so once.
    const quarantine = join(this.dir, 'quarantine', basename(file));
    await mkdir(join(this.dir, 'quarantine'), { recursive: true });
    await writeFileAtomic(quarantine, text).catch(() => undefined);
    await rm(file, { force: true });
    this.#log.error({ file, quarantine }, 'run file unreadable; moved aside');
    return undefined;
  }

  #runFile(id: string): string {
    return join(this.#runs, `${id}.json`);
  }

  #cursorFile(name: string): string {
    return join(this.dir, 'cursors', `${encodeURIComponent(name).replaceAll('%', '_')}.json`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** True when `dir` exists and is a folder (used by doctor and status). */
export async function isFolder(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}
