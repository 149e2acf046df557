// Step ids: unique per run, and a replay must meet steps in the recorded order — or fail loudly.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRecipe } from '../../src/engine/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { useStorePlaces } from '../support/store-kit.ts';

const tempDir = useStorePlaces();

describe('journal mismatches', () => {
  it('fails the run with a clear error when a step id is used twice', async () => {
    let secondRan = false;
    const recipe = defineRecipe({
      name: 'dup',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('send', () => 1);
        await ctx.step('send', () => {
          secondRan = true;
          return 2;
        });
      },
    });
    const t = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t.engine.submit('dup', 'k', {});
    await t.engine.drain();
    const run = await t.store.getRun(runId);
    expect(run?.status).toBe('failed');
    expect(run?.error?.name).toBe('JournalMismatchError');
    expect(run?.error?.message).toContain("step id 'send' is used twice");
    expect(run?.error?.message).toContain('unique id');
    expect(secondRan).toBe(false);
    await t.close();
  });

  it('fails a replay that meets steps in a different order than recorded, without running either', async () => {
    const dir = await tempDir();
    const ran: string[] = [];
    const v1 = defineRecipe({
      name: 'flow',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('draft', () => ran.push('draft'));
        await ctx.sleep('wait-a-day', '24h');
        await ctx.step('send', () => ran.push('send'));
      },
    });
    // The recipe was edited while a run slept: 'card' now comes where 'draft' was.
    const v2 = defineRecipe({
      name: 'flow',
      input: z.unknown(),
      async run(_, ctx) {
        await ctx.step('card', () => ran.push('card'));
        await ctx.step('draft', () => ran.push('draft'));
        await ctx.sleep('wait-a-day', '24h');
        await ctx.step('send', () => ran.push('send'));
      },
    });
    const t1 = await openTestEngine(dir, [v1]);
    const { runId } = await t1.engine.submit('flow', 'k', {});
    await t1.engine.drain();
    const t2 = await t1.restart([v2]);
    t2.clock.advance(24 * 3_600_000);
    await t2.engine.drain();
    const run = await t2.store.getRun(runId);
    expect(run?.status).toBe('failed');
    expect(run?.error?.message).toMatch(
      /replay reached step 'card' at position 1, but the journal recorded step 'draft'/,
    );
    expect(ran).toEqual(['draft']);
    await t2.close();
  });
});
