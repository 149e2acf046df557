// Concurrency: a global limit and a per-recipe limit; waiting runs hold no slot.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRecipe } from '../../src/engine/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

function gauge() {
  let now = 0;
  let peak = 0;
  return {
    async during<T>(fn: () => Promise<T>): Promise<T> {
      now++;
      peak = Math.max(peak, now);
      try {
        return await fn();
      } finally {
        now--;
      }
    },
    get peak() {
      return peak;
    },
  };
}

const pause = () => new Promise((r) => setTimeout(r, 5));

describe('concurrency', () => {
  it('never executes more runs at once than the global limit', async () => {
    const g = gauge();
    const recipe = defineRecipe({
      name: 'busy',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('work', () => g.during(pause));
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe], { concurrency: 3 });
    for (let i = 0; i < 12; i++) await t.engine.submit('busy', `k${i}`, {});
    await t.engine.drain();
    expect(g.peak).toBe(3);
    await t.close();
  });

  it('holds a recipe to its own limit while other recipes use the remaining slots', async () => {
    const slow = gauge();
    const all = gauge();
    const make = (name: string, concurrency?: number) =>
      defineRecipe({
        name,
        input: z.unknown(),
        ...(concurrency ? { concurrency } : {}),
        async run(_, ctx) {
          await ctx.step('work', () => all.during(() => (name === 'slow' ? slow.during(pause) : pause())));
        },
      });
    const t = await openTestEngine(await tempDir(), [make('slow', 1), make('fast')], { concurrency: 4 });
    for (let i = 0; i < 6; i++) {
      await t.engine.submit('slow', `s${i}`, {});
      await t.engine.submit('fast', `f${i}`, {});
    }
    await t.engine.drain();
    expect(slow.peak).toBe(1);
    expect(all.peak).toBeGreaterThan(1);
    expect(all.peak).toBeLessThanOrEqual(4);
    await t.close();
  });

  it('lets other runs execute while runs wait: a waiting run holds no slot', async () => {
    const waiter = defineRecipe({
      name: 'waiter',
      input: z.unknown(),
      async run(_, ctx) {
        return ctx.waitFor('approval', { key: 'never', timeout: '7d' });
      },
    });
    let worked = 0;
    const worker = defineRecipe({
      name: 'worker',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('work', () => worked++);
      },
    });
    const t = await openTestEngine(await tempDir(), [waiter, worker], { concurrency: 1 });
    for (let i = 0; i < 5; i++) await t.engine.submit('waiter', `w${i}`, {});
    for (let i = 0; i < 5; i++) await t.engine.submit('worker', `k${i}`, {});
    await t.engine.drain();
    expect(worked).toBe(5);
    expect(t.engine.activeRuns().filter((r) => r.status === 'waiting')).toHaveLength(5);
    await t.close();
  });
});
