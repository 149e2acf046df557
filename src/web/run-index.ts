// Runs as pages list them, kept in memory: read from the store once, then kept current from every
// run the engine saves, so a page does not read every run file on each request (500 runs cost
// hundreds of ms to read, a few to list from here). Only a summary per run is kept, not journals.
import type { RunRecord, RunStatus, Wake } from '../engine/run-record.ts';
import type { Baton } from '../runtime/baton.ts';
import { itemOf } from './run-words.ts';

export interface RunRow {
  id: string;
  recipe: string;
  itemKey: string;
  /** The lead's name and email when the input holds them, else the item key. */
  item: string;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
  wake?: Wake;
  error?: string;
}

/** Archiving moves old runs out of the store behind the engine's back: read everything again this often. */
const RELOAD_MS = 10 * 60_000;

export class RunIndex {
  readonly #baton: Baton;
  readonly #rows = new Map<string, RunRow>();
  #loading: Promise<void> | undefined;
  /** Runs saved while the store is being read: newer than what the read returns. */
  #savedMeanwhile: Map<string, RunRow> | undefined;
  #loadedAt = 0;

  constructor(baton: Baton) {
    this.#baton = baton;
    baton.onRunSaved((run) => {
      const row = rowOf(run);
      this.#rows.set(run.id, row);
      this.#savedMeanwhile?.set(run.id, row);
    });
  }

  /** Every live run, with the status the engine holds in memory when it has the run. */
  async list(): Promise<RunRow[]> {
    if (this.#loadedAt === 0) await this.#load();
    else if (Date.now() - this.#loadedAt > RELOAD_MS) void this.#load().catch(() => undefined);
    const live = new Map(this.#baton.engine.activeRuns().map((r) => [r.id, r.status]));
    return [...this.#rows.values()].map((row) => {
      const status = live.get(row.id);
      return status && status !== row.status ? { ...row, status } : row;
    });
  }

  #load(): Promise<void> {
    this.#loading ??= (async () => {
      this.#savedMeanwhile = new Map();
      const runs = await this.#baton.store.listRuns();
      const fresh = new Map(runs.map((run) => [run.id, rowOf(run)]));
      for (const [id, row] of this.#savedMeanwhile) fresh.set(id, row);
      this.#rows.clear();
      for (const [id, row] of fresh) this.#rows.set(id, row);
      this.#loadedAt = Date.now();
    })().finally(() => {
      this.#loading = undefined;
      this.#savedMeanwhile = undefined;
    });
    return this.#loading;
  }
}

function rowOf(run: RunRecord): RunRow {
  return {
    id: run.id,
    recipe: run.recipe,
    itemKey: run.itemKey,
    item: itemOf(run),
    status: run.status,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    ...(run.wake ? { wake: run.wake } : {}),
    ...(run.error ? { error: run.error.message } : {}),
  };
}
