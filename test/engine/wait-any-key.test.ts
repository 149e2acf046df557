// A wait on several keys: a signal with any of them wakes it (a run following three cards at once).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRecipe } from '../../src/engine/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

describe('waitFor with several keys', () => {
  const recipe = defineRecipe({
    name: 'three-cards',
    input: z.unknown(),
    async run(_, ctx) {
      const first = await ctx.waitFor<string>('any-card', {
        key: ['card:1', 'card:2', 'card:3'],
        timeout: '7d',
        accept: (p) => p as string,
      });
      const second = await ctx.waitFor<string>('any-other', {
        key: ['card:1', 'card:2'],
        timeout: '7d',
        accept: (p) => p as string,
      });
      return [first, second];
    },
  });

  it('is woken by a signal on any of its keys, across a restart, and no longer by keys it stopped waiting on', async () => {
    const t1 = await openTestEngine(await tempDir(), [recipe]);
    const { runId } = await t1.engine.submit('three-cards', 'video-1', {});
    await t1.engine.drain();
    expect((await t1.store.getRun(runId))?.wake).toMatchObject({
      key: 'card:1',
      keys: ['card:1', 'card:2', 'card:3'],
    });

    const t2 = await t1.restart();
    // The third card, not the first: the run is woken and the wait takes it.
    expect(await t2.engine.signal('card:3', 'card 3 approved')).toBe(1);
    await t2.engine.drain();
    const after = await t2.store.getRun(runId);
    expect(after?.status).toBe('waiting');
    expect(after?.wake).toMatchObject({ stepId: 'any-other', keys: ['card:1', 'card:2'] });

    // Card 3 is decided: its signals no longer reach the run; card 2's do.
    expect(await t2.engine.signal('card:3', 'again')).toBe(0);
    expect(await t2.engine.signal('card:2', 'card 2 rejected')).toBe(1);
    await t2.engine.drain();
    const done = await t2.store.getRun(runId);
    expect(done?.status).toBe('done');
    expect(done?.output).toEqual(['card 3 approved', 'card 2 rejected']);
    await t2.close();
  });
});
