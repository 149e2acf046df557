// The Store contract itself, whatever the implementation: run documents, listing by status and
// recipe, archiving, cursors and commands. Runs against the file store here, and against Redis
// through redis-store.conformance.test.ts.
import { describe, expect, it } from 'vitest';
import { Engine, type RunRecord } from '../../src/engine/index.ts';
import { runIdFor } from '../../src/engine/run-id.ts';
import { runRecord } from '../support/run-record.ts';
import { storeAt, useStorePlaces } from '../support/store-kit.ts';

const place = useStorePlaces();
const DAY = 86_400_000;
const NOW = Date.parse('2026-06-15T00:00:00Z');

const run = (id: string, status: RunRecord['status'], updatedAt: number, recipe = 'pitch'): RunRecord =>
  runRecord(id, status, { updatedAt, recipe });

describe('the store contract', () => {
  it('replaces a run document whole and lists runs by status and recipe', async () => {
    const store = storeAt(await place());
    await store.open();
    await store.saveRun(run('a', 'queued', 1));
    await store.saveRun(run('b', 'waiting', 2, 'digest'));
    await store.saveRun(run('c', 'done', 3));
    await store.saveRun({
      ...run('a', 'running', 4),
      createdAt: 1,
      journal: [{ id: 's1', kind: 'step', status: 'done', attempts: 1 }],
    });
    expect((await store.getRun('a'))?.journal.map((e) => e.id)).toEqual(['s1']);
    expect((await store.listRuns({ status: ['queued'] })).map((r) => r.id)).toEqual([]);
    expect((await store.listRuns({ status: ['queued', 'running', 'waiting'] })).map((r) => r.id)).toEqual([
      'a',
      'b',
    ]);
    expect((await store.listRuns({ recipe: 'pitch' })).map((r) => r.id)).toEqual(['a', 'c']);
    expect((await store.listRuns({ recipe: 'pitch', status: ['done'] })).map((r) => r.id)).toEqual(['c']);
    // A finished run put back in the queue (a retry) is active again.
    await store.saveRun({ ...run('c', 'queued', 5), createdAt: 3 });
    expect((await store.listRuns({ status: ['done'] })).map((r) => r.id)).toEqual([]);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    await store.close();
  });

  it('archives finished runs older than the retention, keeps them known, and keeps active ones', async () => {
    const at = await place();
    const store = storeAt(at);
    await store.open();
    const id = runIdFor('pitch', 'row-7');
    await store.saveRun({ ...run(id, 'done', NOW - 40 * DAY), itemKey: 'row-7' });
    await store.saveRun(run('old-failed', 'failed', NOW - 40 * DAY));
    await store.saveRun(run('old-waiting', 'waiting', NOW - 40 * DAY));
    await store.saveRun(run('new-done', 'done', NOW - DAY));
    expect(await store.archive(NOW - 30 * DAY)).toBe(2);
    expect((await store.listRuns()).map((r) => r.id).sort()).toEqual(['new-done', 'old-waiting']);
    expect(await store.getRun(id)).toBeUndefined();
    expect(await new Engine({ store, recipes: [] }).hasRun('pitch', 'row-7')).toBe(true);
    await store.close();

    const next = storeAt(at);
    await next.open();
    expect(await next.hasRun(id)).toBe(true);
    expect(await next.hasRun('old-waiting')).toBe(true);
    expect(await next.hasRun(runIdFor('pitch', 'row-8'))).toBe(false);
    await next.close();
  });

  it('leaves a finished run that `baton retry` asked for, and passes each command on once', async () => {
    const at = await place();
    const owner = storeAt(at);
    await owner.open();
    await owner.saveRun(run('old-failed', 'failed', NOW - 40 * DAY));
    const cli = storeAt(at);
    await cli.open({ readOnly: true });
    await cli.enqueueCommand({ kind: 'retry', runId: 'old-failed' });
    await cli.enqueueCommand({ kind: 'cancel', runId: 'other' });
    expect(await owner.archive(NOW - 30 * DAY)).toBe(0);
    expect(await owner.takeCommands()).toEqual([
      { kind: 'retry', runId: 'old-failed' },
      { kind: 'cancel', runId: 'other' },
    ]);
    expect(await owner.takeCommands()).toEqual([]);
    const retried = await new Engine({ store: owner, recipes: [] }).retry('old-failed');
    expect(retried.status).toBe('queued');
    expect((await owner.getRun('old-failed'))?.status).toBe('queued');
    await cli.close();
    await owner.close();
  });

  it('keeps cursors by name, surviving a reopen, and says it is writable', async () => {
    const at = await place();
    const a = storeAt(at);
    await a.open();
    await a.setCursor('sheets:1AbC:Leads', { lastRow: 501 });
    expect(await a.writable()).toBe(true);
    await a.close();
    const b = storeAt(at);
    await b.open();
    expect(await b.getCursor('sheets:1AbC:Leads')).toEqual({ lastRow: 501 });
    expect(await b.getCursor('unknown')).toBeUndefined();
    await b.close();
  });
});
