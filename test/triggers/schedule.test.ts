// schedule(cron): one item per occurrence, no history replay, bounded catch-up after downtime.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import type { PollContext } from '../../src/triggers/index.ts';
import { schedule } from '../../src/triggers/index.ts';

function context(now: () => number) {
  let cursor: unknown;
  const ctx: PollContext = {
    cursor: {
      get: async <V>() => cursor as V | undefined,
      set: async (value) => {
        cursor = value;
      },
    },
    log: silentLogger,
    now,
    signal: new AbortController().signal,
  };
  return ctx;
}

describe('schedule', () => {
  it('fires Monday 09:00 once per occurrence, not for occurrences before it first started', async () => {
    let now = Date.parse('2026-01-05T08:00:00Z'); // a Monday
    const ctx = context(() => now);
    const weekly = schedule('0 9 * * MON', { tz: 'UTC' });
    expect(await weekly.poll(ctx)).toEqual({});
    now = Date.parse('2026-01-05T08:59:00Z');
    expect(await weekly.poll(ctx)).toEqual({});
    now = Date.parse('2026-01-05T09:00:30Z');
    const due = await weekly.poll(ctx);
    expect(due.items).toEqual([
      {
        key: 'schedule:0 9 * * MON@2026-01-05T09:00:00.000Z',
        payload: { scheduledFor: '2026-01-05T09:00:00.000Z' },
      },
    ]);
  });

  it('catches up at most the three latest occurrences after downtime', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const ctx = context(() => now);
    const daily = schedule('0 6 * * *', { id: 'digest', tz: 'UTC' });
    await daily.poll(ctx);
    now = Date.parse('2026-01-10T12:00:00Z');
    const due = await daily.poll(ctx);
    expect(due.items?.map((i) => i.key)).toEqual([
      'digest@2026-01-08T06:00:00.000Z',
      'digest@2026-01-09T06:00:00.000Z',
      'digest@2026-01-10T06:00:00.000Z',
    ]);
  });

  it('with catchUp 1, runs a weekly occurrence missed during downtime once, never once per missed week', async () => {
    let now = Date.parse('2026-01-04T12:00:00Z'); // a Sunday
    const ctx = context(() => now);
    const weekly = schedule('0 9 * * MON', { id: 'news', tz: 'UTC', catchUp: 1 });
    await weekly.poll(ctx);
    // Off over three Mondays, back on Wednesday: only the latest Monday is due.
    now = Date.parse('2026-01-21T10:00:00Z');
    expect((await weekly.poll(ctx)).items?.map((i) => i.key)).toEqual(['news@2026-01-19T09:00:00.000Z']);
    // Polled again (the run may not exist yet): the same key, which the engine starts once.
    expect((await weekly.poll(ctx)).items?.map((i) => i.key)).toEqual(['news@2026-01-19T09:00:00.000Z']);
    now = Date.parse('2026-01-26T09:01:00Z');
    expect((await weekly.poll(ctx)).items?.map((i) => i.key)).toEqual(['news@2026-01-26T09:00:00.000Z']);
    expect(() => schedule('0 9 * * MON', { catchUp: 0 })).toThrow(/catchUp/);
  });

  it('rejects an invalid expression when the recipe is defined', () => {
    expect(() => schedule('every monday')).toThrow(/Invalid cron expression 'every monday'/);
  });
});
