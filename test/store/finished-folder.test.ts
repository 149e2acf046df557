// Finished runs live in `finished/`, so listing the active runs (every start-up) never reads them;
// a crash between a move's two halves, or a data folder from before the split, loses no run.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { runRecord } from '../support/run-record.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const ACTIVE = ['queued', 'running', 'waiting'] as const;

const run = (id: string, status: RunRecord['status'], updatedAt = 1): RunRecord =>
  runRecord(id, status, { createdAt: 1, updatedAt });

async function opened(dir: string): Promise<FileStore> {
  const store = new FileStore({ dir });
  await store.open();
  return store;
}

const files = async (dir: string, folder: string) => (await readdir(join(dir, folder))).sort();

describe('the finished folder', () => {
  it('moves a run there when it finishes and back when it is retried; reads find it in either', async () => {
    const dir = await tempDir();
    const store = await opened(dir);
    await store.saveRun(run('a', 'waiting'));
    expect(await files(dir, 'runs')).toEqual(['a.json']);
    await store.saveRun(run('a', 'failed', 2));
    expect(await files(dir, 'runs')).toEqual([]);
    expect(await files(dir, 'finished')).toEqual(['a.json']);
    expect((await store.getRun('a'))?.status).toBe('failed');
    expect(await store.hasRun('a')).toBe(true);
    expect((await store.listRuns()).map((r) => r.status)).toEqual(['failed']);
    await store.saveRun(run('a', 'queued', 3));
    expect(await files(dir, 'finished')).toEqual([]);
    expect((await store.listRuns({ status: ACTIVE })).map((r) => r.id)).toEqual(['a']);
    await store.close();
  });

  it('does not read finished runs when listing the active ones', async () => {
    const dir = await tempDir();
    const store = await opened(dir);
    await store.saveRun(run('waiting', 'waiting'));
    // A damaged file would be moved to quarantine by any listing that read it.
    await writeFile(join(dir, 'finished', 'damaged.json'), '{"version":1,');
    expect((await store.listRuns({ status: ACTIVE })).map((r) => r.id)).toEqual(['waiting']);
    expect(await files(dir, 'finished')).toEqual(['damaged.json']);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['waiting']);
    expect(await files(dir, 'finished')).toEqual([]);
    await store.close();
  });

  it('moves finished runs out of runs/ at open (a data folder from before the split)', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'runs'), { recursive: true });
    await writeFile(join(dir, 'runs', 'old.json'), JSON.stringify(run('old', 'done')));
    await writeFile(join(dir, 'runs', 'live.json'), JSON.stringify(run('live', 'waiting')));
    const store = await opened(dir);
    expect(await files(dir, 'runs')).toEqual(['live.json']);
    expect(await files(dir, 'finished')).toEqual(['old.json']);
    expect((await store.listRuns()).map((r) => r.id).sort()).toEqual(['live', 'old']);
    await store.close();
  });

  it('keeps the newer copy when a crash left a run in both folders', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'runs'), { recursive: true });
    await mkdir(join(dir, 'finished'), { recursive: true });
    // Died after writing the finished run, before removing its active copy.
    await writeFile(join(dir, 'runs', 'ended.json'), JSON.stringify(run('ended', 'running', 5)));
    await writeFile(join(dir, 'finished', 'ended.json'), JSON.stringify(run('ended', 'done', 6)));
    // Died after writing a retried run back, before removing its finished copy.
    await writeFile(join(dir, 'runs', 'retried.json'), JSON.stringify(run('retried', 'queued', 8)));
    await writeFile(join(dir, 'finished', 'retried.json'), JSON.stringify(run('retried', 'failed', 7)));
    const store = await opened(dir);
    expect(await files(dir, 'runs')).toEqual(['retried.json']);
    expect(await files(dir, 'finished')).toEqual(['ended.json']);
    expect((await store.getRun('ended'))?.status).toBe('done');
    expect((await store.listRuns({ status: ACTIVE })).map((r) => r.id)).toEqual(['retried']);
    await store.close();
  });

  it('archives finished runs out of the finished folder', async () => {
    const dir = await tempDir();
    const store = await opened(dir);
    await store.saveRun(run('old', 'done', 10));
    await store.saveRun(run('new', 'done', 1_000));
    expect(await store.archive(500)).toBe(1);
    expect(await files(dir, 'finished')).toEqual(['new.json']);
    expect(await store.hasRun('old')).toBe(true);
    await store.close();
  });
});
