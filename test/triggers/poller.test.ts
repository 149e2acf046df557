// The poller runtime: intervals, no overlapping polls, backoff while failing, cursors in the store.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { FileStore } from '../../src/store/index.ts';
import type { PollContext, PollResult, Trigger } from '../../src/triggers/index.ts';
import { Poller } from '../../src/triggers/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

async function openStore() {
  const store = new FileStore({ dir: await tempDir() });
  await store.open();
  return store;
}

/** Lets timers and promise chains settle after the manual clock moved. */
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('Poller', () => {
  it('never runs two polls of one trigger at once: a second call joins the first', async () => {
    const store = await openStore();
    let polls = 0;
    let release!: () => void;
    const trigger: Trigger = {
      id: 'slow',
      async poll() {
        polls++;
        await new Promise<void>((r) => {
          release = r;
        });
        return {};
      },
    };
    const poller = new Poller({ trigger, store, handle: async () => undefined, defaultIntervalMs: 1000 });
    const a = poller.pollOnce();
    const b = poller.pollOnce();
    await settle();
    release();
    await Promise.all([a, b]);
    expect(polls).toBe(1);
    await store.close();
  });

  it('polls on its interval and doubles the delay after each consecutive failure, then recovers', async () => {
    const store = await openStore();
    const clock = new ManualClock();
    const at: number[] = [];
    let failing = 3;
    const trigger: Trigger = {
      id: 'flaky',
      intervalMs: 1000,
      async poll() {
        at.push(clock.now());
        if (failing-- > 0) throw new Error('503');
        return {};
      },
    };
    const poller = new Poller({
      trigger,
      store,
      clock,
      handle: async () => undefined,
      defaultIntervalMs: 60_000,
    });
    poller.start();
    const start = clock.now();
    await settle();
    for (let i = 0; i < 41; i++) {
      clock.advance(500);
      await settle();
    }
    await poller.stop();
    // Fails at 0, then waits 2 s, 4 s, 8 s; after the recovery at +14 s it is back to 1 s.
    expect(at.slice(0, 4).map((t) => t - start)).toEqual([0, 2000, 6000, 14000]);
    expect(at.slice(4).map((t) => t - start)).toEqual([15000, 16000, 17000, 18000, 19000, 20000]);
    expect(poller.state.consecutiveErrors).toBe(0);
    await store.close();
  });

  it('keeps the cursor in the store, so a new process continues where the last one stopped', async () => {
    const dir = await tempDir();
    const trigger: Trigger = {
      id: 'counter',
      async poll(ctx: PollContext): Promise<PollResult> {
        const seen = (await ctx.cursor.get<number>()) ?? 0;
        await ctx.cursor.set(seen + 1);
        return { items: [{ key: `n${seen + 1}`, payload: {} }] };
      },
    };
    const keys: string[] = [];
    for (let process = 0; process < 2; process++) {
      const store = new FileStore({ dir });
      await store.open();
      const poller = new Poller({
        trigger,
        store,
        defaultIntervalMs: 1000,
        handle: async (r) => {
          keys.push(...(r.items ?? []).map((i) => i.key));
        },
      });
      await poller.pollOnce();
      await poller.pollOnce();
      await store.close();
    }
    expect(keys).toEqual(['n1', 'n2', 'n3', 'n4']);
  });

  it("skips its turn while the trigger's service is paused by the circuit breaker", async () => {
    const store = await openStore();
    let polls = 0;
    const trigger = {
      id: 'paused',
      paused: true,
      async poll() {
        polls++;
        return {};
      },
    };
    const poller = new Poller({ trigger, store, handle: async () => undefined, defaultIntervalMs: 1000 });
    await poller.pollOnce();
    trigger.paused = false;
    await poller.pollOnce();
    expect(polls).toBe(1);
    expect(poller.state.skipped).toBe(1);
    await store.close();
  });
});
