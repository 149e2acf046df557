// `baton status` in scale-out (BATON_REDIS_URL): the counters the group shares in Redis — today's
// Gmail sends, today's and this month's LLM spend per recipe, the month's Airtable calls — instead
// of this machine's files; `baton doctor` reads the Airtable calls here too.
import { Redis } from 'ioredis';
import {
  type AirtableBudgetReport,
  airtableBudgetReport,
} from '../../../connectors/airtable/budget-report.ts';
import { localDay, sendingSettings } from '../../../recipes/shared/sending/index.ts';
import { type RedisConfig, redisAddress } from '../../config.ts';
import { BatonError } from '../../engine/errors.ts';
import { LlmEnvFields, nextUtcMidnight, type SpendSummary, spendTotals, utcDay } from '../../llm/index.ts';
import { RedisCallCount, RedisLlmSpend, RedisSendBook } from '../../scale/index.ts';

/** What every process of the group counted, as `baton status` shows it with "(whole group)". */
export interface GroupFigures {
  /** Today's sends (in TZ's day, as the cap counts them) against GMAIL_DAILY_LIMIT. */
  gmail: { day: string; sent: number; limit: number } | { problem: string };
  /** Today's (UTC) estimated model spend against BATON_LLM_DAILY_BUDGET, when set. */
  llm: { day: string; spentUsd: number; budgetUsd?: number; reached: boolean; resumeAt: number };
  /** Only when AIRTABLE_BASE_ID is set: the month's calls of the group. */
  airtable?: AirtableBudgetReport | { problem: string };
  /**
   * Tokens and estimated cost per recipe, today and this month (UTC), as one process's ledger
   * summarizes its own; absent before the group's first counted call of the month.
   */
  llmSpend?: SpendSummary;
}

/**
 * Reads the group's counters from the Redis of `config` (BATON_REDIS_URL), under its prefix
 * (BATON_REDIS_PREFIX).
 * @throws BatonError naming BATON_REDIS_URL when Redis cannot be reached (host and port, never the password)
 */
export async function groupFigures(
  config: RedisConfig,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  now: number,
): Promise<GroupFigures> {
  return lookInto(config.url, async (redis) => {
    const on = { redis, prefix: config.prefix };
    const day = utcDay(now);
    const llm = new RedisLlmSpend(on);
    const spentUsd = await llm.spent(day);
    const budgetUsd = LlmEnvFields.BATON_LLM_DAILY_BUDGET.safeParse(env.BATON_LLM_DAILY_BUDGET).data;
    const sending = sendingSettings(env);
    let gmail: GroupFigures['gmail'];
    if (sending.ok) {
      const sendDay = localDay(now, sending.settings.zone);
      const sent = await new RedisSendBook(on).count(sendDay);
      gmail = { day: sendDay, sent, limit: sending.settings.dailyLimit };
    } else gmail = { problem: sending.problems.join('; ') };
    let airtable: GroupFigures['airtable'];
    try {
      airtable = await airtableBudgetReport(env, dataDir, now, new RedisCallCount(on));
    } catch (err) {
      airtable = { problem: (err as Error).message };
    }
    const reached = budgetUsd !== undefined && spentUsd >= budgetUsd;
    const month = day.slice(0, 7);
    const thisMonth = spendTotals([await llm.byRecipe(month)]);
    const llmSpend: SpendSummary = {
      day,
      month,
      today: spendTotals([await llm.byRecipe(day)]),
      thisMonth,
      // The budget counts the day's total key, which holds calls counted before the detail too.
      ...(budgetUsd !== undefined
        ? { budget: { usd: budgetUsd, spentUsd, reached, resumeAt: nextUtcMidnight(now) } }
        : {}),
    };
    return {
      gmail,
      llm: {
        day,
        spentUsd,
        ...(budgetUsd !== undefined ? { budgetUsd } : {}),
        reached,
        resumeAt: nextUtcMidnight(now),
      },
      ...(airtable ? { airtable } : {}),
      ...(thisMonth.calls > 0 ? { llmSpend } : {}),
    };
  });
}

/**
 * `baton doctor`'s Airtable calls in scale-out: the month's calls of the whole group, from Redis;
 * undefined when AIRTABLE_BASE_ID is not set.
 * @throws BatonError when Redis cannot be reached; AirtableBudgetConfigError for a wrong setting
 */
export async function groupAirtableReport(
  config: RedisConfig,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  now: number,
): Promise<AirtableBudgetReport | undefined> {
  return lookInto(config.url, (redis) =>
    airtableBudgetReport(env, dataDir, now, new RedisCallCount({ redis, prefix: config.prefix })),
  );
}

/** Runs `look` on a connection to `url`, closed after. */
async function lookInto<T>(url: string, look: (redis: Redis) => Promise<T>): Promise<T> {
  // A command fails after one retry instead of waiting for ever: status is a look, not a worker.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch (err) {
      throw new BatonError(`Cannot reach Redis at ${redisAddress(url)}: ${(err as Error).message}`, {
        hint: 'check BATON_REDIS_URL and that Redis is running (or unset it to use the data folder)',
      });
    }
    return await look(redis);
  } finally {
    redis.disconnect();
  }
}
