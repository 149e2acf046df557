// The file store's own files: the archive's JSON lines and the quarantine folder. (The contract
// every store keeps, cursors and commands included, is in store-contract.test.ts.)
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { runRecord } from '../support/run-record.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const DAY = 86_400_000;

const run = (id: string, status: RunRecord['status'], updatedAt: number): RunRecord =>
  runRecord(id, status, { updatedAt });

describe('FileStore', () => {
  it('archives finished runs older than the retention and keeps active ones whatever their age', async () => {
    const dir = await tempDir();
    const store = new FileStore({ dir });
    await store.open();
    const now = Date.parse('2026-06-15T00:00:00Z');
    await store.saveRun(run('old-done', 'done', now - 40 * DAY));
    await store.saveRun(run('old-failed', 'failed', now - 40 * DAY));
    await store.saveRun(run('old-waiting', 'waiting', now - 40 * DAY));
    await store.saveRun(run('new-done', 'done', now - 1 * DAY));
    expect(await store.archive(now - 30 * DAY)).toBe(2);
    expect((await store.listRuns()).map((r) => r.id).sort()).toEqual(['new-done', 'old-waiting']);
    const archived = await readFile(join(dir, 'archive', 'runs-2026-05.jsonl'), 'utf8');
    expect(
      archived
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id)
        .sort(),
    ).toEqual(['old-done', 'old-failed']);
    await store.close();
  });

  it('moves a run file it cannot read aside instead of crashing, and says where', async () => {
    const dir = await tempDir();
    const store = new FileStore({ dir });
    await store.open();
    await store.saveRun(run('good', 'done', 1));
    await writeFile(join(dir, 'runs', 'bad.json'), '{"version":1,"id":');
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['good']);
    expect(await readdir(join(dir, 'quarantine'))).toEqual(['bad.json']);
    await store.close();
  });
});
