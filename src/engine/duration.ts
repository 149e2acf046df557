// Durations as people write them ('48h', '7d', '90s') or as milliseconds.
import ms from 'ms';

export type Duration = number | string;

/**
 * When a wait or sleep begun at `now` ends: `until` itself when it is a Date (a deadline computed
 * from an earlier reading of the clock stays put, however long the run took to get here), else
 * `now` plus the duration.
 */
export function deadline(until: Duration | Date, now: number): number {
  if (until instanceof Date) {
    const at = until.getTime();
    if (!Number.isFinite(at)) throw new Error('Invalid deadline: not a date');
    return at;
  }
  return now + toMs(until);
}

/** Milliseconds for `'48h'`, `'7d'`, `'1.5s'`, `'2 days'` or a number of ms; throws on anything else. */
export function toMs(duration: Duration): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) throw new Error(`Invalid duration: ${duration}`);
    return duration;
  }
  const value = ms(duration as ms.StringValue);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`Invalid duration '${duration}': use forms like 90s, 15m, 48h or 7d`);
  }
  return value;
}
