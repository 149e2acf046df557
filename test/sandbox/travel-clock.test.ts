// The sandbox's travel clock: a jump ends the sleeps it carries past, and tells its listeners.
import { describe, expect, it } from 'vitest';
import { TravelClock } from '../../src/sandbox/travel-clock.ts';

const HOUR = 3_600_000;

describe('TravelClock', () => {
  it('ends a sleep at once when a jump carries the clock past its end, and leaves later ones asleep', async () => {
    const clock = new TravelClock();
    const start = clock.now();
    const woke: string[] = [];
    const short = clock.sleep(HOUR).then(() => woke.push('1 h'));
    const long = clock.sleep(72 * HOUR).then(() => woke.push('72 h'));
    const jumps: number[] = [];
    clock.onAdvance((ms) => jumps.push(ms));

    clock.advance(48 * HOUR);
    await short;
    expect(woke).toEqual(['1 h']);
    expect(clock.now() - start).toBeGreaterThanOrEqual(48 * HOUR);
    expect(clock.offsetMs).toBe(48 * HOUR);
    expect(jumps).toEqual([48 * HOUR]);

    clock.advance(24 * HOUR);
    await long;
    expect(woke).toEqual(['1 h', '72 h']);
  });

  it('rejects an aborted sleep, and a jump afterwards does not resolve it', async () => {
    const clock = new TravelClock();
    const abort = new AbortController();
    const sleeping = clock.sleep(HOUR, abort.signal);
    abort.abort(new Error('stopped'));
    await expect(sleeping).rejects.toThrow('stopped');
    clock.advance(2 * HOUR);
  });

  it('lets other work run before a sleep of 0 ends (a loop sleeping 0 must not starve I/O)', async () => {
    const clock = new TravelClock();
    const order: string[] = [];
    const sleep = clock.sleep(0).then(() => order.push('sleep'));
    setImmediate(() => order.push('io'));
    await sleep;
    expect(order).toEqual(['io', 'sleep']);
  });
});
