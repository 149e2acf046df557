// The LLM spend ledger as stored (llm-spend.json in the data folder), and the totals read from it:
// what the running process keeps and what `baton status` shows from another process.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** The ledger's file name in the data folder. */
export const SPEND_FILE = 'llm-spend.json';

const Count = z.number().nonnegative();
const TallySchema = z.object({
  calls: Count,
  promptTokens: Count,
  completionTokens: Count,
  costUsd: Count,
  /** Calls to a model without a known price: their tokens count, their cost cannot. */
  unpriced: Count,
});
export type Tally = z.infer<typeof TallySchema>;

export const SpendFileSchema = z.object({
  version: z.literal(1),
  /** BATON_LLM_DAILY_BUDGET of the process that wrote the file; absent: no cap. */
  budgetUsd: z.number().nonnegative().optional(),
  /** UTC day (`2026-01-05`) → recipe → what its model calls spent that day. */
  days: z.record(z.string(), z.record(z.string(), TallySchema)),
  /** The UTC day the budget was last announced as reached (log line, Slack): once per day. */
  announcedOn: z.string().optional(),
  writtenAt: z.number(),
});
export type SpendFile = z.infer<typeof SpendFileSchema>;

/** Tokens and estimated cost over a period, in all and per recipe (most expensive first). */
export interface SpendTotals extends Tally {
  byRecipe: ({ recipe: string } & Tally)[];
}

export interface SpendSummary {
  /** The UTC day and month the totals are for. */
  day: string;
  month: string;
  today: SpendTotals;
  thisMonth: SpendTotals;
  /** With a budget: today's spend against it, and when model steps may run again if it is reached. */
  budget?: { usd: number; spentUsd: number; reached: boolean; resumeAt: number };
}

const DAY_MS = 86_400_000;

/** `2026-01-05` for any time that UTC day. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The next 00:00 UTC after `ms`. */
export const nextUtcMidnight = (ms: number): number => (Math.floor(ms / DAY_MS) + 1) * DAY_MS;

export const emptyTally = (): Tally => ({
  calls: 0,
  promptTokens: 0,
  completionTokens: 0,
  costUsd: 0,
  unpriced: 0,
});

/** Adds `b` into `a`. */
export function addTally(a: Tally, b: Tally): void {
  a.calls += b.calls;
  a.promptTokens += b.promptTokens;
  a.completionTokens += b.completionTokens;
  a.costUsd = round(a.costUsd + b.costUsd);
  a.unpriced += b.unpriced;
}

/** Dollar sums rounded to 1e-8, as single costs are, so repeated adds do not drift. */
const round = (usd: number) => Math.round(usd * 1e8) / 1e8;

/** `$0.04`, `$0.0123`, `$12.50`: cents, or up to four decimals for small amounts. */
export function formatUsd(usd: number): string {
  if (usd >= 1 || usd === 0) return `$${usd.toFixed(2)}`;
  if (usd < 0.0001) return '<$0.0001';
  const [whole, fraction = ''] = usd.toFixed(4).split('.');
  return `$${whole}.${fraction.replace(/0+$/, '').padEnd(2, '0')}`;
}

/** Today's and this month's totals (UTC), and the budget's state, at `now`. */
export function summarizeSpend(file: SpendFile, now: number): SpendSummary {
  const day = utcDay(now);
  const month = day.slice(0, 7);
  const today = spendTotals(
    Object.entries(file.days).flatMap(([d, recipes]) => (d === day ? [recipes] : [])),
  );
  const summary: SpendSummary = {
    day,
    month,
    today,
    thisMonth: spendTotals(
      Object.entries(file.days).flatMap(([d, recipes]) => (d.startsWith(month) ? [recipes] : [])),
    ),
  };
  if (file.budgetUsd !== undefined) {
    summary.budget = {
      usd: file.budgetUsd,
      spentUsd: today.costUsd,
      reached: today.costUsd >= file.budgetUsd,
      resumeAt: nextUtcMidnight(now),
    };
  }
  return summary;
}

/** The sum of several days' (or one month's) recipe → tally, in all and per recipe. */
export function spendTotals(periods: readonly Record<string, Tally>[]): SpendTotals {
  const all = emptyTally();
  const byRecipe = new Map<string, Tally>();
  for (const recipes of periods) {
    for (const [recipe, tally] of Object.entries(recipes)) {
      addTally(all, tally);
      const one = byRecipe.get(recipe) ?? emptyTally();
      addTally(one, tally);
      byRecipe.set(recipe, one);
    }
  }
  return {
    ...all,
    byRecipe: [...byRecipe.entries()]
      .map(([recipe, tally]) => ({ recipe, ...tally }))
      .sort((a, b) => b.costUsd - a.costUsd || a.recipe.localeCompare(b.recipe)),
  };
}

/** Drops days before the previous month's first: status shows this month, the budget today. */
export function pruneDays(file: SpendFile, now: number): void {
  const d = new Date(now);
  const keepFrom = utcDay(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
  for (const day of Object.keys(file.days)) if (day < keepFrom) delete file.days[day];
}

/** The ledger at `path`, or undefined when there is none yet (or it cannot be read). */
export async function readSpendFile(path: string): Promise<SpendFile | undefined> {
  try {
    return SpendFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8'))).data;
  } catch {
    return undefined;
  }
}
