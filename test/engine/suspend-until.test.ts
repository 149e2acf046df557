// SuspendUntilError: a step put off until a time waits durably, holds no slot, and never uses up
// its attempts, however often it is put off.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import { defineRecipe, SuspendUntilError } from '../../src/engine/index.ts';
import { Baton } from '../../src/runtime/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { storeAt, useStorePlaces } from '../support/store-kit.ts';

const tempDir = useStorePlaces();
const HOUR = 3_600_000;

/** A step that is closed until `opensAt` (read from the clock on each try), counting its tries. */
function gatedRecipe(clock: ManualClock, opensAt: () => number, tries: { n: number }) {
  return defineRecipe({
    name: 'gated',
    input: z.unknown(),
    // One attempt only: a pause that counted as an attempt would fail the run at once.
    retry: { maxAttempts: 1 },
    async run(_, ctx) {
      const before = await ctx.step('before', () => 'no gate');
      const gated = await ctx.step('gated', ({ attempt }) => {
        tries.n++;
        if (clock.now() < opensAt())
          throw new SuspendUntilError('closed for today', opensAt(), { hint: 'opens at midnight' });
        return `open on attempt ${attempt}`;
      });
      return `${before}, ${gated}`;
    },
  });
}

describe('SuspendUntilError', () => {
  it('suspends the run until the time given, without counting the try as an attempt', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 22, 0));
    const midnight = Date.UTC(2026, 0, 6);
    const tries = { n: 0 };
    const t = await openTestEngine(await tempDir(), [gatedRecipe(clock, () => midnight, tries)], { clock });
    const { runId } = await t.engine.submit('gated', 'k', {});
    await t.engine.drain();

    const waiting = await t.store.getRun(runId);
    expect(waiting?.status).toBe('waiting');
    expect(waiting?.wake).toEqual({
      reason: 'paused',
      stepId: 'gated',
      at: midnight,
      note: 'closed for today — opens at midnight',
    });
    expect(waiting?.journal.map((e) => [e.id, e.status, e.attempts])).toEqual([
      ['before', 'done', 1],
      ['gated', 'pending', 0],
    ]);
    expect(waiting?.journal[1]?.pausedFor).toBe('closed for today — opens at midnight');
    expect(t.engine.nextWakeAt()).toBe(midnight);

    // Not before its time, even after a restart (the wake is durable).
    clock.advance(HOUR);
    const restarted = await t.restart();
    await restarted.engine.drain();
    expect((await restarted.store.getRun(runId))?.status).toBe('waiting');
    expect(tries.n).toBe(1);

    clock.set(midnight);
    await restarted.engine.drain();
    const done = await restarted.store.getRun(runId);
    expect(done?.status).toBe('done');
    expect(done?.output).toBe('no gate, open on attempt 1');
    expect(done?.journal[1]).toMatchObject({ status: 'done', attempts: 1 });
    expect(done?.journal[1]?.pausedFor).toBeUndefined();
    expect(tries.n).toBe(2);
    await restarted.close();
  });

  it('can put a step off again and again (day after day) and it still never fails for it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 0));
    const opens = Date.UTC(2026, 0, 8);
    // Each try says "come back at the next midnight": three days of pauses before it opens.
    const nextMidnight = () => Math.min(opens, (Math.floor(clock.now() / 86_400_000) + 1) * 86_400_000);
    const tries = { n: 0 };
    const t = await openTestEngine(await tempDir(), [gatedRecipe(clock, nextMidnight, tries)], { clock });
    const { runId } = await t.engine.submit('gated', 'k', {});
    for (let day = 0; day < 3; day++) {
      await t.engine.drain();
      const run = await t.store.getRun(runId);
      expect(run?.status).toBe('waiting');
      expect(run?.wake?.at).toBe(nextMidnight());
      clock.set(run!.wake!.at!);
    }
    // The clock is now at `opens`: the step runs, with its one attempt still unused.
    await t.engine.drain();
    const done = await t.store.getRun(runId);
    expect(done?.status).toBe('done');
    expect(tries.n).toBe(4);
    await t.close();
  });

  it('does not keep a cron cycle (`run --once`) up until the pause is over', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 22, 0));
    const midnight = Date.UTC(2026, 0, 6);
    const tries = { n: 0 };
    const dir = await tempDir();
    const baton = new Baton({
      store: storeAt(dir),
      recipes: [gatedRecipe(clock, () => midnight, tries)],
      clock,
      onceRetryHorizonMs: 3 * HOUR,
    });
    await baton.open();
    const { runId } = await baton.engine.submit('gated', 'k', {});
    // A retry due within the horizon would make runOnce sleep on the (manual) clock: it must not.
    await baton.runOnce();
    expect(baton.engine.activeRuns()).toEqual([
      expect.objectContaining({
        id: runId,
        status: 'waiting',
        wake: expect.objectContaining({ at: midnight }),
      }),
    ]);
    await baton.stop(0);
  });
});
