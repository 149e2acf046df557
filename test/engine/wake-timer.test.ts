// The wake timer sleeps until the next wake of a run that is not already running: a due run that
// executes a long step does not keep the timer spinning at 0 ms.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Clock, systemClock } from '../../src/clock.ts';
import { defineRecipe, Engine } from '../../src/engine/index.ts';
import { storeAt, useStorePlaces } from '../support/store-kit.ts';

const tempDir = useStorePlaces();

describe('the wake timer', () => {
  it('does not spin while a woken run is busy in a long step', async () => {
    const zeroSleeps: number[] = [];
    const clock: Clock = {
      now: () => systemClock.now(),
      sleep: (ms, signal) => {
        if (ms === 0) zeroSleeps.push(ms);
        return systemClock.sleep(ms, signal);
      },
    };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const recipe = defineRecipe({
      name: 'slow',
      triggers: [],
      input: z.object({}),
      async run(_input, ctx) {
        await ctx.sleep('pause', '50ms');
        await ctx.step('long', () => gate);
        return 'done';
      },
    });
    const store = storeAt(await tempDir());
    await store.open();
    const engine = new Engine({ store, recipes: [recipe], clock });
    await engine.load();
    engine.startTimers();
    await engine.submit('slow', 'item-1', {});
    // The run suspends for 50 ms, wakes, and then sits in its long step for a while.
    await new Promise((r) => setTimeout(r, 400));
    const spins = zeroSleeps.length;
    release();
    await engine.drain();
    await engine.stop(0);
    await store.close();
    expect(spins).toBeLessThanOrEqual(2);
    expect(engine.activeRuns()).toHaveLength(0);
  });
});
