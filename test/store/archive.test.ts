// Archiving against the rest of the store: archived runs stay known, and a run `baton retry` asked
// for is not archived before the owner applies the request.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, type RunRecord } from '../../src/engine/index.ts';
import { runIdFor } from '../../src/engine/run-id.ts';
import { FileStore } from '../../src/store/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T00:00:00Z');

function run(id: string, status: RunRecord['status'], updatedAt: number): RunRecord {
  return {
    version: 1,
    id,
    recipe: 'pitch',
    itemKey: id,
    input: {},
    status,
    createdAt: updatedAt,
    updatedAt,
    executions: 1,
    journal: [],
    inbox: [],
  };
}

describe('archiving', () => {
  it('keeps archived runs known: the same item is not handed over again, even after a restart', async () => {
    const dir = await tempDir();
    const id = runIdFor('pitch', 'row-7');
    const store = new FileStore({ dir });
    await store.open();
    await store.saveRun({ ...run(id, 'done', NOW - 40 * DAY), itemKey: 'row-7' });
    expect(await store.archive(NOW - 30 * DAY)).toBe(1);
    expect(await store.getRun(id)).toBeUndefined();
    expect(await new Engine({ store, recipes: [] }).hasRun('pitch', 'row-7')).toBe(true);
    await store.close();

    const next = new FileStore({ dir });
    await next.open();
    expect(await next.hasRun(id)).toBe(true);
    expect(await next.hasRun(runIdFor('pitch', 'row-8'))).toBe(false);
    await next.close();
  });

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

  it('leaves a finished run that `baton retry` asked for, so the owner can still retry it', async () => {
    const dir = await tempDir();
    const owner = new FileStore({ dir });
    await owner.open();
    await owner.saveRun(run('old-failed', 'failed', NOW - 40 * DAY));
    const cli = new FileStore({ dir });
    await cli.open({ readOnly: true });
    await cli.enqueueCommand({ kind: 'retry', runId: 'old-failed' });

    // `baton start` archives at once, and applies commands on its first tick a few seconds later.
    expect(await owner.archive(NOW - 30 * DAY)).toBe(0);
    expect(await owner.takeCommands()).toEqual([{ kind: 'retry', runId: 'old-failed' }]);
    const retried = await new Engine({ store: owner, recipes: [] }).retry('old-failed');
    expect(retried.status).toBe('queued');
    expect((await owner.getRun('old-failed'))?.status).toBe('queued');
    await owner.close();
  });
});
