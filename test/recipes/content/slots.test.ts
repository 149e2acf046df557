// CONTENT_POST_SLOTS: successive free slots across days and weeks, in the user's time zone.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POST_SLOTS,
  PostCalendar,
  PostSlotsError,
  parsePostSlots,
} from '../../../recipes/content/slots.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Gives out `n` slots one after another, as approvals arriving together would take them. */
function allocate(calendar: PostCalendar, n: number, now: number, taken: number[] = []): string[] {
  const given = [...taken];
  for (let i = 0; i < n; i++) given.push(calendar.nextFreeSlot(given, now));
  return given.slice(taken.length).map(iso);
}

describe('PostCalendar', () => {
  it('gives three posts approved at once three successive default slots (Tue, Wed, Thu 09:00)', () => {
    const calendar = new PostCalendar(undefined, 'UTC');
    expect(calendar.slots).toEqual(parsePostSlots(DEFAULT_POST_SLOTS));
    // Monday 2026-11-30 14:00 UTC.
    const now = Date.UTC(2026, 10, 30, 14, 0);
    expect(allocate(calendar, 4, now)).toEqual([
      '2026-12-01T09:00:00.000Z',
      '2026-12-02T09:00:00.000Z',
      '2026-12-03T09:00:00.000Z',
      '2026-12-08T09:00:00.000Z',
    ]);
  });

  it('skips a slot that has passed today and slots already taken by earlier approvals', () => {
    const calendar = new PostCalendar('Tue,Wed,Thu 09:00', 'UTC');
    const tuesdayNoon = Date.UTC(2026, 11, 1, 12, 0);
    const wednesday = Date.UTC(2026, 11, 2, 9, 0);
    expect(allocate(calendar, 2, tuesdayNoon, [wednesday])).toEqual([
      '2026-12-03T09:00:00.000Z',
      '2026-12-08T09:00:00.000Z',
    ]);
    // Exactly at a free slot's minute: that slot.
    expect(iso(calendar.nextFreeSlot([], Date.UTC(2026, 11, 1, 9, 0)))).toBe('2026-12-01T09:00:00.000Z');
  });

  it('reads the slots in TZ, keeping 09:00 local across a daylight-saving change', () => {
    const calendar = new PostCalendar('Fri,Mon 09:00', 'America/New_York');
    // Thursday 2026-10-29, 20:00 New York (EDT); the clocks go back on Sunday 2026-11-01.
    const now = Date.UTC(2026, 9, 30, 0, 0);
    expect(allocate(calendar, 2, now)).toEqual([
      '2026-10-30T13:00:00.000Z', // Fri 09:00 EDT
      '2026-11-02T14:00:00.000Z', // Mon 09:00 EST
    ]);
    // Late Monday evening in Tokyo is still Monday morning in UTC: the zone decides the day.
    const tokyo = new PostCalendar('Tue 09:00', 'Asia/Tokyo');
    expect(iso(tokyo.nextFreeSlot([], Date.UTC(2026, 10, 30, 14, 0)))).toBe('2026-12-01T00:00:00.000Z');
  });

  it('supports several times and groups, and `now` for publishing at once', () => {
    const calendar = new PostCalendar('Mon-Wed 09:00,17:30; Sat 11:00', 'UTC');
    const monday = Date.UTC(2026, 10, 30, 10, 0);
    expect(allocate(calendar, 3, monday)).toEqual([
      '2026-11-30T17:30:00.000Z',
      '2026-12-01T09:00:00.000Z',
      '2026-12-01T17:30:00.000Z',
    ]);
    expect(iso(calendar.nextFreeSlot([], Date.UTC(2026, 11, 2, 18, 0)))).toBe('2026-12-05T11:00:00.000Z');
    const now = new PostCalendar('now', 'Europe/Paris');
    expect(now.nextFreeSlot([monday], monday)).toBe(monday);
  });

  it('names CONTENT_POST_SLOTS or TZ when they do not parse', () => {
    for (const bad of ['Tue', '09:00', 'Tue 25:00', 'Tue 24:00', 'Tus 09:00', 'Tue 9am', 'Tue 09:00;']) {
      expect(() => parsePostSlots(bad), bad).toThrow(PostSlotsError);
      expect(() => parsePostSlots(bad)).toThrow(/CONTENT_POST_SLOTS/);
    }
    expect(() => new PostCalendar('now', 'Mars/Olympus')).toThrow(/TZ/);
  });
});
