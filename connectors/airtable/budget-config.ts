// What Airtable's plan allows a month, and how often Baton may poll it: AIRTABLE_PLAN, AIRTABLE_MONTHLY_CALLS, AIRTABLE_POLL_INTERVAL.
import { z } from 'zod';
import { parseEnv } from '../../src/config.ts';
import { toMs } from '../../src/engine/duration.ts';

/** API calls a workspace may make per month on each plan (Business and above: no monthly cap). */
export const AIRTABLE_PLAN_CALLS = {
  free: 1_000,
  team: 100_000,
  business: Number.POSITIVE_INFINITY,
} as const;
export type AirtablePlan = keyof typeof AIRTABLE_PLAN_CALLS;

/** How often Airtable triggers poll when the budget allows it (AIRTABLE_POLL_INTERVAL's default). */
export const DEFAULT_AIRTABLE_POLL_MS = 5 * 60_000;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const AirtableBudgetEnv = z.object({
  AIRTABLE_PLAN: z.preprocess(
    (v) => (typeof blank(v) === 'string' ? String(v).trim().toLowerCase() : blank(v)),
    z.enum(['free', 'team', 'business'], { error: 'must be free, team or business' }).default('free'),
  ),
  AIRTABLE_MONTHLY_CALLS: z.preprocess(
    blank,
    z.coerce
      .number({ error: 'must be a whole number of API calls a month, e.g. 1000' })
      .int({ error: 'must be a whole number of API calls a month, e.g. 1000' })
      .positive({ error: 'must be a positive whole number of API calls a month, e.g. 1000' })
      .optional(),
  ),
  AIRTABLE_POLL_INTERVAL: z.preprocess(
    blank,
    z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return DEFAULT_AIRTABLE_POLL_MS;
        try {
          const ms = toMs(/^\d+$/.test(value) ? `${value}s` : value);
          if (ms >= 1000) return ms;
        } catch {}
        ctx.addIssue({
          code: 'custom',
          message: `'${value}' is not a duration of 1s or more — use forms like 5m, 1h`,
        });
        return z.NEVER;
      }),
  ),
  AIRTABLE_WORKSPACE_ID: z.preprocess(blank, z.string().optional()),
});

export interface AirtableBudgetConfig {
  plan: AirtablePlan;
  /** Calls a month (AIRTABLE_MONTHLY_CALLS, else the plan's); Infinity for no cap. */
  monthlyCalls: number;
  /** AIRTABLE_POLL_INTERVAL in ms: the fastest Airtable triggers poll. */
  pollIntervalMs: number;
  /** AIRTABLE_WORKSPACE_ID when set: several bases of one workspace share its budget. */
  workspace?: string;
}

/** A budget setting Baton cannot use; the message names the variable and what it accepts. */
export class AirtableBudgetConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Airtable call budget: ${problems.join('; ')}`);
    this.name = 'AirtableBudgetConfigError';
    this.problems = problems;
  }
}

/** Reads the budget settings. @throws AirtableBudgetConfigError naming every variable that is wrong */
export function airtableBudgetConfig(env: NodeJS.ProcessEnv): AirtableBudgetConfig {
  const parsed = parseEnv(AirtableBudgetEnv, env);
  if (!parsed.ok) throw new AirtableBudgetConfigError(parsed.problems);
  const e = parsed.config;
  return {
    plan: e.AIRTABLE_PLAN,
    monthlyCalls: e.AIRTABLE_MONTHLY_CALLS ?? AIRTABLE_PLAN_CALLS[e.AIRTABLE_PLAN],
    pollIntervalMs: e.AIRTABLE_POLL_INTERVAL,
    ...(e.AIRTABLE_WORKSPACE_ID ? { workspace: e.AIRTABLE_WORKSPACE_ID } : {}),
  };
}
