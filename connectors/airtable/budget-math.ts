// The month's arithmetic of the Airtable call budget: UTC months, the interval that fits, the projection.

/** Share of what is left of the month's calls kept back for claims, writes and setup (not polls). */
export const DEFAULT_RESERVE = 0.2;
/**
 * The longest a paced poller sleeps (a timer cannot wait a month); with so little budget left, the
 * few polls this allows come out of the reserve, and polls stop once the budget is spent.
 */
export const MAX_PACED_INTERVAL_MS = 24 * 3_600_000;

/** The UTC month `now` falls in: its key (`2026-01`), first and next month's first millisecond. */
export function utcMonth(now: number): { key: string; start: number; end: number } {
  const d = new Date(now);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return { key: new Date(start).toISOString().slice(0, 7), start, end };
}

export interface PaceInput {
  /** Calls a month; Infinity for no cap. */
  limit: number;
  /** Calls made so far this month. */
  calls: number;
  /** Airtable triggers polling against this budget (at least 1 is assumed). */
  pollers: number;
  callsPerPoll: number;
  /** The configured (fastest) interval, AIRTABLE_POLL_INTERVAL. */
  configuredMs: number;
  reserve?: number;
}

export interface Pace {
  /** How long each poller waits between polls. */
  intervalMs: number;
  /** Slower than configured, to fit the budget. */
  paced: boolean;
  /** The month's budget is spent: no polls until the month rolls over. */
  stopped: boolean;
}

/**
 * The interval that fits: what is left of the month's calls, less the reserve, spread evenly over
 * what is left of the month, never faster than configured. When nothing is left, polls stop and the
 * poller only wakes to look again (at the month's end, or daily).
 */
export function pace(input: PaceInput, now: number): Pace {
  const { limit, calls, configuredMs } = input;
  if (!Number.isFinite(limit)) return { intervalMs: configuredMs, paced: false, stopped: false };
  const untilEnd = utcMonth(now).end - now;
  const remaining = limit - calls;
  if (remaining <= 0) {
    const wake = Math.max(configuredMs, Math.min(untilEnd + 1000, MAX_PACED_INTERVAL_MS));
    return { intervalMs: wake, paced: true, stopped: true };
  }
  const perCycle = Math.max(1, input.pollers) * input.callsPerPoll;
  const pollable = remaining * (1 - (input.reserve ?? DEFAULT_RESERVE));
  const needed = Math.ceil((untilEnd * perCycle) / pollable / 1000) * 1000;
  if (needed <= configuredMs) return { intervalMs: configuredMs, paced: false, stopped: false };
  return { intervalMs: Math.min(needed, MAX_PACED_INTERVAL_MS), paced: true, stopped: false };
}

/**
 * The month's projection: calls made so far plus the polls still to come at the current interval
 * (each poller, `callsPerPoll` each). Claims and writes to come are not guessed at: they are what the
 * reserve is for.
 */
export function projectCalls(
  input: { calls: number; pollers: number; callsPerPoll: number; intervalMs: number; stopped: boolean },
  now: number,
): number {
  if (input.stopped) return input.calls;
  const polls = Math.floor((utcMonth(now).end - now) / input.intervalMs);
  return input.calls + polls * input.pollers * input.callsPerPoll;
}
