// The default store: one JSON document per run under BATON_DATA_DIR, replaced atomically.
//
// Layout:  runs/<runId>.json        active runs (queued, running, waiting): what a start-up reads
//          finished/<runId>.json    finished runs (done, failed, cancelled) until `archive` moves them
//          cursors/<name>.json      trigger cursors
//          runs-index.json          status, recipe and updatedAt of each run file (run-index.ts)
//          archive/runs-YYYY-MM.jsonl  finished runs moved out by `archive`, one JSON line each
//          archive/ids-YYYY-MM.txt  their ids, one a line: `hasRun` remembers archived runs cheaply
//          quarantine/              run files that failed to parse, kept for a human to look at
//          commands/                requests from CLI commands to the running process
//          lock/                    the owning process (see lock.ts)
import { randomUUID } from 'node:crypto';
import { existsSync, type Stats, statSync } from 'node:fs';
import { access, appendFile, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { type RunRecord, RunRecordSchema } from '../engine/run-record.ts';
import { type Logger, silentLogger } from '../log.ts';
import { safeJson } from './json.ts';
import { acquireLock } from './lock.ts';
import { RunIndex } from './run-index.ts';
import type { RunFilter, Store, StoreCommand } from './store.ts';

const StoreCommandSchema = z.object({ kind: z.enum(['retry', 'cancel']), runId: z.string() });

const FINISHED = new Set(['done', 'failed', 'cancelled']);
/** What filters look at; read alone, it spares validating the journals of runs not wanted. */
const SummarySchema = RunRecordSchema.pick({ status: true, recipe: true, updatedAt: true });
type RunSummaryFields = z.infer<typeof SummarySchema>;
/** `runs-YYYY-MM.jsonl` (archived runs) and `ids-YYYY-MM.txt` (their ids). */
const ARCHIVE_FILE = /^(runs|ids)-(\d{4}-\d{2})\.(jsonl|txt)$/;

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
  #readOnly = true;
  readonly #index: RunIndex;
  #archived: Promise<Set<string>> | undefined;
  /** Per run id, the tail of its writes and archive moves, so they never interleave. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: FileStoreOptions) {
    this.dir = options.dir;
    this.#log = options.log ?? silentLogger;
    this.#keepArchiveMonths = options.keepArchiveMonths ?? 12;
    this.#index = new RunIndex(join(this.dir, 'runs-index.json'));
  }

  get #runs() {
    return join(this.dir, 'runs');
  }

  get #finished() {
    return join(this.dir, 'finished');
  }

  async open(options: { readOnly?: boolean } = {}): Promise<void> {
    await mkdir(this.#runs, { recursive: true });
    await mkdir(this.#finished, { recursive: true });
    await mkdir(join(this.dir, 'cursors'), { recursive: true });
    await mkdir(join(this.dir, 'archive'), { recursive: true });
    await mkdir(join(this.dir, 'commands'), { recursive: true });
    await this.#index.load();
    if (options.readOnly) return;
    this.#release = await acquireLock(join(this.dir, 'lock'), this.dir, {
      legacy: join(this.dir, 'baton.lock'),
    });
    this.#readOnly = false;
    // A crash mid-write leaves only a temp file beside the intact old version: remove those.
    for (const folder of [this.#runs, this.#finished, join(this.dir, 'cursors')]) {
      for (const name of await readdir(folder)) {
        if (!name.endsWith('.json')) await rm(join(folder, name), { force: true, recursive: true });
      }
    }
    await this.#moveFinishedOut();
  }

  async close(): Promise<void> {
    await this.#release?.();
    this.#release = undefined;
    this.#readOnly = true;
  }

  /**
   * Writes the run into `runs/` while active, into `finished/` once finished (and back on a retry),
   * then removes the other folder's copy. A crash between the two leaves both: `open` keeps the newer.
   */
  async saveRun(run: RunRecord): Promise<void> {
    const finished = FINISHED.has(run.status);
    const [file, other] = finished
      ? [this.#finishedFile(run.id), this.#runFile(run.id)]
      : [this.#runFile(run.id), this.#finishedFile(run.id)];
    await this.#serial(run.id, async () => {
      await writeFileAtomic(file, JSON.stringify(run), { fsync: true });
      await rm(other, { force: true });
    });
  }

  async hasRun(id: string): Promise<boolean> {
    if (!/^[a-z0-9-]+$/.test(id)) return false;
    const exists = (file: string) =>
      access(file).then(
        () => true,
        () => false,
      );
    return (
      (await exists(this.#runFile(id))) ||
      (await exists(this.#finishedFile(id))) ||
      (await this.#archivedIds()).has(id)
    );
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    if (!/^[a-z0-9-]+$/.test(id)) return undefined;
    return (await this.#readRun(this.#runFile(id))) ?? (await this.#readRun(this.#finishedFile(id)));
  }

  /** Active statuses alone read only `runs/`: a start-up costs the same with 10 or 10,000 finished runs. */
  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const activeOnly = filter.status !== undefined && !filter.status.some((s) => FINISHED.has(s));
    return this.#select(
      (r) =>
        (!filter.status || filter.status.includes(r.status)) &&
        (!filter.recipe || r.recipe === filter.recipe),
      activeOnly ? 'active' : 'all',
    );
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
    const old = (r: Pick<RunRecord, 'status' | 'updatedAt'>) =>
      FINISHED.has(r.status) && r.updatedAt < before;
    const archived = await this.#archivedIds();
    let moved = 0;
    for (const { id } of await this.#select(old)) {
      // Re-read under the run's queue: a retry may have queued it again since the listing.
      const done = await this.#serial(id, async () => {
        const run = await this.getRun(id);
        if (!run || !old(run) || (await this.#retriesPending()).has(id)) return false;
        const month = new Date(run.updatedAt).toISOString().slice(0, 7);
        await appendFile(join(this.dir, 'archive', `runs-${month}.jsonl`), `${JSON.stringify(run)}\n`);
        await appendFile(join(this.dir, 'archive', `ids-${month}.txt`), `${id}\n`);
        archived.add(id);
        await rm(this.#runFile(id), { force: true });
        await rm(this.#finishedFile(id), { force: true });
        return true;
      });
      if (done) moved++;
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
    const oldest = cutoff.toISOString().slice(0, 7);
    for (const name of await readdir(join(this.dir, 'archive'))) {
      const month = ARCHIVE_FILE.exec(name)?.[2];
      if (month !== undefined && month < oldest) {
        await rm(join(this.dir, 'archive', name), { force: true });
        this.#archived = undefined;
      }
    }
  }

  /**
   * Runs whose summary passes `keep` (from `runs/` alone, or from `finished/` too), each file parsed at
   * most once; files the index knows unchanged and not kept are skipped unread.
   */
  async #select(keep: (run: RunSummaryFields) => boolean, folders: 'active' | 'all' = 'all') {
    const dirs = folders === 'active' ? [this.#runs] : [this.#runs, this.#finished];
    const toRead: { file: string; name: string; stats: Stats; active: boolean }[] = [];
    const names = new Set<string>();
    let seen = 0;
    for (const dir of dirs) {
      for (const name of (await readdir(dir)).filter((n) => n.endsWith('.json'))) {
        names.add(name);
        // statSync is several times cheaper than thousands of promises; yield now and then.
        if (++seen % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
        const file = join(dir, name);
        const stats = statSync(file, { throwIfNoEntry: false });
        const known = stats && this.#index.lookup(name, stats);
        if (stats && !(known && !keep(known))) toRead.push({ file, name, stats, active: dir === this.#runs });
      }
    }
    const runs = new Map<string, { run: RunRecord; active: boolean }>();
    for (let i = 0; i < toRead.length; i += 16) {
      await Promise.all(
        toRead.slice(i, i + 16).map(async ({ file, name, stats, active }) => {
          const run = await this.#readRun(file, (summary) => !keep(summary));
          if (!run) return;
          this.#index.record(name, stats, run);
          if (!('journal' in run)) return;
          // Both copies (a crash between a move's two halves, seen by a read-only reader): the newer.
          const other = runs.get(run.id);
          if (!other || newer({ run, active }, other)) runs.set(run.id, { run, active });
        }),
      );
    }
    if (folders === 'all') this.#index.keepOnly(names);
    if (!this.#readOnly) {
      await this.#index
        .save()
        .catch((err) => this.#log.warn({ err: (err as Error).message }, 'could not write the run index'));
    }
    return [...runs.values()]
      .map(({ run }) => run)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /**
   * Leaves `runs/` with active runs only: a finished run found there (written before `finished/`
   * existed, or put back by hand) moves to `finished/`, and where a crash left a run in both folders
   * the newer copy stays. Costs a `stat` per file in `runs/`, so only the active runs once moved.
   */
  async #moveFinishedOut(): Promise<void> {
    const names = (await readdir(this.#runs)).filter((n) => n.endsWith('.json'));
    for (let i = 0; i < names.length; i += 16) {
      await Promise.all(names.slice(i, i + 16).map((name) => this.#moveOut(name)));
    }
    await this.#index
      .save()
      .catch((err) => this.#log.warn({ err: (err as Error).message }, 'could not write the run index'));
  }

  async #moveOut(name: string): Promise<void> {
    const file = join(this.#runs, name);
    const target = join(this.#finished, name);
    if (existsSync(target)) {
      const active = await this.#readRun(file);
      const done = await this.#readRun(target);
      if (!active) return;
      if (done && newer({ run: done, active: false }, { run: active, active: true })) {
        await rm(file, { force: true });
        return;
      }
      await rm(target, { force: true });
    }
    const stats = statSync(file, { throwIfNoEntry: false });
    if (!stats) return;
    const summary = this.#index.lookup(name, stats) ?? (await this.#readRun(file, () => true));
    if (!summary) return;
    this.#index.record(name, stats, summary);
    // A rename keeps the inode, size and mtime: the index entry stays valid in `finished/`.
    if (FINISHED.has(summary.status)) await rename(file, target);
  }

  /** Ids of archived runs, read once: from the id lists, or from older archives that have none. */
  #archivedIds(): Promise<Set<string>> {
    this.#archived ??= (async () => {
      const folder = join(this.dir, 'archive');
      const ids = new Set<string>();
      for (const name of await readdir(folder)) {
        const match = ARCHIVE_FILE.exec(name);
        if (match?.[1] !== 'runs') continue;
        const list = join(folder, `ids-${match[2]}.txt`);
        let text = await readFile(list, 'utf8').catch(() => undefined);
        if (text === undefined) {
          const lines = (await readFile(join(folder, name), 'utf8')).split('\n');
          text = lines.map((line) => RunRecordSchema.safeParse(safeJson(line)).data?.id ?? '').join('\n');
          if (!this.#readOnly) await writeFileAtomic(list, text);
        }
        for (const id of text.split('\n')) if (id) ids.add(id);
      }
      return ids;
    })();
    return this.#archived;
  }

  /** Run ids that `baton retry` asked for and the owner has not applied yet: archiving leaves them. */
  async #retriesPending(): Promise<Set<string>> {
    const folder = join(this.dir, 'commands');
    const ids = new Set<string>();
    for (const name of (await readdir(folder)).filter((n) => n.endsWith('.json'))) {
      const text = await readFile(join(folder, name), 'utf8').catch(() => '');
      const parsed = StoreCommandSchema.safeParse(safeJson(text));
      if (parsed.success && parsed.data.kind === 'retry') ids.add(parsed.data.runId);
    }
    return ids;
  }

  async #serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const result = (this.#queues.get(id) ?? Promise.resolve()).then(work, work);
    const tail = result.catch(() => undefined);
    this.#queues.set(id, tail);
    try {
      return await result;
    } finally {
      if (this.#queues.get(id) === tail) this.#queues.delete(id);
    }
  }

  /**
   * The run in `file`, or undefined when there is none. With `skip`, a run whose summary `skip`
   * accepts is returned as that summary, without validating its journal.
   */
  async #readRun(file: string): Promise<RunRecord | undefined>;
  async #readRun(
    file: string,
    skip: (s: RunSummaryFields) => boolean,
  ): Promise<RunRecord | RunSummaryFields | undefined>;
  async #readRun(file: string, skip?: (s: RunSummaryFields) => boolean) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const parsed = safeJson(text);
    const summary = skip && SummarySchema.safeParse(parsed);
    if (summary?.success && skip?.(summary.data)) return summary.data;
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

  #finishedFile(id: string): string {
    return join(this.#finished, `${id}.json`);
  }

  #cursorFile(name: string): string {
    return join(this.dir, 'cursors', `${encodeURIComponent(name).replaceAll('%', '_')}.json`);
  }
}

/** Of two copies of one run, whether `a` is the one to keep: the later save; on a tie, the active one. */
function newer(
  a: { run: Pick<RunRecord, 'updatedAt'>; active: boolean },
  b: { run: Pick<RunRecord, 'updatedAt'>; active: boolean },
): boolean {
  return a.run.updatedAt > b.run.updatedAt || (a.run.updatedAt === b.run.updatedAt && a.active && !b.active);
}

/** True when `dir` exists and is a folder (used by doctor and status). */
export async function isFolder(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}
