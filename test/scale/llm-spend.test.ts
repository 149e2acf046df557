// Two processes calling the model through the real openai SDK, sharing Redis: BATON_LLM_DAILY_BUDGET
// caps them together (the group crosses it once, as one process would), and one of them says so once.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenAIClient } from '../../connectors/openai/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { createLlm, LlmBudgetReachedError, LlmSpend, meteredLlm } from '../../src/llm/index.ts';
import { OpenAIEmulator } from '../../src/sandbox/openai/index.ts';
import { RedisLlmSpend } from '../../src/scale/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useRedis } from '../support/redis.ts';

const KEY = 'sk-test-scale-0123456789abcdef';
const emulator = new OpenAIEmulator({ apiKeys: [KEY] });
useEmulators(emulator.handlers());
const redis = useRedis();
const BUDGET = 0.01;
const Pitch = z.object({ subject: z.string(), body: z.string() });

const connections: Redis[] = [];
afterAll(() => {
  for (const c of connections) c.disconnect();
});

/** A process: its own ledger (in memory), metering gpt-4o calls, sharing the day's total when asked. */
function processModel(clock: ManualClock, shared: boolean, messages: string[]) {
  let sharedSpend: RedisLlmSpend | undefined;
  if (shared) {
    const connection = new Redis(redis.url);
    connections.push(connection);
    sharedSpend = new RedisLlmSpend({ redis: connection });
  }
  const spend = new LlmSpend({
    budgetUsd: BUDGET,
    clock,
    notify: async (text) => void messages.push(text),
    ...(sharedSpend ? { shared: sharedSpend } : {}),
  });
  const llm = meteredLlm(
    createLlm({
      client: new OpenAIClient({ apiKey: KEY, initialDelayMs: 1, maxDelayMs: 20 }),
      model: 'gpt-4o',
    }),
    spend,
    'pitch',
  );
  return { spend, llm };
}

/** Both processes call in turn until each is refused; the costs of the calls made, in order. */
async function callUntilRefused(processes: ReturnType<typeof processModel>[]): Promise<number[]> {
  const costs: number[] = [];
  const refused = new Set<number>();
  for (let n = 0; refused.size < processes.length && n < 80; n++) {
    const i = n % processes.length;
    if (refused.has(i)) continue;
    try {
      const answer = await processes[i]!.llm.object(
        Pitch,
        { system: 'Answer in JSON.', user: `Pitch lead ${n}` },
        { name: 'pitch' },
      );
      costs.push(answer.usage.costUsd ?? 0);
    } catch (err) {
      if (!(err instanceof LlmBudgetReachedError)) throw err;
      refused.add(i);
    }
  }
  return costs;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('RedisLlmSpend', { timeout: 30_000 }, () => {
  it('caps two processes together at the daily budget and announces it once', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 21, 0));
    const messages: string[] = [];
    const costs = await callUntilRefused([
      processModel(clock, true, messages),
      processModel(clock, true, messages),
    ]);
    // Calls go on while the group's spend is under the budget; the one that crosses it still finishes.
    expect(sum(costs)).toBeGreaterThanOrEqual(BUDGET);
    expect(sum(costs.slice(0, -1))).toBeLessThan(BUDGET);
    expect(messages).toHaveLength(1);
  });

  it('is what caps them: two ledgers of their own spend the budget twice over', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 7, 21, 0));
    const messages: string[] = [];
    const costs = await callUntilRefused([
      processModel(clock, false, messages),
      processModel(clock, false, messages),
    ]);
    expect(sum(costs)).toBeGreaterThanOrEqual(2 * BUDGET);
    expect(messages).toHaveLength(2);
  });

  it('starts a new day from zero', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 9, 23, 0));
    const [a, b] = [processModel(clock, true, []), processModel(clock, true, [])];
    await callUntilRefused([a, b]);
    await expect(b.spend.checkBudget()).rejects.toBeInstanceOf(LlmBudgetReachedError);
    clock.advance(3600_000);
    await expect(a.spend.checkBudget()).resolves.toBeUndefined();
  });
});
