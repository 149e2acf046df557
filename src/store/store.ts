// Where runs and trigger cursors live. Narrow on purpose: a Redis-backed store can implement it
// without the engine changing.
import type { RunRecord, RunStatus } from '../engine/run-record.ts';

export interface RunFilter {
  status?: readonly RunStatus[];
  recipe?: string;
}

export interface Store {
  /** Takes the store for this process (the data-folder lock). @throws DataFolderLockedError */
  open(): Promise<void>;
  /** Releases the lock. Pending writes are finished first. */
  close(): Promise<void>;

  /** Replaces the run's document atomically: a reader sees the old or the new version, never a mix. */
  saveRun(run: RunRecord): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;

  getCursor<T>(name: string): Promise<T | undefined>;
  setCursor<T>(name: string, value: T): Promise<void>;

  /**
   * Moves finished runs (done, cancelled, failed) last updated before `before` out of the live set
   * into the archive; returns how many moved.
   */
  archive(before: number): Promise<number>;
  /** Checks that the store can be written now (for health checks). */
  writable(): Promise<boolean>;
}
