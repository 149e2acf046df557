// The daily cap's line: emails GMAIL_DAILY_LIMIT held back go the next day in the order they were
// held (their due order), whichever recipe sends them and whichever send asks first; the line lives
// in the data folder, and one whose run never comes back does not hold the others for long.
import { describe, expect, it } from 'vitest';
import { SendingPausedError, SendRules, sendingSettings } from '../../recipes/shared/sending/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/**
 * SendRules over the data folder `dir`, sending at any hour; `lineGraceMs` is how long a send waits
 * for an earlier held one that is not coming.
 */
function rules(clock: ManualClock, dir: string, limit = 1, lineGraceMs = 50): SendRules {
  const parsed = sendingSettings({
    SEND_WINDOW: 'always',
    GMAIL_DAILY_LIMIT: String(limit),
    CONTACT_COOLDOWN: '0',
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return new SendRules({ settings: parsed.settings, clock, dataDir: dir, lineGraceMs });
}

/** A day whose cap (1) is spent by `first`: `send` records the order in which emails go out. */
async function cappedDay() {
  const clock = new ManualClock(Date.UTC(2026, 11, 2, 9, 0));
  const dir = await tempDir();
  const order: string[] = [];
  const send = (key: string) => async () => {
    order.push(key);
  };
  const day1 = rules(clock, dir);
  await day1.send(request('first', 'leads'), send('first'));
  return { clock, dir, order, send, day1 };
}

const request = (key: string, recipe: string) => ({
  to: `${key}@example.com`,
  recipe,
  key,
  unattended: true,
});

describe('GMAIL_DAILY_LIMIT line', () => {
  it('sends held emails the next day first held first, across recipes and processes', async () => {
    const { clock, dir, order, send, day1 } = await cappedDay();
    // Past the cap, held in this order through the day: a sequence email, a newsletter, a follow-up.
    const held = ['seq', 'news', 'lead'];
    const recipes = ['sequence', 'newsletter', 'leads'];
    const wakes: number[] = [];
    for (const [i, key] of held.entries()) {
      clock.advance(3600_000);
      const paused = await day1.send(request(key, recipes[i]!), send(key)).catch((e: unknown) => e);
      expect(paused).toBeInstanceOf(SendingPausedError);
      wakes.push((paused as SendingPausedError).until);
    }
    // They wake one after the other just after midnight, in the order they were held.
    const midnight = Date.UTC(2026, 11, 3);
    expect(wakes).toEqual([midnight, midnight + 1, midnight + 2]);

    // Day 2 in a new process, the cap raised: the three ask at once, the last held asking first.
    clock.set(midnight + 60_000);
    const day2 = rules(clock, dir, 10, 5_000);
    await Promise.all(
      [...held].reverse().map((key, i) => day2.send(request(key, recipes[2 - i]!), send(key))),
    );
    expect(order).toEqual(['first', 'seq', 'news', 'lead']);
  });

  it('goes past a held email whose run does not come back, after the grace', async () => {
    const { clock, dir, order, send, day1 } = await cappedDay();
    for (const key of ['gone', 'next']) {
      clock.advance(60_000);
      await expect(day1.send(request(key, 'sequence'), send(key))).rejects.toBeInstanceOf(SendingPausedError);
    }
    clock.set(Date.UTC(2026, 11, 3, 0, 1));
    // `gone`'s person replied overnight: its run stopped and never asks again. `next` still goes.
    await rules(clock, dir).send(request('next', 'sequence'), send('next'));
    expect(order).toEqual(['first', 'next']);
  });

  it('does not wait for a held email whose run withdrew it', async () => {
    const { clock, dir, order, send, day1 } = await cappedDay();
    for (const key of ['stopped', 'next']) {
      clock.advance(60_000);
      await expect(day1.send(request(key, 'sequence'), send(key))).rejects.toBeInstanceOf(SendingPausedError);
    }
    clock.set(Date.UTC(2026, 11, 3, 0, 1));
    // A grace far longer than the test: only the withdrawal lets `next` go without waiting it out.
    const day2 = rules(clock, dir, 1, 3_600_000);
    await day2.withdrawn('stopped');
    await day2.send(request('next', 'sequence'), send('next'));
    expect(order).toEqual(['first', 'next']);
  });
});
