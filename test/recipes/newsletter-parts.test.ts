// The newsletter's pure parts: the ISO week in TZ, the greeting, who is on the list.
import { describe, expect, it } from 'vitest';
import { forReader } from '../../recipes/newsletter/prompts.ts';
import { subscribersOf } from '../../recipes/newsletter/subscribers.ts';
import { isoWeek } from '../../recipes/newsletter/week.ts';

const record = (fields: Record<string, unknown>, id = 'rec1') => ({ id, createdTime: '', fields });

describe('newsletter parts', () => {
  it("names the issue by the ISO week of its time in TZ, across a year's end", () => {
    expect(isoWeek(Date.parse('2026-12-28T09:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(isoWeek(Date.parse('2027-01-03T09:00:00Z'), 'UTC')).toBe('2026-W53');
    expect(isoWeek(Date.parse('2027-01-04T09:00:00Z'), 'UTC')).toBe('2027-W01');
    // Sunday 23:30 in London is Monday 00:30 in Berlin: the next week there.
    expect(isoWeek(Date.parse('2026-12-06T23:30:00Z'), 'UTC')).toBe('2026-W49');
    expect(isoWeek(Date.parse('2026-12-06T23:30:00Z'), 'Europe/Berlin')).toBe('2026-W50');
  });

  it('greets by first name, or "there" without one', () => {
    expect(forReader('Hi {first name},\n\nNews.', 'Ann')).toBe('Hi Ann,\n\nNews.');
    expect(forReader('Hi {first name},\n\nNews.', undefined)).toBe('Hi there,\n\nNews.');
  });

  it('lists each valid address once, first name from First name or Name, never an Unsubscribed record', () => {
    expect(
      subscribersOf([
        record({ Name: 'Ann Archer', Email: 'Ann@X.example' }),
        record({ Name: 'Ann Again', Email: ' ann@x.example ' }),
        record({ 'First name': 'Bob', Name: 'Robert Baker', Email: 'bob@x.example' }),
        record({ Name: 'No Mail', Email: 'not an address' }),
        record({ Name: 'Uma', Email: 'uma@x.example', Unsubscribed: true }),
        record({ Email: 'anon@x.example' }),
      ]),
    ).toEqual([
      { email: 'ann@x.example', firstName: 'Ann' },
      { email: 'bob@x.example', firstName: 'Bob' },
      { email: 'anon@x.example' },
    ]);
  });
});
