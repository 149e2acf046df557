// The daily cap's line: emails GMAIL_DAILY_LIMIT held back go the next day in the order they were
// held (their due order), whichever recipe sends them and whichever send asks first; the line lives
// in the data folder, and one whose run never comes back does not hold the others for long.
import { describe, expect, it } from 'vitest';
import { SendingPausedError, SendRules, sendingSettings } from '../../recipes/shared/sending/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

function rules(clock: ManualClock, dir: string): SendRules {
  const parsed = sendingSettings({ SEND_WINDOW: 'always', GMAIL_DAILY_LIMIT: '1', CONTACT_COOLDOWN: '0' });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  // A short grace: how long a send waits for an earlier held one that is not coming.
  return new SendRules({ settings: parsed.settings, clock, dataDir: dir, lineGraceMs: 50 });
}

const request = (key: string, recipe: string) => ({
  to: `${key}@example.com`,
  recipe,
  key,
  unattended: true,
});

describe('GMAIL_DAILY_LIMIT line', () => {
  it('sends held emails the next day first held first, across recipes and processes', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 9, 0));
    const dir = await tempDir();
    const day1 = rules(clock, dir);
    const order: string[] = [];
    const send = (key: string) => async () => {
      order.push(key);
    };
    await day1.send(request('first', 'leads'), send('first'));
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
    const parsed = sendingSettings({ SEND_WINDOW: 'always', GMAIL_DAILY_LIMIT: '10', CONTACT_COOLDOWN: '0' });
    if (!parsed.ok) throw new Error('settings');
    const day2 = new SendRules({ settings: parsed.settings, clock, dataDir: dir, lineGraceMs: 5_000 });
    await Promise.all(
      [...held].reverse().map((key, i) => day2.send(request(key, recipes[2 - i]!), send(key))),
    );
    expect(order).toEqual(['first', 'seq', 'news', 'lead']);
  });

  it('goes past a held email whose run does not come back, after the grace', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 9, 0));
    const dir = await tempDir();
    const day1 = rules(clock, dir);
    const order: string[] = [];
    const send = (key: string) => async () => {
      order.push(key);
    };
    await day1.send(request('first', 'leads'), send('first'));
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
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 9, 0));
    const dir = await tempDir();
    const day1 = rules(clock, dir);
    const order: string[] = [];
    const send = (key: string) => async () => {
      order.push(key);
    };
    await day1.send(request('first', 'leads'), send('first'));
    for (const key of ['stopped', 'next']) {
      clock.advance(60_000);
      await expect(day1.send(request(key, 'sequence'), send(key))).rejects.toBeInstanceOf(SendingPausedError);
    }
    clock.set(Date.UTC(2026, 11, 3, 0, 1));
    // A grace far longer than the test: only the withdrawal lets `next` go without waiting it out.
    const parsed = sendingSettings({ SEND_WINDOW: 'always', GMAIL_DAILY_LIMIT: '1', CONTACT_COOLDOWN: '0' });
    if (!parsed.ok) throw new Error('settings');
    const day2 = new SendRules({ settings: parsed.settings, clock, dataDir: dir, lineGraceMs: 3_600_000 });
    await day2.withdrawn('stopped');
    await day2.send(request('next', 'sequence'), send('next'));
    expect(order).toEqual(['first', 'next']);
  });
});
