// Archiving in the file store: archived runs stay known through their id lists. (What every store
// must do when archiving is in store-contract.test.ts.)
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { runRecord } from '../support/run-record.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T00:00:00Z');

const run = (id: string, status: RunRecord['status'], updatedAt: number): RunRecord =>
  runRecord(id, status, { updatedAt });

describe('archiving', () => {
  it('remembers the runs of archives written before the id lists existed', async () => {
    const dir = await tempDir();
    const store = new FileStore({ dir });
    await store.open();
    await store.saveRun(run('old-done', 'done', NOW - 40 * DAY));
    await store.archive(NOW - 30 * DAY);
    await store.close();
    await rm(join(dir, 'archive', 'ids-2026-05.txt'));

    const next = new FileStore({ dir });
    await next.open();
    expect(await next.hasRun('old-done')).toBe(true);
    await next.close();
  });
});
