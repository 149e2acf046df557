// Replay: finished steps return their recorded result; only unfinished work runs again.
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import { defineRecipe, Engine, runIdFor } from '../../src/engine/index.ts';
import { runRecord } from '../support/run-record.ts';
import { storeAt, useStorePlaces } from '../support/store-kit.ts';

const tempDir = useStorePlaces();

/** A process dying mid-run: thrown from inside a step, it escapes the engine like a crash would. */
class SimulatedCrash {}

async function openEngine(
  dir: string,
  recipes: Parameters<typeof defineRecipe>[0][],
  clock = new ManualClock(),
) {
  const store = storeAt(dir);
  await store.open();
  const engine = new Engine({ store, recipes: recipes.map((r) => defineRecipe(r)), clock });
  await engine.load();
  return { store, engine, clock };
}

describe('replay', () => {
  it('resumes a crashed 5-step run at step 4, each step function having run exactly once', async () => {
    const dir = await tempDir();
    const calls: Record<string, number> = {};
    let crashAfterThree = true;
    const recipe = {
      name: 'five',
      input: z.object({ n: z.number() }),
      retry: { maxAttempts: 1 },
      async run(input: { n: number }, ctx: import('../../src/engine/index.ts').RecipeContext) {
        let total = input.n;
        for (const id of ['s1', 's2', 's3', 's4', 's5']) {
          total = await ctx.step(id, () => {
            calls[id] = (calls[id] ?? 0) + 1;
            return total + 1;
          });
          if (id === 's3' && crashAfterThree) {
            crashAfterThree = false;
            throw new SimulatedCrash();
          }
        }
        return total;
      },
    };

    // First process: the run dies after step 3 was journaled. The store is not closed cleanly.
    const first = await openEngine(dir, [recipe]);
    const { runId } = await first.engine.submit('five', 'item-1', { n: 10 });
    await first.engine.drain();
    const crashed = await first.store.getRun(runId);
    expect(crashed?.journal.map((e) => [e.id, e.status])).toEqual([
      ['s1', 'done'],
      ['s2', 'done'],
      ['s3', 'done'],
    ]);
    await first.store.close();

    // Second process over the same folder: run it again from the journal.
    const second = await openEngine(dir, [recipe]);
    await second.engine.retry(runId);
    await second.engine.drain();
    const finished = await second.store.getRun(runId);
    expect(finished?.status).toBe('done');
    expect(finished?.output).toBe(15);
    expect(calls).toEqual({ s1: 1, s2: 1, s3: 1, s4: 1, s5: 1 });
    await second.store.close();
  });

  it('tells a step whether an earlier try may have written (firstTry): only the very first try of a run made here', async () => {
    const dir = await tempDir();
    const answers: string[] = [];
    let fail = true;
    let journalSeen: unknown;
    const { store, engine } = await openEngine(dir, [
      {
        name: 'first-try',
        input: z.unknown(),
        retry: { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0 },
        async run(_: unknown, ctx: import('../../src/engine/index.ts').RecipeContext) {
          await ctx.step('write', async ({ firstTry }) => {
            answers.push(`write:${await firstTry()}`);
            // What a crash right now would leave: the try's start, already on disk.
            journalSeen ??= (await store.getRun(ctx.runId))?.journal.find((e) => e.id === 'write');
          });
          // An error after the write (an answer lost): the retry in the same process must look.
          await ctx.step('fails', async ({ firstTry }) => {
            answers.push(`fails:${await firstTry()}`);
            if (fail) {
              fail = false;
              throw new Error('connection reset');
            }
          });
        },
      },
    ]);
    await engine.submit('first-try', 'item', {});
    await engine.drain();
    await vi.waitFor(async () => expect(answers).toHaveLength(3));
    expect(answers).toEqual(['write:true', 'fails:true', 'fails:false']);
    expect(journalSeen).toMatchObject({ status: 'pending', startedAt: expect.any(Number) });

    // A run made again for an item an earlier process claimed (a lost data folder) may have written.
    answers.length = 0;
    fail = true;
    await engine.submit('first-try', 'claimed-before', {}, { resumed: true });
    await engine.drain();
    await vi.waitFor(async () => expect(answers).toHaveLength(3));
    expect(answers).toEqual(['write:false', 'fails:false', 'fails:false']);
    await store.close();
  });

  it('after a crash mid-step, tells the step an earlier try may have written', async () => {
    const dir = await tempDir();
    const answers: boolean[] = [];
    const recipe = {
      name: 'crashed',
      input: z.unknown(),
      async run(_: unknown, ctx: import('../../src/engine/index.ts').RecipeContext) {
        await ctx.step('write', async ({ firstTry }) => answers.push(await firstTry()));
      },
    };
    // The journal a process killed inside 'write' (after firstTry) left behind.
    const store = storeAt(dir);
    await store.open();
    const runId = runIdFor('crashed', 'k');
    await store.saveRun(
      runRecord(runId, 'running', {
        recipe: 'crashed',
        itemKey: 'k',
        journal: [{ id: 'write', kind: 'step', status: 'pending', attempts: 1, startedAt: 5 }],
      }),
    );
    await store.close();
    const second = await openEngine(dir, [recipe]);
    await second.engine.drain();
    expect((await second.store.getRun(runId))?.status).toBe('done');
    expect(answers).toEqual([false]);
    await second.store.close();
  });

  it('resumes a run found "running" after a crash without re-running its finished steps', async () => {
    const dir = await tempDir();
    const calls: string[] = [];
    const recipe = {
      name: 'resume',
      input: z.unknown(),
      async run(_: unknown, ctx: import('../../src/engine/index.ts').RecipeContext) {
        await ctx.step('a', () => calls.push('a'));
        await ctx.step('b', () => calls.push('b'));
        return 'ok';
      },
    };
    // The journal as a process killed after step 'a' left it: status still 'running'.
    const store = storeAt(dir);
    await store.open();
    const runId = runIdFor('resume', 'k');
    await store.saveRun({
      version: 1,
      id: runId,
      recipe: 'resume',
      itemKey: 'k',
      input: {},
      status: 'running',
      createdAt: 0,
      updatedAt: 0,
      executions: 1,
      journal: [{ id: 'a', kind: 'step', status: 'done', value: 1, attempts: 1 }],
      inbox: [],
    });
    await store.close();

    const second = await openEngine(dir, [recipe]);
    await second.engine.drain();
    expect((await second.store.getRun(runId))?.status).toBe('done');
    expect(calls).toEqual(['b']);
    await second.store.close();
  });

  it('records now(), random() and id() so a replay sees the same values', async () => {
    const dir = await tempDir();
    const seen: unknown[][] = [];
    const recipe = {
      name: 'helpers',
      input: z.unknown(),
      async run(_: unknown, ctx: import('../../src/engine/index.ts').RecipeContext) {
        const values = [(await ctx.now()).toISOString(), await ctx.random(), await ctx.id()];
        seen.push(values);
        await ctx.sleep('pause', '1h');
        return values;
      },
    };
    const { engine, store, clock } = await openEngine(dir, [recipe]);
    const { runId } = await engine.submit('helpers', 'k', {});
    await engine.drain();
    clock.advance(3_600_000);
    await engine.drain();
    expect((await store.getRun(runId))?.status).toBe('done');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toEqual(seen[0]);
    await store.close();
  });

  it('gives each step an idempotency key of runId:stepId that survives retries', async () => {
    const dir = await tempDir();
    const keys: string[] = [];
    const recipe = {
      name: 'keys',
      input: z.unknown(),
      retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 10 },
      async run(_: unknown, ctx: import('../../src/engine/index.ts').RecipeContext) {
        return ctx.step('create-draft', ({ idempotencyKey, attempt }) => {
          keys.push(idempotencyKey);
          if (attempt < 2) throw new Error('timeout');
          return 'draft-1';
        });
      },
    };
    const { engine, store, clock } = await openEngine(dir, [recipe]);
    const { runId } = await engine.submit('keys', 'lead-7', {});
    await engine.drain();
    clock.advance(1000);
    await engine.drain();
    expect((await store.getRun(runId))?.status).toBe('done');
    expect(keys).toEqual([`${runId}:create-draft`, `${runId}:create-draft`]);
    await store.close();
  });

  it('derives the same run id from the same item, and starts one run per item key', async () => {
    const dir = await tempDir();
    let runs = 0;
    const recipe = {
      name: 'once',
      input: z.unknown(),
      async run() {
        runs++;
      },
    };
    const { engine, store } = await openEngine(dir, [recipe]);
    const a = await engine.submit('once', 'row-1', {});
    const b = await engine.submit('once', 'row-1', {});
    await engine.drain();
    expect(a).toEqual({ runId: a.runId, created: true });
    expect(b).toEqual({ runId: a.runId, created: false });
    expect(runs).toBe(1);
    await store.close();
  });
});
