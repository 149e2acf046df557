// Claiming a poll's items in one go: a trigger with claimAll is asked once per poll; only its winners run.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import type { RunRecord } from '../../src/engine/index.ts';
import { defineRecipe } from '../../src/engine/index.ts';
import { Baton } from '../../src/runtime/index.ts';
import { FileStore } from '../../src/store/index.ts';
import type { PollResult, Trigger, TriggerItem } from '../../src/triggers/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

type Lead = { name: string; email: string };
type Row = { id: string; name: string; email: string; status: string; token?: string };

/** An in-memory "sheet" whose rows can all be claimed in one call; some are taken by another process. */
class BatchRowSource implements Trigger<Lead> {
  readonly id = 'rows';
  rows: Row[] = [];
  /** Rows another process claims first: this one loses them. */
  takenElsewhere = new Set<string>();
  batches: string[][] = [];
  singleClaims = 0;
  released: string[] = [];

  async poll(): Promise<PollResult<Lead>> {
    const items: TriggerItem<Lead>[] = [];
    for (const row of this.rows) {
      const payload = { name: row.name, email: row.email };
      if (row.status === '') items.push({ key: row.id, payload });
      else if (row.status === 'Queued' && row.token)
        items.push({ key: `${row.id}#${row.token}`, payload, claimed: true });
    }
    return { items };
  }
  async claim(): Promise<undefined> {
    this.singleClaims++;
    return undefined;
  }
  async claimAll(items: TriggerItem<Lead>[]): Promise<TriggerItem<Lead>[]> {
    this.batches.push(items.map((i) => i.key));
    const won: TriggerItem<Lead>[] = [];
    for (const item of items) {
      const row = this.rows.find((r) => r.id === item.key);
      if (row?.status !== '') continue;
      row.status = 'Queued';
      row.token = this.takenElsewhere.has(row.id) ? 'theirs' : `t-${row.id}`;
      if (row.token !== 'theirs') won.push({ key: `${row.id}#${row.token}`, payload: item.payload });
    }
    return won;
  }
  async reject(item: TriggerItem, reason: string) {
    const row = this.rows.find((r) => r.id === item.key);
    if (row) row.status = `Skipped: ${reason}`;
  }
  async release(item: TriggerItem) {
    this.released.push(item.key);
    const row = this.rows.find((r) => `${r.id}#${r.token}` === item.key);
    if (row) {
      row.status = '';
      delete row.token;
    }
  }
}

function greeter(source: BatchRowSource, greeted: string[], resumed: string[] = []) {
  return defineRecipe({
    name: 'greet',
    triggers: [source],
    input: z.object({ name: z.string().min(1, 'Name is empty'), email: z.email('Email is not valid') }),
    async run(lead, ctx) {
      await ctx.step('greet', ({ runResumed }) => {
        if (!greeted.includes(lead.email)) greeted.push(lead.email);
        if (runResumed) resumed.push(lead.email);
      });
      const row = source.rows.find((r) => r.email === lead.email)!;
      row.status = 'Done';
    },
  });
}

/** A store that cannot save the run of one item (a full disk, say). */
class FailingStore extends FileStore {
  failFor: string | undefined;
  override async saveRun(run: RunRecord): Promise<void> {
    if (run.itemKey === this.failFor) throw new Error('no space left on device');
    return super.saveRun(run);
  }
}

describe('dispatching a poll to a trigger with claimAll', () => {
  it('claims every valid new item in one call per poll; items it loses get no run', async () => {
    const source = new BatchRowSource();
    source.rows = [
      { id: 'r1', name: 'Ada', email: 'ada@example.com', status: '' },
      { id: 'r2', name: '', email: 'bob@example.com', status: '' },
      { id: 'r3', name: 'Cy', email: 'cy@example.com', status: '' },
      { id: 'r4', name: 'Di', email: 'di@example.com', status: '' },
      { id: 'r5', name: 'Ed', email: 'ed@example.com', status: 'Queued', token: 'earlier' },
    ];
    source.takenElsewhere.add('r3');
    const greeted: string[] = [];
    const b = new Baton({
      store: new FileStore({ dir: await tempDir() }),
      recipes: [greeter(source, greeted)],
      clock: new ManualClock(),
    });
    await b.open();
    await b.runOnce();
    // One call, with the valid unclaimed items only: not the invalid r2, not r5 claimed earlier.
    expect(source.batches).toEqual([['r1', 'r3', 'r4']]);
    expect(source.singleClaims).toBe(0);
    expect(greeted.sort()).toEqual(['ada@example.com', 'di@example.com', 'ed@example.com']);
    expect(source.rows.map((r) => r.status)).toEqual([
      'Done',
      'Skipped: Name is empty',
      'Queued',
      'Done',
      'Done',
    ]);
    expect(await b.engine.hasRun('greet', 'r3#theirs')).toBe(false);
    await b.runOnce();
    expect(source.batches).toHaveLength(1); // nothing new: no call at all
    await b.stop();
  });

  it('when a run cannot be saved, gives back its claim and the batch claims not started yet', async () => {
    const source = new BatchRowSource();
    source.rows = ['r1', 'r2', 'r3'].map((id, i) => ({
      id,
      name: `Lead ${i}`,
      email: `${id}@example.com`,
      status: '',
    }));
    const store = new FailingStore({ dir: await tempDir() });
    store.failFor = 'r2#t-r2';
    const greeted: string[] = [];
    const b = new Baton({ store, recipes: [greeter(source, greeted)], clock: new ManualClock() });
    await b.open();
    await expect(b.runOnce()).rejects.toThrow('no space left on device');
    expect(greeted).toEqual(['r1@example.com']);
    expect(source.released).toEqual(['r2#t-r2', 'r3#t-r3']);
    expect(source.rows.map((r) => r.status)).toEqual(['Done', '', '']);
    store.failFor = undefined;
    await b.runOnce();
    expect(greeted.sort()).toEqual(['r1@example.com', 'r2@example.com', 'r3@example.com']);
    await b.stop();
  });

  it('marks the run of an item an earlier process claimed as resumed: what its first life made may predate it', async () => {
    const source = new BatchRowSource();
    source.rows = [
      { id: 'r1', name: 'Ada', email: 'ada@example.com', status: '' },
      { id: 'r5', name: 'Ed', email: 'ed@example.com', status: 'Queued', token: 'earlier' },
    ];
    const greeted: string[] = [];
    const resumed: string[] = [];
    const b = new Baton({
      store: new FileStore({ dir: await tempDir() }),
      recipes: [greeter(source, greeted, resumed)],
      clock: new ManualClock(),
    });
    await b.open();
    await b.runOnce();
    await b.stop();
    expect(greeted.sort()).toEqual(['ada@example.com', 'ed@example.com']);
    expect(resumed).toEqual(['ed@example.com']);
  });
});
