// `baton status` with BATON_REDIS_URL, against a real redis-server: today's Gmail sends, today's LLM
// spend and the month's Airtable calls are the whole group's (what the processes counted in Redis),
// not this machine's files.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { showStatus } from '../../src/cli/commands/status.ts';
import { ManualClock } from '../../src/clock.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import { LlmSpend, SPEND_FILE } from '../../src/llm/index.ts';
import { RedisCallCount, RedisLlmSpend, RedisSendBook } from '../../src/scale/index.ts';
import { llmUsage } from '../support/llm-usage.ts';
import { freePort } from '../support/ports.ts';
import { useRedis, useRedisClient } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const redis = useRedis();
const tempDir = useTempDirs();
const client = useRedisClient(redis);

let prefixes = 0;
async function config(): Promise<RuntimeConfig> {
  return {
    dataDir: await tempDir(),
    pollIntervalMs: 60_000,
    concurrency: 2,
    retentionMs: 30 * 86_400_000,
    shutdownGraceMs: 0,
    logLevel: 'silent',
    redis: { url: redis.url, prefix: `status-${++prefixes}:` },
  };
}

/** What the group's processes write under `c`'s prefix (BATON_REDIS_PREFIX). */
const on = (c: RuntimeConfig) => ({ redis: client(), prefix: c.redis?.prefix ?? 'baton:' });
const call = (costUsd: number) => ({
  calls: 1,
  promptTokens: 100,
  completionTokens: 20,
  costUsd,
  unpriced: 0,
});

async function status(c: RuntimeConfig, env: NodeJS.ProcessEnv, now: number, json = false) {
  const out: string[] = [];
  expect(await showStatus(c, { json }, { out: (t) => out.push(t) }, now, env)).toBe(0);
  return out.join('\n');
}

