// The Airtable call budget as `baton status` and `baton doctor` show it, read from the data folder (another process may own it).
import ms from 'ms';
import type { SharedCallCount } from './budget.ts';
import { airtableBudgetConfig } from './budget-config.ts';
import { readLedger } from './budget-ledger.ts';
import { DEFAULT_RESERVE, pace, projectCalls, utcMonth } from './budget-math.ts';

export interface AirtableBudgetReport {
  base: string;
  /** The ledger key: AIRTABLE_WORKSPACE_ID, else the base id. */
  workspace: string;
  plan: 'free' | 'team' | 'business';
  /** Calls a month; null for no cap. */
  limit: number | null;
  month: string;
  calls: number;
  projected: number;
  configuredIntervalMs: number;
  intervalMs: number;
  paced: boolean;
  stopped: boolean;
  resetsAt: number;
  /** Scale-out: `calls` are the whole group's (from Redis), not only this data folder's process. */
  wholeGroup?: true;
}

/**
 * The month so far for AIRTABLE_BASE_ID's workspace, or undefined when Airtable is not configured.
 * Calls and pollers are those the running Baton recorded; plan and interval come from the environment
 * (the same .env), and the pace is worked out for `now` the way the running Baton does. With
 * `shared` (scale-out), the month's calls are the group's count instead of the data folder's.
 * @throws AirtableBudgetConfigError naming the variable that is wrong
 */
export async function airtableBudgetReport(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  now: number,
  shared?: SharedCallCount,
): Promise<AirtableBudgetReport | undefined> {
  const base = env.AIRTABLE_BASE_ID?.trim();
  if (!base) return undefined;
  const config = airtableBudgetConfig(env);
  const workspace = config.workspace ?? base;
  const entry = (await readLedger(dataDir))[workspace];
  const month = utcMonth(now);
  const calls = shared
    ? await shared.get(workspace, month.key)
    : entry?.month === month.key
      ? entry.calls
      : 0;
  const limit = config.monthlyCalls;
  const configuredMs = config.pollIntervalMs;
  const shape = { pollers: Math.max(1, entry?.pollers ?? 1), callsPerPoll: entry?.callsPerPoll ?? 1 };
  const p = pace({ limit, calls, configuredMs, reserve: DEFAULT_RESERVE, ...shape }, now);
  return {
    base,
    workspace,
    plan: config.plan,
    limit: Number.isFinite(limit) ? limit : null,
    month: month.key,
    calls,
    projected: projectCalls({ calls, ...shape, ...p }, now),
    configuredIntervalMs: configuredMs,
    intervalMs: p.intervalMs,
    paced: p.paced,
    stopped: p.stopped,
    resetsAt: month.end,
    ...(shared ? { wholeGroup: true as const } : {}),
  };
}

/** "Airtable (base appXXX): 312 calls this month, projected 940 of 1,000 (free plan); polling every 43m to fit". */
export function formatAirtableBudget(r: AirtableBudgetReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const who = r.workspace === r.base ? `base ${r.base}` : `workspace ${r.workspace}, base ${r.base}`;
  const head = `Airtable (${who}): ${n(r.calls)} calls this month${r.wholeGroup ? ' (whole group)' : ''}`;
  if (r.stopped) {
    const until = new Date(r.resetsAt).toISOString().slice(0, 10);
    return `${head}, all ${n(r.limit ?? r.calls)} of the ${r.plan} plan's: polls stopped until ${until} (UTC); runs in progress still write`;
  }
  const of = r.limit === null ? ` (${r.plan} plan, no monthly cap)` : ` of ${n(r.limit)} (${r.plan} plan)`;
  const polling = `polling every ${ms(r.intervalMs)}${r.paced ? ' to fit' : ''}`;
  return `${head}, projected ${n(r.projected)}${of}; ${polling}`;
}
