// Scale-out dispatch: several engines ("processes") on one Redis share the runs through BullMQ.
// Each run executes once; waits and retry backoffs are delayed jobs, not one process's timers;
// signals reach runs another process loaded; a process SIGKILLed mid-step has its run finished by
// another after BullMQ's stalled-job check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineRecipe, Engine, type Recipe, runIdFor } from '../../src/engine/index.ts';
import { BullmqDispatcher } from '../../src/queue/index.ts';
import { RedisStore } from '../../src/store/index.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { relayRecipe } from './relay.ts';

const redis = useRedis();
const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let prefixes = 0;
const newPrefix = () => `dispatch-${++prefixes}-${Date.now()}:`;

/** One Baton process's engine over the shared Redis (short locks so a takeover is quick). */
async function baton(
  prefix: string,
  recipes: Recipe[],
  concurrency = 2,
  groupConcurrency?: Record<string, number>,
) {
  const store = new RedisStore({ url: redis.url, prefix });
  await store.open();
  const dispatcher = new BullmqDispatcher({ store, url: redis.url, lockMs: 1000, stalledIntervalMs: 500 });
  const engine = new Engine({
    store,
    recipes,
    dispatcher,
    concurrency,
    runLockWaitMs: 5000,
    ...(groupConcurrency ? { groupConcurrency } : {}),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await engine.stop(0);
    await store.close();
  };
  cleanups.push(stop);
  return { store, engine, stop };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function allDone(store: RedisStore, count: number): Promise<void> {
  await vi.waitFor(async () => expect((await store.listRuns({ status: ['done'] })).length).toBe(count), {
    timeout: 20_000,
    interval: 50,
  });
}

describe('runs shared by two processes on one Redis', () => {
  it('executes each of 30 runs once, whichever process submitted it', async () => {
    const prefix = newPrefix();
    const calls: string[] = [];
    const work = (who: string) =>
      defineRecipe({
        name: 'work',
        input: z.object({ n: z.number() }),
        async run(input, ctx) {
          await ctx.step('one', async () => {
            calls.push(`${ctx.runId} one ${who}`);
            await pause(20);
          });
          await ctx.step('two', () => calls.push(`${ctx.runId} two ${who}`));
          return input.n;
        },
      });
    const a = await baton(prefix, [work('a')]);
    const b = await baton(prefix, [work('b')]);
    for (let n = 0; n < 30; n++) await (n % 2 ? a : b).engine.submit('work', `item-${n}`, { n });
    // Queued twice (both processes load the same runs at start): still one job per run.
    await a.engine.load();
    await b.engine.load();
    await a.engine.startTimers();
    await b.engine.startTimers();
    await allDone(a.store, 30);

    for (let n = 0; n < 30; n++) {
      const id = runIdFor('work', `item-${n}`);
      expect(calls.filter((c) => c.startsWith(`${id} one`))).toHaveLength(1);
      expect(calls.filter((c) => c.startsWith(`${id} two`))).toHaveLength(1);
      const run = await b.store.getRun(id);
      expect(run?.output).toBe(n);
      expect(run?.executions).toBe(1);
    }
    expect(calls.some((c) => c.endsWith(' a'))).toBe(true);
    expect(calls.some((c) => c.endsWith(' b'))).toBe(true);
    // Each process tracks only what it executes: nothing stays behind for runs finished elsewhere.
    expect(a.engine.activeRuns()).toEqual([]);
    expect(b.engine.activeRuns()).toEqual([]);
  });

  /** A recipe of one step that records how many of its runs were inside the step at once. */
  function counted(concurrency: number) {
    const seen = { now: 0, most: 0 };
    const recipe = defineRecipe({
      name: 'single',
      input: z.object({}),
      concurrency,
      async run(_input, ctx) {
        await ctx.step('only', async () => {
          seen.most = Math.max(seen.most, ++seen.now);
          // Long enough for the other process to take a job meanwhile, if it may.
          await pause(150);
          seen.now--;
        });
      },
    });
    return { recipe, seen };
  }

  it("applies a recipe's own concurrency per process, so two processes run twice as many", async () => {
    const prefix = newPrefix();
    const { recipe, seen } = counted(1);
    const a = await baton(prefix, [recipe], 3);
    const b = await baton(prefix, [recipe], 3);
    for (let n = 0; n < 8; n++) await a.engine.submit('single', `item-${n}`, {});
    await a.engine.startTimers();
    await b.engine.startTimers();
    await allDone(a.store, 8);
    expect(seen.most).toBe(2);
  });

  it('holds a recipe to its group limit (BATON_GROUP_CONCURRENCY) across processes', async () => {
    const prefix = newPrefix();
    const { recipe, seen } = counted(3);
    const a = await baton(prefix, [recipe], 3, { single: 1 });
    const b = await baton(prefix, [recipe], 3, { single: 1 });
    for (let n = 0; n < 6; n++) await a.engine.submit('single', `item-${n}`, {});
    await a.engine.startTimers();
    await b.engine.startTimers();
    await allDone(a.store, 6);
    expect(seen.most).toBe(1);
  });

  it('wakes a sleep with a delayed job and delivers a signal from a process that never loaded the run', async () => {
    const prefix = newPrefix();
    const drafts: string[] = [];
    const approval = defineRecipe({
      name: 'approval',
      input: z.object({ card: z.string() }),
      async run(input, ctx) {
        await ctx.step('draft', () => drafts.push(ctx.runId));
        await ctx.sleep('cool-off', 300);
        const decision = await ctx.waitFor<unknown>('decision', { key: `card:${input.card}`, timeout: '1h' });
        return { decision };
      },
    });
    const a = await baton(prefix, [approval]);
    const { runId } = await a.engine.submit('approval', 'lead-1', { card: '7' });
    await a.engine.startTimers();
    await vi.waitFor(
      async () =>
        expect((await a.store.getRun(runId))?.wake).toMatchObject({ reason: 'signal', key: 'card:7' }),
      { timeout: 10_000, interval: 50 },
    );
    // The process that ran it goes away; another, started afresh, gets the card move.
    await a.stop();
    const b = await baton(prefix, [approval]);
    await b.engine.startTimers();
    expect(await b.engine.signal('card:7', 'approved')).toBe(1);
    await allDone(b.store, 1);
    expect((await b.store.getRun(runId))?.output).toEqual({ decision: 'approved' });
    expect(drafts).toEqual([runId]);
  });

  it("hands a signal that came while the run was in its wait's check, in another process, to that wait", async () => {
    const prefix = newPrefix();
    let entered: () => void = () => undefined;
    const inCheck = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reply = defineRecipe({
      name: 'reply',
      input: z.object({}),
      async run(_input, ctx) {
        const answer = await ctx.waitFor<unknown>('answer', {
          key: 'thread:1',
          timeout: '1h',
          // Reads the inbox: nothing yet. The reply lands right after, before the run suspends.
          check: async () => {
            entered();
            await released;
            return undefined;
          },
        });
        return { answer };
      },
    });
    const a = await baton(prefix, [reply]);
    const b = await baton(prefix, [reply]);
    const { runId } = await a.engine.submit('reply', 'lead-1', {});
    await a.engine.startTimers();
    await inCheck;
    expect(await b.engine.signal('thread:1', 'yes please')).toBe(0);
    release();
    await allDone(a.store, 1);
    expect((await a.store.getRun(runId))?.output).toEqual({ answer: 'yes please' });
  });

  it('retries a failed step after its backoff, as a delayed job', async () => {
    const prefix = newPrefix();
    let tries = 0;
    const flaky = defineRecipe({
      name: 'flaky',
      input: z.object({}),
      retry: { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 200 },
      async run(_input, ctx) {
        return ctx.step('call', () => {
          if (++tries === 1) throw new Error('503 from the API');
          return 'ok';
        });
      },
    });
    const a = await baton(prefix, [flaky]);
    const { runId } = await a.engine.submit('flaky', 'x', {});
    await a.engine.startTimers();
    await allDone(a.store, 1);
    const run = await a.store.getRun(runId);
    expect(run?.output).toBe('ok');
    expect(run?.journal.find((e) => e.id === 'call')?.attempts).toBe(2);
    expect(run?.executions).toBe(2);
  });

  it('loses no run and no wait when Redis is SIGKILLed and restarted (AOF)', async () => {
    const prefix = newPrefix();
    const steps: string[] = [];
    const later = defineRecipe({
      name: 'later',
      input: z.object({}),
      async run(_input, ctx) {
        await ctx.step('first', () => steps.push('first'));
        await ctx.sleep('pause', 1500);
        await ctx.step('second', () => steps.push('second'));
        return 'done later';
      },
    });
    const a = await baton(prefix, [later]);
    const { runId } = await a.engine.submit('later', 'x', {});
    await a.engine.startTimers();
    await vi.waitFor(
      async () => expect((await a.store.getRun(runId))?.wake).toMatchObject({ reason: 'sleep' }),
      { timeout: 10_000, interval: 50 },
    );
    await redis.kill();
    await redis.restart();
    await allDone(a.store, 1);
    expect((await a.store.getRun(runId))?.output).toBe('done later');
    expect(steps).toEqual(['first', 'second']);
  });

  it('finishes a run whose process was SIGKILLed mid-step, without repeating the steps it finished', async () => {
    const prefix = newPrefix();
    const log = join(await tempDir(), 'calls.log');
    // This process only submits until the other one is dead: the queue hands the run to the child.
    const b = await baton(prefix, [relayRecipe(log, async () => undefined)]);
    const { runId } = await b.engine.submit('relay', 'lead-1', {});
    const child = spawnTs('test/fixtures/queue-worker.ts', [redis.url, prefix, log]);
    const exit = finished(child);
    await printed(child, `hanging ${runId}`);
    child.kill('SIGKILL');
    expect((await exit).signal).toBe('SIGKILL');

    await b.engine.startTimers();
    await allDone(b.store, 1);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      `${runId} before`,
      `${runId} hang`,
      `${runId} hang`,
      `${runId} after`,
    ]);
    const run = await b.store.getRun(runId);
    expect(run?.output).toBe('relayed');
    expect(run?.executions).toBe(2);
  });
});
