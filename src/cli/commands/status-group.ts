// `baton status` in scale-out (BATON_REDIS_URL): the counters the group shares in Redis — today's
// Gmail sends, today's LLM spend, the month's Airtable calls — instead of this machine's files.
import { Redis } from 'ioredis';
import {
  type AirtableBudgetReport,
  airtableBudgetReport,
} from '../../../connectors/airtable/budget-report.ts';
import { localDay, sendingSettings } from '../../../recipes/shared/sending/index.ts';
import { redisAddress } from '../../config.ts';
import { BatonError } from '../../engine/errors.ts';
import { LlmEnvFields, nextUtcMidnight, utcDay } from '../../llm/index.ts';
import { RedisCallCount, RedisLlmSpend, RedisSendBook } from '../../scale/index.ts';

/** What every process of the group counted, as `baton status` shows it with "(whole group)". */
export interface GroupFigures {
  /** Today's sends (in TZ's day, as the cap counts them) against GMAIL_DAILY_LIMIT. */
  gmail: { day: string; sent: number; limit: number } | { problem: string };
  /** Today's (UTC) estimated model spend against BATON_LLM_DAILY_BUDGET, when set. */
  llm: { day: string; spentUsd: number; budgetUsd?: number; reached: boolean; resumeAt: number };
  /** Only when AIRTABLE_BASE_ID is set: the month's calls of the group. */
  airtable?: AirtableBudgetReport | { problem: string };
}

/**
 * Reads the group's counters from the Redis at `url`.
 * @throws BatonError naming BATON_REDIS_URL when Redis cannot be reached (host and port, never the password)
 */
export async function groupFigures(
  url: string,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  now: number,
): Promise<GroupFigures> {
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
    const on = { redis };
    const day = utcDay(now);
    const spentUsd = await new RedisLlmSpend(on).spent(day);
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
    return {
      gmail,
      llm: {
        day,
        spentUsd,
        ...(budgetUsd !== undefined ? { budgetUsd } : {}),
        reached: budgetUsd !== undefined && spentUsd >= budgetUsd,
        resumeAt: nextUtcMidnight(now),
      },
      ...(airtable ? { airtable } : {}),
    };
  } finally {
    redis.disconnect();
  }
}