describe('`baton status` in scale-out', () => {
  it("shows the group's Gmail sends, LLM spend and Airtable calls from Redis, not this machine's files", async () => {
    const now = Date.UTC(2031, 0, 15, 12);
    const c = await config();
    // What three processes counted today, in Redis.
    const book = new RedisSendBook(on(c));
    for (const key of ['a', 'b', 'c']) await book.record('2031-01-15', `status-1-${key}`);
    const spend = new RedisLlmSpend(on(c));
    await spend.add('2031-01-15', 'pitch', call(0.25));
    await spend.add('2031-01-15', 'pitch', call(0.5));
    await new RedisCallCount(on(c)).add('appStatusOne', '2031-01', 412);
    // This machine's own ledger says something else: it must not be shown.
    await writeFile(
      join(c.dataDir, SPEND_FILE),
      JSON.stringify({
        version: 1,
        budgetUsd: 2,
        days: {
          '2031-01-15': {
            pitch: { calls: 1, promptTokens: 10, completionTokens: 5, costUsd: 0.01, unpriced: 0 },
          },
        },
        writtenAt: now,
      }),
    );
    const env = {
      GMAIL_DAILY_LIMIT: '40',
      TZ: 'Europe/Paris',
      BATON_LLM_DAILY_BUDGET: '2',
      AIRTABLE_BASE_ID: 'appStatusOne',
      AIRTABLE_PLAN: 'free',
    };

    const text = await status(c, env, now);
    expect(text).toContain('Gmail today: 3 of 40 sent (GMAIL_DAILY_LIMIT) (whole group)');
    expect(text).toContain(
      'LLM spend today: $0.75 of the $2.00 daily budget (BATON_LLM_DAILY_BUDGET) (whole group)',
    );
    expect(text).toContain('Airtable (base appStatusOne): 412 calls this month (whole group), projected');
    expect(text).not.toContain('$0.01');

    const report = JSON.parse(await status(c, env, now, true));
    expect(report.group).toEqual({
      gmail: { day: '2031-01-15', sent: 3, limit: 40 },
      llm: {
        day: '2031-01-15',
        spentUsd: 0.75,
        budgetUsd: 2,
        reached: false,
        resumeAt: Date.UTC(2031, 0, 16),
      },
    });
    expect(report.airtable).toMatchObject({ calls: 412, wholeGroup: true });
    // The group's calls per recipe, not this machine's ledger ($0.01).
    expect(report.llmSpend.today).toMatchObject({ calls: 2, costUsd: 0.75, byRecipe: [{ recipe: 'pitch' }] });
  });

  it('says when the group reached the LLM budget and the Gmail cap', async () => {
    const now = Date.UTC(2031, 1, 10, 21);
    const c = await config();
    const book = new RedisSendBook(on(c));
    for (const key of ['a', 'b']) await book.record('2031-02-10', `status-2-${key}`);
    await new RedisLlmSpend(on(c)).add('2031-02-10', 'leads', call(1.5));

    const text = await status(c, { GMAIL_DAILY_LIMIT: '2', TZ: 'UTC', BATON_LLM_DAILY_BUDGET: '1' }, now);
    expect(text).toContain(
      'Gmail today: 2 of 2 sent (GMAIL_DAILY_LIMIT), the cap is reached: the next emails wait for tomorrow (whole group)',
    );
    expect(text).toContain(
      'LLM budget reached: $1.50 of $1.00 (BATON_LLM_DAILY_BUDGET) (whole group), resuming 00:00 UTC (in 3 h)',
    );
    // No AIRTABLE_BASE_ID: no Airtable line.
    expect(text).not.toContain('Airtable');
  });

  it("adds up two processes' LLM tokens and cost per recipe, today and this month", async () => {
    const c = await config();
    // Two `baton start` processes, each with its own data folder and ledger, sharing the group's spend.
    const clock = new ManualClock(Date.UTC(2031, 2, 31, 12)); // last month: not in "this month"
    const processLedger = async () =>
      new LlmSpend({
        file: join(await tempDir(), SPEND_FILE),
        clock,
        budgetUsd: 1,
        shared: new RedisLlmSpend(on(c)),
      });
    const [a, b] = [await processLedger(), await processLedger()];
    await a.record('pitch', llmUsage(100_000, 10_000, 0.5));
    clock.set(Date.UTC(2031, 3, 2, 9)); // earlier this month
    await a.record('pitch', llmUsage(2_000, 500, 0.01));
    clock.set(Date.UTC(2031, 3, 4, 21, 30)); // today
    await a.record('pitch', llmUsage(8_000, 1_000, 0.03));
    await b.record('pitch', llmUsage(1_000, 0, 0.02));
    await b.record('leads', llmUsage(2_000, 345, 0.01));
    await b.record('leads', llmUsage(1_000, 0)); // a model without a price
    await Promise.all([a.flush(), b.flush()]);

    const env = { BATON_LLM_DAILY_BUDGET: '1' };
    const text = await status(c, env, clock.now());
    expect(text).toContain(
      'LLM spend today: $0.06 of the $1.00 daily budget (BATON_LLM_DAILY_BUDGET) (whole group)\n' +
        '          today: 13,345 tokens, $0.06 (pitch $0.05, leads $0.01, + 1 call(s) with no known price); this month: 15,845 tokens, $0.07 (pitch $0.06, leads $0.01, + 1 call(s) with no known price) (UTC, whole group)',
    );

    const report = JSON.parse(await status(c, env, clock.now(), true));
    expect(report.llmSpend).toEqual({
      day: '2031-04-04',
      month: '2031-04',
      today: {
        calls: 4,
        promptTokens: 12_000,
        completionTokens: 1_345,
        costUsd: 0.06,
        unpriced: 1,
        byRecipe: [
          {
            recipe: 'pitch',
            calls: 2,
            promptTokens: 9_000,
            completionTokens: 1_000,
            costUsd: 0.05,
            unpriced: 0,
          },
          {
            recipe: 'leads',
            calls: 2,
            promptTokens: 3_000,
            completionTokens: 345,
            costUsd: 0.01,
            unpriced: 1,
          },
        ],
      },
      thisMonth: expect.objectContaining({
        calls: 5,
        promptTokens: 14_000,
        completionTokens: 1_845,
        costUsd: 0.07,
        byRecipe: [
          expect.objectContaining({ recipe: 'pitch', calls: 3, costUsd: 0.06 }),
          expect.objectContaining({ recipe: 'leads', calls: 2, costUsd: 0.01 }),
        ],
      }),
      budget: { usd: 1, spentUsd: 0.06, reached: false, resumeAt: Date.UTC(2031, 3, 5) },
    });
    // Each process's own ledger still holds only its own calls.
    expect(a.summary().today.costUsd).toBe(0.03);
    expect(b.summary().today.costUsd).toBe(0.03);
  });

  it('says which Redis it cannot reach, by host and port only', async () => {
    const c = await config();
    const nothing = await freePort();
    c.redis = { url: `redis://:s3cret-pw@127.0.0.1:${nothing}`, prefix: 'baton:' };
    const error = await status(c, {}, Date.now()).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toMatch(new RegExp(`^Cannot reach Redis at 127\\.0\\.0\\.1:${nothing}: `));
    expect(error?.message).not.toContain('s3cret-pw');
  });

  it('counts the Gmail day in TZ, as the cap does', async () => {
    // 23:30 UTC on 3 March is already 4 March in Tokyo.
    const now = Date.UTC(2031, 2, 3, 23, 30);
    const c = await config();
    await new RedisSendBook(on(c)).record('2031-03-04', 'status-3-a');
    const text = await status(c, { TZ: 'Asia/Tokyo' }, now);
    expect(text).toMatch(/Gmail today: 1 of \d+ sent \(GMAIL_DAILY_LIMIT\) \(whole group\)/);
    expect(text).toContain('LLM spend today: $0.00 (UTC day; no daily budget set) (whole group)');
  });
});
