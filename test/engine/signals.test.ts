// Signals are wake-ups for the wait they were delivered to: a signal never decides a later wait.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRecipe } from '../../src/engine/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { useStorePlaces } from '../support/store-kit.ts';

const tempDir = useStorePlaces();

/** A promise a test opens by hand, and a flag telling the test the code reached it. */
function gate() {
  let open!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const arrived = new Promise<void>((resolve) => {
    reached = resolve;
  });
  return {
    async pass(): Promise<void> {
      reached();
      await opened;
    },
    arrived,
    open: () => open(),
  };
}

const takeAny = (payload: unknown) => payload as string;

describe('a signal that arrives while the run executes', () => {
  it('does not decide a wait the run enters after it arrived', async () => {
    const working = gate();
    const recipe = defineRecipe({
      name: 'review',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('revise', () => working.pass());
        return ctx.waitFor('decision-2', { key: 'card:1', timeout: '7d', accept: takeAny });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('review', 'lead-1', {});
    const drained = t.engine.drain();
    await working.arrived;
    // The reviewer's move lands while `revise` runs: it concerns the card as it was then.
    expect(await t.engine.signal('card:1', 'Approved')).toBe(0);
    working.open();
    await drained;

    const run = await t.store.getRun(runId);
    expect(run?.status).toBe('waiting');
    expect(run?.wake).toMatchObject({ stepId: 'decision-2', key: 'card:1' });
    expect(run?.inbox).toEqual([]);
    await t.close();
  });

  it('is handed to the wait it arrived during (after its check, before it suspended)', async () => {
    const checking = gate();
    const recipe = defineRecipe({
      name: 'review',
      input: z.unknown(),
      async run(_, ctx) {
        return ctx.waitFor('decision-1', {
          key: 'card:1',
          timeout: '7d',
          accept: takeAny,
          check: async () => {
            await checking.pass();
            return undefined;
          },
        });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('review', 'lead-1', {});
    const drained = t.engine.drain();
    await checking.arrived;
    await t.engine.signal('card:1', 'Approved');
    checking.open();
    await drained;
    // The drain ends before the held signal's wake-up runs; the next one carries it through.
    await t.engine.drain();

    expect((await t.store.getRun(runId))?.output).toBe('Approved');
    await t.close();
  });
});

describe('a signal delivered to one wait', () => {
  it('is never consumed by the next wait on the same key', async () => {
    const recipe = defineRecipe({
      name: 'review',
      input: z.unknown(),
      async run(_, ctx) {
        const first = await ctx.waitFor('decision-1', { key: 'card:1', timeout: '7d', accept: takeAny });
        const second = await ctx.waitFor('decision-2', { key: 'card:1', timeout: '7d', accept: takeAny });
        return [first, second];
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('review', 'lead-1', {});
    await t.engine.drain();
    // Two sightings reach decision-1 before it runs: the first decides it, the second is stale.
    await t.engine.signal('card:1', 'Needs changes');
    await t.engine.signal('card:1', 'Needs changes (reconcile)');
    await t.engine.drain();

    const run = await t.store.getRun(runId);
    expect(run?.status).toBe('waiting');
    expect(run?.wake?.stepId).toBe('decision-2');
    expect(run?.inbox).toEqual([]);

    await t.engine.signal('card:1', 'Approved');
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.output).toEqual(['Needs changes', 'Approved']);
    await t.close();
  });
});

describe('parallel branches', () => {
  it('wake the run at the earliest time any branch asked for', async () => {
    let calls = 0;
    const recipe = defineRecipe({
      name: 'parallel',
      input: z.unknown(),
      retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 20 },
      async run(_, ctx) {
        const [step, reply] = await Promise.all([
          ctx.step('flaky', async () => {
            calls++;
            // Fails once, after the other branch has suspended.
            await new Promise((r) => setTimeout(r, 5));
            if (calls === 1) throw new Error('flaky');
            return 'ok';
          }),
          ctx.waitFor('reply', { key: 'thread:1', timeout: '1h' }),
        ]);
        return { step, reply };
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('parallel', 'x', {});
    await t.engine.drain();
    const waiting = await t.store.getRun(runId);
    const retryAt = waiting?.journal.find((e) => e.id === 'flaky')?.dueAt;
    expect(retryAt).toBeLessThanOrEqual(t.clock.now() + 20);
    expect(waiting?.wake).toMatchObject({ key: 'thread:1', at: retryAt });

    t.clock.advance(20);
    await t.engine.drain();
    const after = await t.store.getRun(runId);
    expect(after?.journal.find((e) => e.id === 'flaky')?.status).toBe('done');
    // The signal wait still wakes the run.
    await t.engine.signal('thread:1', 'thanks!');
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.output).toEqual({ step: 'ok', reply: 'thanks!' });
    await t.close();
  });
});

describe('ctx.id(), ctx.now() and ctx.random()', () => {
  it('are on disk before the recipe can hand them to a step', async () => {
    const dir = await tempDir();
    let onDisk: unknown[] = [];
    const recipe = defineRecipe({
      name: 'charge',
      input: z.unknown(),
      async run(_, ctx) {
        const key = await ctx.id();
        const when = await ctx.now();
        const pick = await ctx.random();
        return ctx.step('charge', async () => {
          // What a process killed right now would find on restart.
          onDisk = ((await t.store.getRun(ctx.runId))?.journal ?? [])
            .filter((e) => e.kind !== 'step')
            .map((e) => e.value);
          return { key, when: when.getTime(), pick };
        });
      },
    });
    const t = await openTestEngine(dir, [recipe]);
    const { runId } = await t.engine.submit('charge', 'order-1', {});
    await t.engine.drain();
    const output = (await t.store.getRun(runId))?.output as { key: string; when: number; pick: number };
    expect(onDisk).toEqual([output.key, output.when, output.pick]);
    await t.close();
  });
});

describe('cancel', () => {
  it('keeps the steps the run finished while cancel waited for it', async () => {
    const working = gate();
    const recipe = defineRecipe({
      name: 'slow',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('draft', () => working.pass().then(() => 'draft-1'));
        await ctx.waitFor('decision', { key: 'card:1', timeout: '7d' });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('slow', 'lead-1', {});
    const drained = t.engine.drain();
    await working.arrived;
    const cancelled = t.engine.cancel(runId);
    working.open();
    await Promise.all([cancelled, drained]);

    const run = await t.store.getRun(runId);
    expect(run?.status).toBe('cancelled');
    expect(run?.journal.find((e) => e.id === 'draft')).toMatchObject({ status: 'done', value: 'draft-1' });
    await t.close();
  });
});
