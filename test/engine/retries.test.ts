// Step retries: exponential backoff with jitter, NonRetriableError, RetryAfterError, retry by hand.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { retryDelayMs } from '../../src/engine/backoff.ts';
import { DEFAULT_RETRY, defineRecipe, NonRetriableError, RetryAfterError } from '../../src/engine/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { useStorePlaces } from '../support/store-kit.ts';

const tempDir = useStorePlaces();

describe('retry policy', () => {
  it('backs off exponentially with jitter between half and all of the ceiling, capped', () => {
    const policy = { maxAttempts: 10, initialDelayMs: 1000, maxDelayMs: 8000 };
    expect(retryDelayMs(policy, 1, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 3, () => 0)).toBe(2000);
    expect(retryDelayMs(policy, 3, () => 1)).toBe(4000);
    expect(retryDelayMs(policy, 9, () => 1)).toBe(8000);
    expect(DEFAULT_RETRY.maxAttempts).toBe(5);
  });

  it('retries a failing step after its backoff, suspending in between, until it succeeds', async () => {
    let attempts = 0;
    const recipe = defineRecipe({
      name: 'flaky',
      input: z.unknown(),
      retry: { maxAttempts: 4, initialDelayMs: 1000, maxDelayMs: 1000 },
      async run(_, ctx) {
        return ctx.step('call', () => {
          attempts++;
          if (attempts < 3) throw new Error(`503 from service (try ${attempts})`);
          return 'ok';
        });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('flaky', 'k', {});
    await t.engine.drain();
    const waiting = await t.store.getRun(runId);
    expect(waiting?.status).toBe('waiting');
    expect(waiting?.wake?.reason).toBe('retry');
    expect(waiting?.journal[0]).toMatchObject({ id: 'call', status: 'pending', attempts: 1 });
    expect(waiting?.journal[0]?.error?.message).toBe('503 from service (try 1)');

    t.clock.advance(1000);
    await t.engine.drain();
    t.clock.advance(1000);
    await t.engine.drain();
    const done = await t.store.getRun(runId);
    expect(done?.status).toBe('done');
    expect(done?.output).toBe('ok');
    expect(attempts).toBe(3);
    await t.close();
  });

  it('marks the run failed, keeping its journal, when attempts run out', async () => {
    const recipe = defineRecipe({
      name: 'broken',
      input: z.unknown(),
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 10 },
      async run(_, ctx) {
        await ctx.step('before', () => 'kept');
        await ctx.step('call', () => {
          throw new Error('still down');
        });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('broken', 'k', {});
    await t.engine.drain();
    t.clock.advance(10);
    await t.engine.drain();
    const run = await t.store.getRun(runId);
    expect(run?.status).toBe('failed');
    expect(run?.error?.message).toBe("Step 'call' failed after 2 attempt(s): still down");
    expect(run?.journal.map((e) => [e.id, e.status])).toEqual([
      ['before', 'done'],
      ['call', 'failed'],
    ]);
    await t.close();
  });

  it('does not retry a NonRetriableError', async () => {
    let attempts = 0;
    const recipe = defineRecipe({
      name: 'fatal',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('call', () => {
          attempts++;
          throw new NonRetriableError('Sheet tab not found', { hint: 'check PITCH_SHEET_TAB' });
        });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('fatal', 'k', {});
    await t.engine.drain();
    const run = await t.store.getRun(runId);
    expect(run?.status).toBe('failed');
    expect(run?.error?.message).toContain('check PITCH_SHEET_TAB');
    expect(attempts).toBe(1);
    await t.close();
  });

  it('waits exactly as long as a RetryAfterError asks', async () => {
    let attempts = 0;
    const recipe = defineRecipe({
      name: 'throttled',
      input: z.unknown(),
      retry: { initialDelayMs: 10, maxDelayMs: 10 },
      async run(_, ctx) {
        return ctx.step('call', () => {
          attempts++;
          if (attempts === 1) throw new RetryAfterError('429', 30_000);
          return 'ok';
        });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('throttled', 'k', {});
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.wake?.at).toBe(t.clock.now() + 30_000);
    t.clock.advance(29_999);
    await t.engine.drain();
    expect(attempts).toBe(1);
    t.clock.advance(1);
    await t.engine.drain();
    expect((await t.store.getRun(runId))?.output).toBe('ok');
    await t.close();
  });

  it('retries a failed run from the failed step: finished steps do not run again', async () => {
    const calls: string[] = [];
    let serviceUp = false;
    const recipe = defineRecipe({
      name: 'manual',
      input: z.unknown(),
      retry: { maxAttempts: 1 },
      async run(_, ctx) {
        await ctx.step('draft', () => calls.push('draft'));
        await ctx.step('card', () => {
          calls.push('card');
          if (!serviceUp) throw new Error('Trello is down');
        });
        return 'done';
      },
    });
    const dir = await tempDir();
    const t1 = await openTestEngine(dir, [recipe]);
    const { runId } = await t1.engine.submit('manual', 'k', {});
    await t1.engine.drain();
    expect((await t1.store.getRun(runId))?.status).toBe('failed');

    serviceUp = true;
    const t2 = await t1.restart();
    await t2.engine.retry(runId);
    await t2.engine.drain();
    expect((await t2.store.getRun(runId))?.status).toBe('done');
    expect(calls).toEqual(['draft', 'card', 'card']);
    await expect(t2.engine.retry(runId)).rejects.toThrow(/is done, not failed/);
    await t2.close();
  });
});

describe('onFailure', () => {
  it('tells the recipe once when a run fails, with the error and the run id', async () => {
    const told: { runId: string; message: string; input: unknown }[] = [];
    const recipe = defineRecipe({
      name: 'told',
      input: z.object({ row: z.number() }),
      retry: { maxAttempts: 1 },
      async run(_, ctx) {
        await ctx.step('card', () => {
          throw new NonRetriableError("Trello list 'Review' not found");
        });
      },
      async onFailure({ runId, error, input }) {
        told.push({ runId, message: error.message, input });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('told', 'k', { row: 7 });
    await t.engine.drain();
    expect(told).toEqual([
      {
        runId,
        message: "Step 'card' failed after 1 attempt(s): Trello list 'Review' not found",
        input: { row: 7 },
      },
    ]);
    await t.close();
  });
});
