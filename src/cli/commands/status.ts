// `baton status`: is Baton running, how its pollers do, runs by state, waits due, and today's LLM
// tokens and cost. Reads the data folder without taking it (the running process owns it).
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type AirtableBudgetReport,
  airtableBudgetReport,
} from '../../../connectors/airtable/budget-report.ts';
import type { RuntimeConfig } from '../../config.ts';
import { RUN_STATUSES, type RunRecord, type RunStatus } from '../../engine/index.ts';
import { readSpendFile, SPEND_FILE, type SpendSummary, summarizeSpend } from '../../llm/index.ts';
import { storeFor } from '../../runtime/configured-store.ts';
import { usageOf } from '../../runtime/metrics.ts';
import { FileStore, type Store } from '../../store/index.ts';
import type { Output } from './runs.ts';
import { formatStatus } from './status-format.ts';
import type { GroupFigures } from './status-group.ts';

/** The file a running Baton keeps up to date (see `Baton.publishStatus`). */
export const STATUS_FILE = 'status.json';

const PollerSchema = z.object({
  recipe: z.string(),
  trigger: z.string(),
  intervalMs: z.number(),
  polls: z.number(),
  lastPollAt: z.number().optional(),
  nextPollAt: z.number().optional(),
  lastError: z.string().optional(),
  consecutiveErrors: z.number(),
  skipped: z.number(),
});
const StatusFileSchema = z.object({
  version: z.literal(1),
  pid: z.number(),
  host: z.string(),
  startedAt: z.number(),
  writtenAt: z.number(),
  stoppedAt: z.number().optional(),
  pollers: z.array(PollerSchema),
});

export type PollerReport = z.infer<typeof PollerSchema>;

export interface WaitReport {
  runId: string;
  recipe: string;
  reason: string;
  stepId: string;
  at?: number;
  key?: string;
}

export interface StatusReport {
  now: number;
  dataDir: string;
  process:
    | {
        state: 'running' | 'stopped' | 'gone';
        pid: number;
        host: string;
        startedAt: number;
        writtenAt: number;
      }
    | { state: 'never' };
  pollers: PollerReport[];
  runs: Record<RunStatus, number>;
  waits: { dueNow: WaitReport[]; next24h: WaitReport[]; onSignal: number };
  llmToday: {
    since: number;
    promptTokens: number;
    completionTokens: number;
    costUsd: number;
    /** Steps whose model has no known price (their tokens are counted, their cost is not). */
    unpriced: number;
    models: string[];
    /** The same totals per provider and model, most expensive first. */
    byModel: ModelUsage[];
  };
  /** Only when AIRTABLE_BASE_ID is set: the month's Airtable calls, or what is wrong with the settings. */
  airtable?: AirtableBudgetReport | { problem: string };
  /**
   * Every model call the running process counted (llm-spend.json): today and this month (UTC) per
   * recipe, and the daily budget's state. Absent before the first counted call. Scale-out: every
   * process's calls, from Redis (this machine's file is not read).
   */
  llmSpend?: SpendSummary;
  /**
   * Scale-out (BATON_REDIS_URL): today's Gmail sends and LLM spend of every process of the group,
   * from Redis. Then `llmSpend` and `airtable` are the group's too.
   */
  group?: Omit<GroupFigures, 'airtable' | 'llmSpend'>;
}

/** Today's tokens and cost of one model on one provider. */
export interface ModelUsage {
  provider: string;
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  unpriced: number;
}

/** Runs journaled before providers existed have no `provider` in their usage: they were OpenAI's. */
const ProviderOf = z.object({ provider: z.string().default('openai') });

