// One Baton cycle (`run --once`): claim before act, reject bad input, recover claimed work, signals.
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import { defineRecipe } from '../../src/engine/index.ts';
import { Baton } from '../../src/runtime/index.ts';
import { FileStore } from '../../src/store/index.ts';
import type { PollResult, Trigger, TriggerItem } from '../../src/triggers/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/** A tiny in-memory "sheet": rows with a Status cell, the shape every row-based trigger has. */
class RowSource implements Trigger<{ name: string; email: string }> {
  readonly id = 'rows';
  rows: { id: string; name: string; email: string; status: string; token?: string }[] = [];
  claims = 0;

  async poll(): Promise<PollResult<{ name: string; email: string }>> {
    const items: TriggerItem<{ name: string; email: string }>[] = [];
    for (const row of this.rows) {
      const payload = { name: row.name, email: row.email };
      if (row.status === '') items.push({ key: row.id, payload });
      else if (row.status === 'Queued' && row.token)
        items.push({ key: `${row.id}#${row.token}`, payload, claimed: true });
    }
    return { items, signals: [{ key: 'approval:r1', payload: 'Approved' }] };
  }
  async claim(item: TriggerItem<{ name: string; email: string }>) {
    const row = this.rows.find((r) => r.id === item.key);
    if (row?.status !== '') return undefined;
    this.claims++;
    row.status = 'Queued';
    row.token = `t${this.claims}`;
    return { ...item, key: `${row.id}#${row.token}` };
  }
  async reject(item: TriggerItem, reason: string) {
    const row = this.rows.find((r) => r.id === item.key);
    if (row) row.status = `Skipped: ${reason}`;
  }
}

function greeter(source: RowSource, effects: string[]) {
  return defineRecipe({
    name: 'greet',
    triggers: [source],
    input: z.object({ name: z.string().min(1, 'Name is empty'), email: z.email('Email is not valid') }),
    async run(lead, ctx) {
      await ctx.step('greet', ({ idempotencyKey }) => {
        if (!effects.includes(idempotencyKey)) effects.push(idempotencyKey);
      });
      const row = source.rows.find((r) => r.email === lead.email)!;
      row.status = 'Done';
    },
  });
}

async function baton(dir: string, recipe: ReturnType<typeof greeter>) {
  const b = new Baton({ store: new FileStore({ dir }), recipes: [recipe], clock: new ManualClock() });
  await b.open();
  return b;
}

describe('Baton.runOnce', () => {
  it('claims each valid new item before its run starts, and rejects invalid ones with the reason', async () => {
    const source = new RowSource();
    source.rows = [
      { id: 'r1', name: 'Ada', email: 'ada@example.com', status: '' },
      { id: 'r2', name: '', email: 'bob@example.com', status: '' },
      { id: 'r3', name: 'Cy', email: 'not-an-email', status: '' },
    ];
    const effects: string[] = [];
    const b = await baton(await tempDir(), greeter(source, effects));
    await b.runOnce();
    expect(source.rows.map((r) => r.status)).toEqual([
      'Done',
      'Skipped: Name is empty',
      'Skipped: Email is not valid',
    ]);
    expect(source.claims).toBe(1);
    expect(effects).toHaveLength(1);
    // A second cycle finds nothing new to do.
    await b.runOnce();
    expect(effects).toHaveLength(1);
    await b.stop();
  });

  it('recovers claimed work after the data folder is lost, with the same idempotency keys', async () => {
    const dir = await tempDir();
    const source = new RowSource();
    source.rows = [{ id: 'r1', name: 'Ada', email: 'ada@example.com', status: '' }];
    const effects: string[] = [];
    const recipe = greeter(source, effects);

    // The first process claims the row, then dies before the run finishes: Status stays Queued.
    const first = await baton(dir, recipe);
    const claimed = await source.claim({ key: 'r1', payload: { name: 'Ada', email: 'ada@example.com' } });
    await first.engine.submit('greet', claimed!.key, claimed!.payload);
    await first.engine.drain();
    const keyBefore = effects[0];
    source.rows[0]!.status = 'Queued';
    await first.stop();
    await rm(dir, { recursive: true, force: true });

    const second = await baton(dir, recipe);
    await second.runOnce();
    expect(source.rows[0]?.status).toBe('Done');
    expect(effects).toEqual([keyBefore]);
    expect(source.claims).toBe(1);
    await second.stop();
  });
});
