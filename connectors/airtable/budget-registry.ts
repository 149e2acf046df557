// One AirtableCallBudget per workspace per process, built from the environment, so every recipe on a base shares it.
import { resolve } from 'node:path';
import type { Clock } from '../../src/clock.ts';
import type { Logger } from '../../src/log.ts';
import { flushOnStop } from '../../src/runtime/data-folder-writers.ts';
import { AirtableCallBudget, type SharedCallCount } from './budget.ts';
import { AirtableBudgetConfigError, airtableBudgetConfig } from './budget-config.ts';
import { CallLedger } from './budget-ledger.ts';

export interface AirtableBudgetContext {
  /** The data folder (BATON_DATA_DIR): the count is kept in `airtable-calls.json` there. */
  dataDir: string;
  /** The base the recipe uses (default AIRTABLE_BASE_ID). */
  base?: string;
  clock?: Clock;
  log?: Logger;
  /** Sends a change of pace to people (e.g. Slack); a failure is logged, never thrown. */
  notify?: (text: string) => Promise<void>;
  /** Scale-out (BATON_REDIS_URL): the month's count shared by the group (src/scale RedisCallCount). */
  shared?: SharedCallCount;
}

const ledgers = new Map<string, CallLedger>();
const budgets = new Map<string, AirtableCallBudget>();

/**
 * The call budget of the workspace the base belongs to: AIRTABLE_WORKSPACE_ID when set, else the base
 * id (Airtable's API does not say which workspace a base is in). The first call for a workspace
 * builds it; later calls (other recipes on the same base) get the same object, whatever their other
 * options. Pass it to `new AirtableClient({ …, budget })` and to `records(client, { …, budget })`.
 * @throws AirtableBudgetConfigError naming AIRTABLE_PLAN, AIRTABLE_MONTHLY_CALLS, AIRTABLE_POLL_INTERVAL
 *   or AIRTABLE_BASE_ID when one is wrong or missing
 */
export function airtableBudgetFromEnv(
  env: NodeJS.ProcessEnv,
  context: AirtableBudgetContext,
): AirtableCallBudget {
  const config = airtableBudgetConfig(env);
  const base = context.base ?? env.AIRTABLE_BASE_ID?.trim();
  const workspace = config.workspace ?? base;
  if (!workspace)
    throw new AirtableBudgetConfigError(['AIRTABLE_BASE_ID is required — the base id (app…) from its URL']);
  const dir = resolve(context.dataDir);
  const key = `${dir}\n${workspace}`;
  let budget = budgets.get(key);
  if (!budget) {
    let ledger = ledgers.get(dir);
    if (!ledger) {
      const made = new CallLedger(dir, context.log ? { log: context.log } : {});
      ledgers.set(dir, made);
      flushOnStop(() => made.flush());
      ledger = made;
    }
    budget = new AirtableCallBudget({
      workspace,
      plan: config.plan,
      monthlyCalls: config.monthlyCalls,
      pollIntervalMs: config.pollIntervalMs,
      ledger,
      ...(context.clock ? { clock: context.clock } : {}),
      ...(context.log ? { log: context.log } : {}),
      ...(context.notify ? { notify: context.notify } : {}),
      ...(context.shared ? { shared: context.shared } : {}),
    });
    budgets.set(key, budget);
  }
  return budget;
}

/** Writes every budget's count now (call on shutdown; otherwise counts reach the disk within 2 s). */
export async function flushAirtableBudgets(): Promise<void> {
  await Promise.all([...ledgers.values()].map((l) => l.flush()));
}
