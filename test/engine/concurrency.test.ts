// Concurrency: a global limit, a per-recipe limit and a group limit per recipe; waiting runs hold no slot.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRecipe } from '../../src/engine/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { useStorePlaces } from '../support/store-kit.ts';

const tempDir = useStorePlaces();

/** Counts steps in flight; every step holds until `release`, so limits are observed, not raced. */
function gauge() {
  let now = 0;
  let peak = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    async during(): Promise<void> {
      now++;
      peak = Math.max(peak, now);
      try {
        await gate;
      } finally {
        now--;
      }
    },
    get now() {
      return now;
    },
    get peak() {
      return peak;
    },
    release: () => open(),
  };
}

/** Waits (bounded) until `condition` holds, then a little longer so any excess would show up. */
async function settleOn(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
}

describe('concurrency', () => {
  it('never executes more runs at once than the global limit', async () => {
    const g = gauge();
    const recipe = defineRecipe({
      name: 'busy',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('work', () => g.during());
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe], { concurrency: 3 });
    for (let i = 0; i < 12; i++) await t.engine.submit('busy', `k${i}`, {});
    const drained = t.engine.drain();
    await settleOn(() => g.now === 3);
    expect(g.now).toBe(3);
    g.release();
    await drained;
    expect(g.peak).toBe(3);
    expect(t.engine.activeRuns()).toEqual([]);
    await t.close();
  });

  it('holds a recipe to its own limit while other recipes use the remaining slots', async () => {
    const slow = gauge();
    const fast = gauge();
    const make = (name: string, g: ReturnType<typeof gauge>, concurrency?: number) =>
      defineRecipe({
        name,
        input: z.unknown(),
        ...(concurrency ? { concurrency } : {}),
        async run(_, ctx) {
          await ctx.step('work', () => g.during());
        },
      });
    const t = await openTestEngine(await tempDir(), [make('slow', slow, 1), make('fast', fast)], {
      concurrency: 4,
    });
    for (let i = 0; i < 6; i++) {
      await t.engine.submit('slow', `s${i}`, {});
      await t.engine.submit('fast', `f${i}`, {});
    }
    const drained = t.engine.drain();
    await settleOn(() => slow.now + fast.now === 4);
    expect({ slow: slow.now, fast: fast.now }).toEqual({ slow: 1, fast: 3 });
    slow.release();
    fast.release();
    await drained;
    expect(slow.peak).toBe(1);
    expect(slow.peak + fast.peak).toBeLessThanOrEqual(4);
    await t.close();
  });

  it('holds a recipe to its group limit, which one process alone must keep too', async () => {
    const g = gauge();
    const recipe = defineRecipe({
      name: 'busy',
      input: z.unknown(),
      concurrency: 3,
      async run(_, ctx) {
        await ctx.step('work', () => g.during());
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe], {
      concurrency: 4,
      groupConcurrency: { busy: 2 },
    });
    for (let i = 0; i < 6; i++) await t.engine.submit('busy', `k${i}`, {});
    const drained = t.engine.drain();
    await settleOn(() => g.now === 2);
    g.release();
    await drained;
    expect(g.peak).toBe(2);
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
