// The issue's name: `Newsletter YYYY-Www`, the ISO week of its scheduled time in TZ.
import { localTime } from '../shared/sending/zone.ts';

/** `2026-W49` for an instant, as the calendar in `zone` sees it. */
export function isoWeek(ms: number, zone: string): string {
  const t = localTime(ms, zone);
  // ISO 8601: the week belongs to the year of its Thursday.
  const day = new Date(Date.UTC(t.year, t.month - 1, t.day));
  const thursday = new Date(day.getTime() + (4 - t.weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function issueTitle(ms: number, zone: string): string {
  return `Newsletter ${isoWeek(ms, zone)}`;
}
