// CONTENT_POST_SLOTS: when approved posts go out, e.g. `Tue,Wed,Thu 09:00` in TZ, or `now`.
import { parseClockTime, parseDayList } from '../shared/sending/window.ts';
import { addDays, isTimeZone, localTime, zonedTime } from '../shared/sending/zone.ts';

export const DEFAULT_POST_SLOTS = 'Tue,Wed,Thu 09:00';
export const POST_SLOTS_FORMAT =
  "must be 'now' or days and times such as 'Tue,Wed,Thu 09:00' (days: Mon…Sun, ranges like 'Mon-Fri'; several times 'Mon-Fri 09:00,17:30'; several groups joined by ';')";

export type PostSlots =
  | { kind: 'now' }
  | {
      kind: 'weekly';
      /** For each ISO weekday (1 = Monday … 7 = Sunday) with slots, their minutes after local midnight, ascending. */
      byDay: ReadonlyMap<number, readonly number[]>;
      text: string;
    };

/** CONTENT_POST_SLOTS (or TZ) does not parse; the message names the variable and the format. */
export class PostSlotsError extends Error {
  override readonly name = 'PostSlotsError';

  constructor(
    readonly variable: 'CONTENT_POST_SLOTS' | 'TZ',
    message: string,
  ) {
    super(message);
  }
}

/** @throws PostSlotsError naming CONTENT_POST_SLOTS and saying which part is wrong */
export function parsePostSlots(text: string = DEFAULT_POST_SLOTS): PostSlots {
  const trimmed = text.trim() || DEFAULT_POST_SLOTS;
  if (/^now$/i.test(trimmed)) return { kind: 'now' };
  const byDay = new Map<number, Set<number>>();
  try {
    for (const group of trimmed.split(';')) {
      const m = /^([A-Za-z,\-\s]+?)\s+(\d{1,2}:\d{2}(?:\s*,\s*\d{1,2}:\d{2})*)$/.exec(group.trim());
      if (!m) throw new Error(`'${group.trim()}' ${POST_SLOTS_FORMAT}`);
      const days = parseDayList(m[1]!);
      const times = m[2]!.split(',').map((t) => {
        const minutes = parseClockTime(t);
        if (minutes >= 24 * 60) throw new Error(`'${t.trim()}' is not a time of day`);
        return minutes;
      });
      for (const d of days) {
        const set = byDay.get(d) ?? new Set<number>();
        for (const t of times) set.add(t);
        byDay.set(d, set);
      }
    }
  } catch (err) {
    throw new PostSlotsError('CONTENT_POST_SLOTS', `CONTENT_POST_SLOTS: ${(err as Error).message}`);
  }
  const sorted = new Map([...byDay].map(([d, set]) => [d, [...set].sort((a, b) => a - b)]));
  return { kind: 'weekly', byDay: sorted, text: trimmed };
}

const MINUTE = 60_000;

/**
 * The content calendar: CONTENT_POST_SLOTS read in the zone TZ. Slots are wall-clock times, so
 * 09:00 stays 09:00 local across a daylight-saving change.
 */
export class PostCalendar {
  readonly slots: PostSlots;
  readonly zone: string;

  /** @throws PostSlotsError for a malformed CONTENT_POST_SLOTS or an unknown TZ */
  constructor(slots: PostSlots | string | undefined, zone: string) {
    if (!isTimeZone(zone))
      throw new PostSlotsError('TZ', `TZ '${zone}' is not a time zone (e.g. Europe/Paris, UTC)`);
    this.slots = typeof slots === 'object' ? slots : parsePostSlots(slots);
    this.zone = zone;
  }

  /**
   * The first slot at or after `now` that no post has taken: with `taken` holding the slots already
   * given out, three posts approved at once get three successive slots. With `now` slots every post
   * goes at once (`now` is returned). Times are compared to the minute.
   */
  nextFreeSlot(taken: Iterable<number>, now: number): number {
    if (this.slots.kind === 'now') return now;
    const busy = new Set([...taken].map((t) => Math.floor(t / MINUTE)));
    const today = localTime(now, this.zone);
    // Every week has at least one slot, so a free one is found within (taken + 1) weeks.
    const horizon = 7 * (busy.size + 2);
    for (let offset = 0; offset <= horizon; offset++) {
      const date = addDays(today, offset);
      for (const minutes of this.slots.byDay.get(date.weekday) ?? []) {
        const at = zonedTime(date, minutes, this.zone);
        if (at >= now && !busy.has(Math.floor(at / MINUTE))) return at;
      }
    }
    throw new Error('PostCalendar: no free slot found'); // unreachable: see the horizon
  }
}
