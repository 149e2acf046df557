// SEND_WINDOW's syntax, and when a closed window next opens in a time zone (DST included).
import { describe, expect, it } from 'vitest';
import {
  nextLocalMidnight,
  nextOpening,
  parseSendWindow,
  SendWindowSyntaxError,
  sendingProblems,
  sendingSettings,
} from '../../recipes/shared/sending/index.ts';

const at = (iso: string) => Date.parse(iso);
const weekdays = parseSendWindow('Mon-Fri 09:00-17:00');

describe('parseSendWindow', () => {
  it('reads days, ranges (wrapping the week too) and hours', () => {
    expect(weekdays).toMatchObject({ kind: 'weekly', start: 9 * 60, end: 17 * 60 });
    expect(weekdays.kind === 'weekly' && [...weekdays.days]).toEqual([1, 2, 3, 4, 5]);
    const odd = parseSendWindow('mon, Wed-Thu,SAT 8:30-24:00');
    expect(odd.kind === 'weekly' && [...odd.days].sort()).toEqual([1, 3, 4, 6]);
    expect(odd).toMatchObject({ start: 8 * 60 + 30, end: 24 * 60 });
    const wrap = parseSendWindow('Fri-Mon 10:00-12:00');
    expect(wrap.kind === 'weekly' && [...wrap.days].sort()).toEqual([1, 5, 6, 7]);
    expect(parseSendWindow(' Always ')).toEqual({ kind: 'always' });
  });

  it.each([
    'weekdays',
    'Mon-Fri',
    'Mon-Fri 9-17',
    'Mon-Fri 17:00-09:00',
    'Mon-Fri 09:00-25:00',
    'Mon-Fri 09:60-17:00',
    'Funday 09:00-17:00',
    'Mon-Tue-Wed 09:00-17:00',
  ])('refuses %j with a SendWindowSyntaxError', (text) => {
    expect(() => parseSendWindow(text)).toThrow(SendWindowSyntaxError);
  });
});

describe('nextOpening', () => {
  it('is undefined inside the window, the next opening outside it', () => {
    // 2026-12-05 is a Saturday.
    expect(nextOpening(weekdays, at('2026-12-02T10:00:00Z'), 'UTC')).toBeUndefined();
    expect(nextOpening(weekdays, at('2026-12-02T17:00:00Z'), 'UTC')).toBe(at('2026-12-03T09:00:00Z'));
    expect(nextOpening(weekdays, at('2026-12-02T08:59:00Z'), 'UTC')).toBe(at('2026-12-02T09:00:00Z'));
    expect(nextOpening(weekdays, at('2026-12-05T10:00:00Z'), 'UTC')).toBe(at('2026-12-07T09:00:00Z'));
    expect(nextOpening(weekdays, at('2026-12-04T18:00:00Z'), 'UTC')).toBe(at('2026-12-07T09:00:00Z'));
    expect(nextOpening({ kind: 'always' }, at('2026-12-05T10:00:00Z'), 'UTC')).toBeUndefined();
  });

  it('works in local time: 09:00 in New York, in winter and in summer', () => {
    // Saturday in New York (UTC-5 in December): Monday 09:00 local is 14:00 UTC.
    expect(nextOpening(weekdays, at('2026-12-05T15:00:00Z'), 'America/New_York')).toBe(
      at('2026-12-07T14:00:00Z'),
    );
    // Friday 23:00 UTC is still Friday 18:00 in New York: closed, next Monday.
    expect(nextOpening(weekdays, at('2026-12-04T23:00:00Z'), 'America/New_York')).toBe(
      at('2026-12-07T14:00:00Z'),
    );
    // Sunday 8 March 2026 the clocks go forward: Monday 09:00 EDT is 13:00 UTC.
    expect(nextOpening(weekdays, at('2026-03-07T15:00:00Z'), 'America/New_York')).toBe(
      at('2026-03-09T13:00:00Z'),
    );
    // Tokyo is ahead: Friday 20:00 UTC is already Saturday there.
    expect(nextOpening(weekdays, at('2026-12-04T20:00:00Z'), 'Asia/Tokyo')).toBe(at('2026-12-07T00:00:00Z'));
  });
});

describe('nextLocalMidnight', () => {
  it('is the start of the next local day', () => {
    expect(nextLocalMidnight(at('2026-12-02T10:00:00Z'), 'UTC')).toBe(at('2026-12-03T00:00:00Z'));
    expect(nextLocalMidnight(at('2026-12-31T23:59:00Z'), 'UTC')).toBe(at('2027-01-01T00:00:00Z'));
    // London in summer (UTC+1): midnight is 23:00 UTC the day before.
    expect(nextLocalMidnight(at('2026-07-01T12:00:00Z'), 'Europe/London')).toBe(at('2026-07-01T23:00:00Z'));
  });
});

describe('sending variables', () => {
  it('has defaults: 400 a day, Mon-Fri 09:00-17:00, UTC', () => {
    const parsed = sendingSettings({});
    expect(parsed.ok && parsed.settings).toMatchObject({
      dailyLimit: 400,
      zone: 'UTC',
      window: { kind: 'weekly' },
    });
  });

  it('names each wrong variable', () => {
    const problems = sendingProblems({
      GMAIL_DAILY_LIMIT: 'lots',
      SEND_WINDOW: 'nights',
      TZ: 'Mars/Olympus',
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^GMAIL_DAILY_LIMIT must be a whole number/);
    expect(problems[1]).toMatch(/^SEND_WINDOW 'nights' must be 'always' or days and hours/);
    expect(problems[2]).toMatch(/^TZ must be an IANA time zone/);
  });
});
