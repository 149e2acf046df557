// Two Baton groups on one redis-server, told apart by BATON_REDIS_PREFIX, as `baton start` opens
// them (openScaleOut): they share no lease, Gmail cap, do-not-contact entry, LLM spend, Airtable
// count, content slot, concurrency place or rate budget, while two processes of one group share all
// of them; the default prefix keeps the key names a group without BATON_REDIS_PREFIX always wrote.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareRateLimits } from '../../connectors/core/index.ts';
import { PostCalendar } from '../../recipes/content/slots.ts';
import { openScaleOut } from '../../src/cli/scale-out.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { type Coordination, openCoordination, RedisLlmSpend, TriggerLease } from '../../src/scale/index.ts';
import { useRedis } from '../support/redis.ts';

const redis = useRedis();
const DAY = '2031-05-06';
const call = { calls: 1, promptTokens: 1_000, completionTokens: 200, costUsd: 0.5, unpriced: 0 };
const calendar = () => new PostCalendar('Tue,Wed,Thu 09:00', 'UTC');
// Monday 5 May 2031, 10:00 UTC: the first slot is Tuesday 09:00.
const NOW = Date.UTC(2031, 4, 5, 10);

let admin: Redis;
const opened: Coordination[] = [];
beforeAll(() => {
  admin = new Redis(redis.url);
});
afterAll(async () => {
  for (const scale of opened) await scale.close();
  shareRateLimits(undefined); // process-wide: later tests in this worker count alone again
  await admin.quit();
});

/** One `baton start` process's coordination, with BATON_REDIS_PREFIX = `prefix`. */
async function processOf(prefix: string): Promise<Coordination> {
  const config: RuntimeConfig = {
    dataDir: '/nonexistent',
    pollIntervalMs: 60_000,
    concurrency: 1,
    retentionMs: 86_400_000,
    shutdownGraceMs: 0,
    logLevel: 'silent',
    redis: { url: redis.url, prefix },
  };
  const scale = await openScaleOut(config, silentLogger);
  if (!scale) throw new Error('no coordination with BATON_REDIS_URL set');
  opened.push(scale);
  return scale;
}

describe('BATON_REDIS_PREFIX separates groups on one Redis', { timeout: 30_000 }, () => {
  it("keeps each group's coordination to itself, and shares it within a group", async () => {
    const acme = await processOf('acme:');
    const acmeToo = await processOf('acme:');
    const globex = await processOf('globex:');

    expect(acmeToo.group).toBe(acme.group);
    // Another group: its instances refuse Acme's on a source, as two Batons do.
    expect(globex.group).not.toBe(acme.group);

    // Trigger leases: each group polls the sheet once; within a group, one process at a time.
    expect(await acme.pollGate.tryHold('sheets:leads', 60_000)).toEqual({ held: true });
    expect(await globex.pollGate.tryHold('sheets:leads', 60_000)).toEqual({ held: true });
    expect((await acmeToo.pollGate.tryHold('sheets:leads', 60_000)).held).toBe(false);

    // The Gmail cap and replays.
    await acme.recipes.sendBook.record(DAY, 'pitch-1:send');
    expect(await globex.recipes.sendBook.count(DAY)).toBe(0);
    expect(await globex.recipes.sendBook.reserve(DAY, 'pitch-1:send', 1)).toBe('reserved');
    expect(await acmeToo.recipes.sendBook.count(DAY)).toBe(1);
    expect(await acmeToo.recipes.sendBook.reserve(DAY, 'pitch-1:send', 5)).toBe('sent');
    expect(await acmeToo.recipes.sendBook.reserve(DAY, 'pitch-2:send', 1)).toBe('full');

    // Do-not-contact.
    await acme.recipes.doNotContact.add('ann@example.com', 'asked to stop', new Date(NOW));
    expect(await globex.recipes.doNotContact.find('ann@example.com')).toBeUndefined();
    expect(await acmeToo.recipes.doNotContact.find('ann@example.com')).toMatchObject({
      why: 'asked to stop',
    });

    // The LLM daily budget.
    await acme.llmSpend.add(DAY, 'pitch', call);
    expect(await globex.llmSpend.spent(DAY)).toBe(0);
    expect(await globex.llmSpend.byRecipe(DAY)).toEqual({});
    expect(await acmeToo.llmSpend.spent(DAY)).toBe(0.5);

    // The Airtable monthly calls.
    await acme.recipes.airtableCalls.add('wspShared', '2031-05', 7);
    expect(await globex.recipes.airtableCalls.get('wspShared', '2031-05')).toBe(0);
    expect(await acmeToo.recipes.airtableCalls.get('wspShared', '2031-05')).toBe(7);

    // The content calendar: Globex gets Tuesday's slot too; Acme's second post the next one.
    const tuesday = await acme.recipes.slots(calendar()).take('acme-post-1', NOW);
    expect(await globex.recipes.slots(calendar()).take('globex-post-1', NOW)).toBe(tuesday);
    expect(await acmeToo.recipes.slots(calendar()).take('acme-post-2', NOW)).toBeGreaterThan(tuesday);

    // Per-recipe concurrency.
    await acme.semaphore.run('pitch', 1, async () => {
      expect(await globex.semaphore.held('pitch')).toBe(0);
      expect(await acmeToo.semaphore.held('pitch')).toBe(1);
    });

    // Rate budgets: one request of Acme's leaves Globex's window empty.
    await acme.rateLimiter.take('airtable:appShared:requests', { limit: 5, intervalMs: 60_000 });
    expect(await admin.zcard('acme:rate:airtable:appShared:requests')).toBe(1);
    expect(await admin.exists('globex:rate:airtable:appShared:requests')).toBe(0);

    // Nothing of either group was written under the default prefix.
    expect(await admin.keys('baton:*')).toEqual([]);
  });

  it('keeps the default key names, so a group without BATON_REDIS_PREFIX finds what it wrote before', async () => {
    // Written as before BATON_REDIS_PREFIX reached the coordination: by pieces with no prefix.
    const before = new TriggerLease({ redis: admin, token: 'old-process' });
    expect(await before.tryHold('boards:review', 60_000)).toEqual({ held: true });
    await new RedisLlmSpend({ redis: admin }).add(DAY, 'leads', call);
    expect(await admin.get('baton:lease:boards:review')).toBe('old-process');
    expect(await admin.get(`baton:llm-spend:${DAY}`)).toBe('50000000');

    const defaults = await openCoordination(admin);
    const configured = await processOf('baton:');
    expect(configured.group).toBe(defaults.group);
    expect(await admin.get('baton:group')).toBe(defaults.group);
    expect(await configured.pollGate.holder('boards:review')).toBe('old-process');
    expect(await configured.llmSpend.spent(DAY)).toBe(0.5);
  });
});
