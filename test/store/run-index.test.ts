// The run index lets filtered listings skip finished runs unread; it must never hide a run that
// changed since it was indexed.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { runRecord } from '../support/run-record.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const ACTIVE = ['queued', 'running', 'waiting'] as const;

const run = (id: string, status: RunRecord['status']): RunRecord => runRecord(id, status);

async function activeIds(dir: string): Promise<string[]> {
  const store = new FileStore({ dir });
  await store.open();
  const ids = (await store.listRuns({ status: ACTIVE })).map((r) => r.id);
  await store.close();
  return ids;
}

describe('the run index', () => {
  it('lists a finished run that was retried as active at the next start', async () => {
    const dir = await tempDir();
    const store = new FileStore({ dir });
    await store.open();
    await store.saveRun(run('done-then-retried', 'failed'));
    await store.saveRun(run('waiting', 'waiting'));
    expect((await store.listRuns({ status: ACTIVE })).map((r) => r.id)).toEqual(['waiting']);
    await store.saveRun(run('done-then-retried', 'queued'));
    await store.close();
    expect((await activeIds(dir)).sort()).toEqual(['done-then-retried', 'waiting']);
  });

  it('is only a cache: a run file changed behind its back, or a damaged index, is read again', async () => {
    const dir = await tempDir();
    const store = new FileStore({ dir });
    await store.open();
    await store.saveRun(run('a', 'done'));
    await store.saveRun(run('b', 'done'));
    expect(await store.listRuns({ status: ACTIVE })).toEqual([]);
    await store.close();

    // As after a crash between a run's write and the index's: the index still says done.
    await writeFile(join(dir, 'runs', 'a.json'), JSON.stringify(run('a', 'waiting')));
    expect(await activeIds(dir)).toEqual(['a']);
    await writeFile(join(dir, 'runs-index.json'), '{"version":1,"runs":{"b.json":{"status":"done"');
    await writeFile(join(dir, 'runs', 'b.json'), JSON.stringify(run('b', 'queued')));
    expect((await activeIds(dir)).sort()).toEqual(['a', 'b']);
  });
});
