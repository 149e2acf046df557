// Waits suspend a run, survive restarts, and resume on time or on a signal.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRecipe } from '../../src/engine/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { useStorePlaces } from '../support/store-kit.ts';

const tempDir = useStorePlaces();
const HOUR = 3_600_000;

describe("sleep('48h')", () => {
  it('suspends the run and resumes it after 48 hours, across a restart', async () => {
    const dir = await tempDir();
    const log: string[] = [];
    const recipe = defineRecipe({
      name: 'follow-up',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('first-mail', () => log.push('first'));
        await ctx.sleep('two-days', '48h');
        await ctx.step('follow-up', () => log.push('follow-up'));
        return 'sent';
      },
    });
    const t1 = await openTestEngine(dir, [recipe]);
    const { runId } = await t1.engine.submit('follow-up', 'lead-1', {});
    await t1.engine.drain();
    const waiting = await t1.store.getRun(runId);
    expect(waiting?.status).toBe('waiting');
    expect(waiting?.wake).toMatchObject({
      reason: 'sleep',
      stepId: 'two-days',
      at: t1.clock.now() + 48 * HOUR,
    });
    expect(t1.engine.nextWakeAt()).toBe(t1.clock.now() + 48 * HOUR);

    const t2 = await t1.restart();
    t2.clock.advance(47 * HOUR);
    await t2.engine.drain();
    expect((await t2.store.getRun(runId))?.status).toBe('waiting');
    t2.clock.advance(1 * HOUR);
    await t2.engine.drain();
    expect((await t2.store.getRun(runId))?.status).toBe('done');
    expect(log).toEqual(['first', 'follow-up']);
    await t2.close();
  });
});

describe('a deadline (a Date) instead of a duration', () => {
  it('ends the sleep and the wait at that instant, however far the clock moved since it was worked out', async () => {
    const dir = await tempDir();
    let clock: { advance(ms: number): void } | undefined;
    const recipe = defineRecipe({
      name: 'slot',
      input: z.unknown(),
      async run(_, ctx) {
        const now = (await ctx.now()).getTime();
        // The run is slow to get to its wait (or the sandbox's clock jumps meanwhile).
        await ctx.step('slow', () => clock?.advance(10 * 60_000));
        await ctx.sleep('until-slot', new Date(now + HOUR));
        const later = (await ctx.now()).getTime();
        await ctx.step('slow-again', () => clock?.advance(10 * 60_000));
        return ctx.waitFor('reply', { key: 'reply', timeout: new Date(later + HOUR) });
      },
    });
    const t = await openTestEngine(dir, [recipe]);
    clock = t.clock;
    const start = t.clock.now();
    const { runId } = await t.engine.submit('slot', 'k', {});
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.wake).toMatchObject({ reason: 'sleep', at: start + HOUR });
    t.clock.advance(50 * 60_000);
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.wake).toMatchObject({ reason: 'signal', at: start + 2 * HOUR });
    t.clock.advance(HOUR);
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.status).toBe('done');
    await t.close();
  });
});

describe('waitFor', () => {
  const approval = (check?: () => Promise<string | undefined>) =>
    defineRecipe({
      name: 'approval',
      input: z.object({ card: z.string() }),
      async run(input, ctx) {
        const decision = await ctx.waitFor<string>('approved', {
          key: `card:${input.card}`,
          timeout: '14d',
          ...(check ? { check } : {}),
        });
        return decision ?? 'expired';
      },
    });

  it('resumes with the payload of a signal delivered after a restart', async () => {
    const dir = await tempDir();
    const t1 = await openTestEngine(dir, [approval()]);
    const { runId } = await t1.engine.submit('approval', 'row-1', { card: 'c1' });
    await t1.engine.drain();
    expect((await t1.store.getRun(runId))?.wake).toMatchObject({ reason: 'signal', key: 'card:c1' });

    const t2 = await t1.restart();
    expect(await t2.engine.signal('card:other', 'Approved')).toBe(0);
    expect(await t2.engine.signal('card:c1', 'Approved')).toBe(1);
    await t2.engine.drain();
    const run = await t2.store.getRun(runId);
    expect(run?.status).toBe('done');
    expect(run?.output).toBe('Approved');
    await t2.close();
  });

  it('returns null once the timeout passes', async () => {
    const t = await openTestEngine(await tempDir(), [approval()]);
    const { runId } = await t.engine.submit('approval', 'row-1', { card: 'c1' });
    await t.engine.drain();
    t.clock.advance(14 * 24 * HOUR);
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.output).toBe('expired');
    await t.close();
  });

  it('resolves at once when check finds the state already reached (a signal that came first)', async () => {
    const t = await openTestEngine(await tempDir(), [approval(async () => 'Approved')]);
    const { runId } = await t.engine.submit('approval', 'row-1', { card: 'c1' });
    await t.engine.drain();
    const run = await t.store.getRun(runId);
    expect(run?.status).toBe('done');
    expect(run?.output).toBe('Approved');
    await t.close();
  });

  it('keeps waiting when check finds nothing, and ignores signals rejected by accept', async () => {
    const recipe = defineRecipe({
      name: 'accepting',
      input: z.unknown(),
      async run(_, ctx) {
        return ctx.waitFor('decision', {
          key: 'card:c1',
          timeout: '1d',
          check: async () => undefined,
          accept: (payload) => (payload === 'Approved' || payload === 'Rejected' ? payload : undefined),
        });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('accepting', 'k', {});
    await t.engine.drain();
    await t.engine.signal('card:c1', 'Review');
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.status).toBe('waiting');
    await t.engine.signal('card:c1', 'Rejected');
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.output).toBe('Rejected');
    await t.close();
  });
});