/** Prints the report (or `--json`). Returns 0. @throws nothing for a missing data folder: it says so. */
export async function showStatus(
  config: RuntimeConfig,
  options: { json?: boolean },
  io: Output,
  now = Date.now(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  // With BATON_REDIS_URL the runs and the shared counters are read in Redis, across every process.
  const store = config.redis ? storeFor(config) : undefined;
  let group: GroupFigures | undefined;
  if (config.redis) {
    const { groupFigures } = await import('./status-group.ts');
    group = await groupFigures(config.redis, env, config.dataDir, now);
  }
  const report = await statusReport(config.dataDir, now, env, store, group).finally(() => store?.close());
  io.out(options.json ? JSON.stringify(report, null, 2) : formatStatus(report));
  return 0;
}

/**
 * Everything `baton status` shows, read from the data folder at `dataDir`; the runs from `store`
 * when given (Redis, scaled out), else from the data folder; the group's counters from `group`
 * (scaled out) instead of this machine's files.
 */
export async function statusReport(
  dataDir: string,
  now: number,
  env: NodeJS.ProcessEnv = process.env,
  store: Store = new FileStore({ dir: dataDir }),
  group?: GroupFigures,
): Promise<StatusReport> {
  const file = await readStatusFile(join(dataDir, STATUS_FILE));
  await store.open({ readOnly: true });
  const runs = await store.listRuns();
  // Scale-out: the group's spend comes with `group`; this machine's file counts this process only.
  const spend = group ? undefined : await readSpendFile(join(dataDir, SPEND_FILE));
  return {
    now,
    dataDir,
    process: file ? { state: processState(file, now), ...pick(file) } : { state: 'never' },
    pollers: file?.pollers ?? [],
    runs: countByStatus(runs),
    waits: waits(runs, now),
    llmToday: usageSince(runs, startOfDay(now)),
    ...(group ? groupPart(group) : await airtable(env, dataDir, now)),
    ...(spend ? { llmSpend: summarizeSpend(spend, now) } : {}),
  };
}

function groupPart({
  airtable,
  llmSpend,
  ...rest
}: GroupFigures): Pick<StatusReport, 'airtable' | 'group' | 'llmSpend'> {
  return { group: rest, ...(airtable ? { airtable } : {}), ...(llmSpend ? { llmSpend } : {}) };
}

async function airtable(env: NodeJS.ProcessEnv, dataDir: string, now: number) {
  try {
    const report = await airtableBudgetReport(env, dataDir, now);
    return report ? { airtable: report } : {};
  } catch (err) {
    return { airtable: { problem: (err as Error).message } };
  }
}

async function readStatusFile(path: string): Promise<z.infer<typeof StatusFileSchema> | undefined> {
  try {
    return StatusFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8'))).data;
  } catch {
    return undefined;
  }
}

function pick(file: z.infer<typeof StatusFileSchema>) {
  return { pid: file.pid, host: file.host, startedAt: file.startedAt, writtenAt: file.writtenAt };
}

/** Running when it did not say it stopped and its pid is alive (on this host) — a crash leaves 'gone'. */
function processState(file: z.infer<typeof StatusFileSchema>, now: number): 'running' | 'stopped' | 'gone' {
  if (file.stoppedAt !== undefined) return 'stopped';
  if (file.host !== hostname()) return now - file.writtenAt < 2 * 60_000 ? 'running' : 'gone';
  try {
    process.kill(file.pid, 0);
    return 'running';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'running' : 'gone';
  }
}

function countByStatus(runs: readonly RunRecord[]): Record<RunStatus, number> {
  const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  for (const run of runs) counts[run.status]++;
  return counts;
}

function waits(runs: readonly RunRecord[], now: number): StatusReport['waits'] {
  const result: StatusReport['waits'] = { dueNow: [], next24h: [], onSignal: 0 };
  for (const run of runs) {
    if (run.status !== 'waiting' || !run.wake) continue;
    const { reason, stepId, at, key } = run.wake;
    const wait: WaitReport = {
      runId: run.id,
      recipe: run.recipe,
      reason,
      stepId,
      ...(at !== undefined ? { at } : {}),
      ...(key !== undefined ? { key } : {}),
    };
    if (at !== undefined && at <= now) result.dueNow.push(wait);
    else if (at !== undefined && at <= now + 86_400_000) result.next24h.push(wait);
    if (key !== undefined) result.onSignal++;
  }
  const byTime = (a: WaitReport, b: WaitReport) => (a.at ?? 0) - (b.at ?? 0);
  result.dueNow.sort(byTime);
  result.next24h.sort(byTime);
  return result;
}

/** Sums the `usage` annotations of steps that ended at or after `since`. */
function usageSince(runs: readonly RunRecord[], since: number): StatusReport['llmToday'] {
  const total = {
    since,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    unpriced: 0,
    models: [] as string[],
    byModel: [] as ModelUsage[],
  };
  const models = new Set<string>();
  const byModel = new Map<string, ModelUsage>();
  for (const run of runs) {
    for (const entry of run.journal) {
      if (entry.kind !== 'step' || entry.endedAt === undefined || entry.endedAt < since) continue;
      const usage = usageOf(entry);
      if (!usage) continue;
      const provider = ProviderOf.safeParse(entry.annotations?.usage).data?.provider ?? 'openai';
      const key = `${provider}:${usage.model}`;
      const one = byModel.get(key) ?? {
        provider,
        model: usage.model,
        promptTokens: 0,
        completionTokens: 0,
        costUsd: 0,
        unpriced: 0,
      };
      byModel.set(key, one);
      for (const sum of [total, one]) {
        sum.promptTokens += usage.promptTokens;
        sum.completionTokens += usage.completionTokens;
        if (usage.costUsd === undefined) sum.unpriced++;
        else sum.costUsd += usage.costUsd;
      }
      models.add(usage.model);
    }
  }
  const round = (usd: number) => Math.round(usd * 1e6) / 1e6;
  total.models = [...models].sort();
  total.costUsd = round(total.costUsd);
  total.byModel = [...byModel.values()]
    .map((m) => ({ ...m, costUsd: round(m.costUsd) }))
    .sort(
      (a, b) => b.costUsd - a.costUsd || `${a.provider}:${a.model}`.localeCompare(`${b.provider}:${b.model}`),
    );
  return total;
}

/** Midnight of `now`'s day in the process's time zone (TZ; UTC in the Docker image). */
function startOfDay(now: number): number {
  const day = new Date(now);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}
