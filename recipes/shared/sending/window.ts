// SEND_WINDOW: when unattended emails may go, e.g. `Mon-Fri 09:00-17:00` (local to TZ), or `always`.

import { addDays, localTime, zonedTime } from './zone.ts';

export type SendWindow =
  | { kind: 'always' }
  | {
      kind: 'weekly';
      /** ISO weekdays (1 = Monday … 7 = Sunday). */
      days: ReadonlySet<number>;
      /** Minutes after local midnight: open from `start`, closed from `end`. */
      start: number;
      end: number;
      text: string;
    };

const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const SEND_WINDOW_FORMAT =
  "must be 'always' or days and hours such as 'Mon-Fri 09:00-17:00' (days: Mon…Sun, ranges and commas like 'Mon-Thu,Sat'; hours 00:00-24:00, start before end)";

export class SendWindowSyntaxError extends Error {
  override readonly name = 'SendWindowSyntaxError';
}

function day(name: string): number {
  const index = DAY_NAMES.indexOf(name.trim().slice(0, 3).toLowerCase());
  if (index < 0 || name.trim().length < 3) throw new SendWindowSyntaxError(`'${name}' is not a day`);
  return index + 1;
}

function minutes(text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) throw new SendWindowSyntaxError(`'${text}' is not a time`);
  const value = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) > 59 || value > 24 * 60) throw new SendWindowSyntaxError(`'${text}' is not a time`);
  return value;
}

/**
 * ISO weekdays named by `Mon-Thu,Sat` (names of 3+ letters, ranges that may wrap the week).
 * @throws SendWindowSyntaxError naming the part that is not a day
 */
export function parseDayList(text: string): Set<number> {
  const days = new Set<number>();
  for (const item of text.split(',')) {
    const [from, to, extra] = item.split('-');
    if (extra !== undefined || !from)
      throw new SendWindowSyntaxError(`'${item}' is not a day or a range of days`);
    const first = day(from);
    const last = to === undefined ? first : day(to);
    // Ranges may wrap the week: Fri-Mon is Friday to Monday.
    for (let d = first; ; d = (d % 7) + 1) {
      days.add(d);
      if (d === last) break;
    }
  }
  return days;
}

/** Minutes after midnight of `09:30` (00:00-24:00). @throws SendWindowSyntaxError */
export const parseClockTime = (text: string): number => minutes(text);

/** @throws SendWindowSyntaxError saying what part is wrong (the caller names SEND_WINDOW) */
export function parseSendWindow(text: string): SendWindow {
  const trimmed = text.trim();
  if (/^always$/i.test(trimmed)) return { kind: 'always' };
  const m = /^([A-Za-z,\-\s]+?)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(trimmed);
  if (!m) throw new SendWindowSyntaxError(`'${text}' ${SEND_WINDOW_FORMAT}`);
  const days = parseDayList(m[1]!);
  const start = minutes(m[2]!);
  const end = minutes(m[3]!);
  if (start >= end)
    throw new SendWindowSyntaxError(`'${text}': the window must open before it closes, on the same day`);
  return { kind: 'weekly', days, start, end, text: trimmed };
}

/** When the window next opens after `now` (epoch ms), or undefined when it is open now. */
export function nextOpening(window: SendWindow, now: number, zone: string): number | undefined {
  if (window.kind === 'always') return undefined;
  const today = localTime(now, zone);
  for (let offset = 0; offset <= 7; offset++) {
    const date = addDays(today, offset);
    if (!window.days.has(date.weekday)) continue;
    const open = zonedTime(date, window.start, zone);
    const close = zonedTime(date, window.end, zone);
    if (now >= open && now < close) return undefined;
    if (open > now) return open;
  }
  // Unreachable with at least one day; a week ahead is a safe answer anyway.
  return now + 7 * 86_400_000;
}
