// schedule('0 9 * * MON'): a trigger that yields one item per cron occurrence.
//
// node-schedule fires the poll on time in `baton start`; which occurrences are due is computed here
// from the cursor with cron-parser (node-schedule's own parser), so `baton run --once` from system
// cron, a restart, or a missed tick behave the same: each occurrence runs once, none is replayed
// from before the trigger first started.
import cronParser from 'cron-parser';
import type { PollContext, PollResult, Trigger } from './trigger.ts';

export interface ScheduleItem {
  /** The occurrence this item stands for (ISO time), not when it was noticed. */
  scheduledFor: string;
}

export interface ScheduleTrigger extends Trigger<ScheduleItem> {
  readonly cron: string;
  readonly tz: string | undefined;
}

/** By default at most this many missed occurrences are caught up after downtime (the most recent ones). */
const MAX_CATCH_UP = 3;

export interface ScheduleOptions {
  id?: string;
  tz?: string;
  /**
   * How many missed occurrences run when Baton comes back (the most recent ones; default 3). A weekly
   * newsletter says 1: a Monday missed runs once on return, never once per missed week.
   */
  catchUp?: number;
}

/** @throws Error at definition time when `cron` is not a valid expression or `catchUp` is below 1. */
export function schedule(cron: string, options: ScheduleOptions = {}): ScheduleTrigger {
  const catchUp = options.catchUp ?? MAX_CATCH_UP;
  if (!Number.isInteger(catchUp) || catchUp < 1) throw new Error(`schedule: catchUp must be 1 or more`);
  const parse = (from: number) =>
    cronParser.parseExpression(cron, {
      currentDate: new Date(from),
      ...(options.tz ? { tz: options.tz } : {}),
    });
  try {
    parse(Date.now()).next();
  } catch (err) {
    throw new Error(`Invalid cron expression '${cron}': ${(err as Error).message}`);
  }
  const id = options.id ?? `schedule:${cron}`;
  return {
    id,
    cron,
    tz: options.tz,
    intervalMs: 60_000,
    async poll(ctx: PollContext): Promise<PollResult<ScheduleItem>> {
      const now = ctx.now();
      const last = await ctx.cursor.get<number>();
      if (last === undefined) {
        await ctx.cursor.set(now);
        return {};
      }
      const due: number[] = [];
      const expression = parse(last);
      for (let next = expression.next().getTime(); next <= now; next = expression.next().getTime()) {
        due.push(next);
        if (due.length > 1000) due.shift();
      }
      // Occurrences older than the catch-up window are skipped for good: move the cursor past them.
      if (due.length === 0) return {};
      // The cursor stays behind the occurrences emitted now: if the process dies before their runs
      // exist, the next poll emits them again (the engine starts one run per key, so never twice).
      const recent = due.slice(-catchUp);
      const before = due.length > recent.length ? due[due.length - recent.length - 1] : undefined;
      if (before !== undefined) await ctx.cursor.set(before);
      return {
        items: recent.map((t) => {
          const scheduledFor = new Date(t).toISOString();
          return { key: scheduleItemKey(id, scheduledFor), payload: { scheduledFor } };
        }),
      };
    },
  };
}

/** The item key of the occurrence at `scheduledFor` (ISO time) of the schedule `id`: what its run id derives from. */
export function scheduleItemKey(id: string, scheduledFor: string): string {
  return `${id}@${scheduledFor}`;
}

export function isScheduleTrigger(trigger: Trigger): trigger is ScheduleTrigger {
  return typeof (trigger as Partial<ScheduleTrigger>).cron === 'string';
}
