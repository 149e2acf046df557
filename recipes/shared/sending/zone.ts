// Local calendar time in an IANA zone (TZ) with Intl alone: what day it is there, and the instant a
// local wall-clock time falls on. Enough for a daily count and a weekly window; no library needed.

/** A wall-clock time in a zone; `weekday` 1 = Monday … 7 = Sunday (ISO). */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** True when Intl knows the zone (`Europe/London`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localTime(ms: number, zone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 1,
  };
}

/** `2026-12-01`: the local date, the key of a day's count. */
export function localDay(ms: number, zone: string): string {
  const t = localTime(ms, zone);
  return `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`;
}

/** The zone's offset from UTC at `ms`, in ms (positive east of Greenwich). */
function offsetAt(ms: number, zone: string): number {
  const t = localTime(ms, zone);
  const seconds = Math.floor(ms / 1000) % 60;
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, seconds);
  return asUtc - (ms - (ms % 1000));
}

/**
 * The instant the local time `year-month-day hour:minute` happens in `zone` (the day may overflow:
 * day 32 is the 1st of the next month). A time skipped by a DST change maps to just after the change.
 */
export function zonedTime(
  date: { year: number; month: number; day: number },
  minutes: number,
  zone: string,
): number {
  const guess = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const first = guess - offsetAt(guess, zone);
  const second = guess - offsetAt(first, zone);
  return second;
}

/** The calendar date `days` after the given one (UTC arithmetic on a plain date), with its ISO weekday. */
export function addDays(
  date: { year: number; month: number; day: number },
  days: number,
): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay() === 0 ? 7 : d.getUTCDay(),
  };
}

/** The next local midnight after `ms` in `zone`: when a new day's count starts. */
export function nextLocalMidnight(ms: number, zone: string): number {
  return zonedTime(addDays(localTime(ms, zone), 1), 0, zone);
}
