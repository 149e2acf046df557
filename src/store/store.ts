// Where runs and trigger cursors live. Narrow on purpose: a Redis-backed store can implement it
// without the engine changing.
import type { RunRecord, RunStatus } from '../engine/run-record.ts';

export type StoreCommand = { kind: 'retry'; runId: string } | { kind: 'cancel'; runId: string };

export interface RunFilter {
  status?: readonly RunStatus[];
  recipe?: string;
}

export interface Store {
  /**
   * Takes the store for this process (the data-folder lock). `readOnly` skips the lock, for commands
   * that only look (`baton runs`, `baton show`) while Baton runs.
   * @throws DataFolderLockedError when another process holds the folder (not for readOnly).
   */
  open(options?: { readOnly?: boolean }): Promise<void>;
  /** Releases the lock. Pending writes are finished first. */
  close(): Promise<void>;

  /** Replaces the run's document atomically: a reader sees the old or the new version, never a mix. */
  saveRun(run: RunRecord): Promise<void>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** True when a run with this id exists, live or archived (until its archive file is deleted). */
  hasRun(id: string): Promise<boolean>;
  listRuns(filter?: RunFilter): Promise<RunRecord[]>;

  getCursor<T>(name: string): Promise<T | undefined>;
  setCursor<T>(name: string, value: T): Promise<void>;

  /**
   * Moves finished runs (done, cancelled, failed) last updated before `before` out of the live set
   * into the archive; returns how many moved.
   */
  archive(before: number): Promise<number>;
  /**
   * Leaves a command for the process that owns the store (e.g. `baton retry` while `baton start`
   * runs); the owner picks it up with `takeCommands`. Allowed on a read-only store.
   */
  enqueueCommand(command: StoreCommand): Promise<void>;
  /** Returns and removes every command left for this process. */
  takeCommands(): Promise<StoreCommand[]>;

  /** Checks that the store can be written now (for health checks). */
  writable(): Promise<boolean>;
}
