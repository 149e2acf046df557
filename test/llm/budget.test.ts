// The daily LLM budget: every call through the real openai SDK (against the emulator's token counts)
// is counted; at the cap model steps pause until 00:00 UTC, are resumed after midnight, lose nothing.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenAIClient } from '../../connectors/openai/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { parseEnv } from '../../src/config.ts';
import { defineRecipe } from '../../src/engine/index.ts';
import {
  checkLlmEnv,
  createLlm,
  formatUsd,
  type Llm,
  LlmBudgetReachedError,
  LlmEnvFields,
  LlmOutputError,
  LlmSpend,
  meteredLlm,
  readSpendFile,
  SPEND_FILE,
} from '../../src/llm/index.ts';
import { OpenAIEmulator } from '../../src/sandbox/openai/index.ts';
import { openTestEngine } from '../support/engine.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const KEY = 'sk-test-budget-0123456789abcdef';
const emulator = new OpenAIEmulator({ apiKeys: [KEY] });
useEmulators(emulator.handlers());
const tempDir = useTempDirs();

const BUDGET = 0.01;
const LATE_EVENING = Date.UTC(2026, 0, 5, 21, 30);
const MIDNIGHT = Date.UTC(2026, 0, 6);

const Pitch = z.object({ subject: z.string(), body: z.string() });
const prompt = (n: number) => ({
  system: 'You write short, friendly sales emails. Answer in JSON.',
  user: `Write a pitch.\nName: Lead ${n}\nCompany: Company ${n}\nNotes: met at a fair`,
});

/** gpt-4o ($2.50 / $10 per 1M tokens in the built-in table): a few emulator calls reach $0.01. */
function model(): Llm {
  return createLlm({
    client: new OpenAIClient({ apiKey: KEY, initialDelayMs: 1, maxDelayMs: 20 }),
    model: 'gpt-4o',
  });
}

const modelRequests = () => emulator.requests.count({ path: /\/v1\/chat\/completions$/ });

function ledger(clock: ManualClock, options: { file?: string; sent?: string[] } = {}): LlmSpend {
  return new LlmSpend({
    budgetUsd: BUDGET,
    clock,
    ...(options.file ? { file: options.file } : {}),
    ...(options.sent ? { notify: async (text: string) => void options.sent!.push(text) } : {}),
  });
}

async function budgetError(promise: Promise<unknown>): Promise<LlmBudgetReachedError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmBudgetReachedError);
  return err as LlmBudgetReachedError;
}

beforeEach(() => emulator.reset());

describe('the daily LLM budget on model calls', () => {
  it('stops model calls at the cap, and lets them go on after midnight UTC', async () => {
    const clock = new ManualClock(LATE_EVENING);
    const sent: string[] = [];
    const spend = ledger(clock, { sent });
    const llm = meteredLlm(model(), spend, 'pitch');

    // Calls go on while today's spend is under the budget; the one that crosses it still finishes.
    const costs: number[] = [];
    let before = 0;
    for (let n = 1; n <= 40 && spend.summary().today.costUsd < BUDGET; n++) {
      before = spend.summary().today.costUsd;
      const { usage } = await llm.object(Pitch, prompt(n), { name: 'pitch' });
      expect(usage.promptTokens).toBeGreaterThan(0);
      costs.push(usage.costUsd!);
    }
    const spent = spend.summary().today.costUsd;
    expect(costs.length).toBeGreaterThan(1);
    expect(before).toBeLessThan(BUDGET);
    expect(spent).toBeGreaterThanOrEqual(BUDGET);
    expect(spent).toBeCloseTo(
      costs.reduce((a, b) => a + b, 0),
      8,
    );
    expect(modelRequests()).toBe(costs.length);

    // At the cap: no request is made, and the error says when calls may resume.
    const err = await budgetError(llm.object(Pitch, prompt(99), { name: 'pitch' }));
    expect(err.resumeAt).toBe(MIDNIGHT);
    expect(err.until).toBe(MIDNIGHT);
    expect(err.spentUsd).toBe(spent);
    expect(err.budgetUsd).toBe(BUDGET);
    expect(err.message).toBe(
      `LLM budget reached: ${formatUsd(spent)} of $0.01 today — model steps resume at 00:00 UTC; raise BATON_LLM_DAILY_BUDGET to allow more`,
    );
    await budgetError(llm.text(prompt(100)));
    expect(modelRequests()).toBe(costs.length);
    expect(sent).toEqual([
      `LLM budget reached: ${formatUsd(spent)} of $0.01 today. Model steps wait until 00:00 UTC; work that needs no model goes on. (BATON_LLM_DAILY_BUDGET sets the budget.)`,
    ]);

    clock.set(MIDNIGHT);
    const next = await llm.object(Pitch, prompt(101), { name: 'pitch' });
    expect(next.value.subject).not.toBe('');
    expect(spend.summary().today.costUsd).toBe(next.usage.costUsd);
    expect(spend.summary().thisMonth.costUsd).toBeCloseTo(spent + next.usage.costUsd!, 8);
  });

  it('counts the tokens of an unusable answer too', async () => {
    const clock = new ManualClock(LATE_EVENING);
    const spend = ledger(clock);
    emulator.respondWith(() => ({ subject: 7 }));
    const err = await meteredLlm(model(), spend, 'pitch')
      .object(Pitch, prompt(1), { name: 'pitch' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmOutputError);
    const { usage } = err as LlmOutputError;
    expect(spend.summary().today).toMatchObject({
      calls: 1,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      costUsd: usage.costUsd,
    });
  });

  it('keeps the day in the data folder: a restart goes on counting and does not announce again', async () => {
    const clock = new ManualClock(LATE_EVENING);
    const file = join(await tempDir(), SPEND_FILE);
    const sent: string[] = [];
    const first = ledger(clock, { file, sent });
    const llm = meteredLlm(model(), first, 'pitch');
    while (first.summary().today.costUsd < BUDGET) await llm.object(Pitch, prompt(1), { name: 'pitch' });
    await budgetError(llm.object(Pitch, prompt(2), { name: 'pitch' }));
    await first.flush();

    const stored = await readSpendFile(file);
    expect(stored?.budgetUsd).toBe(BUDGET);
    expect(stored?.announcedOn).toBe('2026-01-05');
    expect(stored?.days['2026-01-05']?.pitch?.costUsd).toBe(first.summary().today.costUsd);

    // The next process (the next cron cycle) starts from the stored spend.
    const second = ledger(clock, { file, sent });
    const requests = modelRequests();
    await budgetError(meteredLlm(model(), second, 'leads').object(Pitch, prompt(3), { name: 'pitch' }));
    expect(modelRequests()).toBe(requests);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 1, announcedOn: '2026-01-05' });
  });
});

describe('a recipe over the engine, at the cap', () => {
  it('pauses model steps until midnight (no failed attempt), runs the rest, and loses no run', async () => {
    const clock = new ManualClock(LATE_EVENING);
    const sent: string[] = [];
    const spend = ledger(clock, { sent });
    const llm = meteredLlm(model(), spend, 'pitch');
    const log: string[] = [];
    const recipe = defineRecipe({
      name: 'pitch',
      input: z.object({ n: z.number() }),
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 10 },
      async run({ n }, ctx) {
        await ctx.step('no-model', () => void log.push(`no-model ${n}`));
        const first = await ctx.step('write', async () => (await llm.object(Pitch, prompt(n))).value);
        const second = await ctx.step(
          'rewrite',
          async () => (await llm.object(Pitch, prompt(n + 100))).value,
        );
        return [first.subject, second.subject];
      },
    });
    // One run at a time, so which call crosses the cap does not depend on timing.
    const t = await openTestEngine(await tempDir(), [recipe], { clock, concurrency: 1 });
    // About 11 calls fit in $0.01 at the emulator's token counts: 8 runs of 2 calls span two days.
    const runs = 8;
    for (let n = 1; n <= runs; n++) await t.engine.submit('pitch', `lead-${n}`, { n });
    await t.engine.drain();

    const all = await t.store.listRuns();
    const waiting = all.filter((r) => r.status === 'waiting');
    const done = all.filter((r) => r.status === 'done');
    expect(all.filter((r) => r.status === 'failed')).toEqual([]);
    expect(waiting.length).toBeGreaterThan(0);
    expect(done.length + waiting.length).toBe(runs);
    for (const run of waiting) {
      expect(run.wake).toMatchObject({ reason: 'paused', at: MIDNIGHT });
      expect(run.wake?.note).toMatch(/^LLM budget reached: \$0\.01\d* of \$0\.01 today/);
      const paused = run.journal.find((e) => e.status === 'pending');
      expect(paused).toMatchObject({ kind: 'step', attempts: 0, dueAt: MIDNIGHT });
    }
    // Steps that need no model ran in every run, paused or not.
    expect(log).toHaveLength(runs);
    expect(spend.summary().today.costUsd).toBeGreaterThanOrEqual(BUDGET);
    // One message for the day, however many runs were paused.
    expect(sent).toHaveLength(1);

    // Nothing moves before midnight.
    clock.set(MIDNIGHT - 1);
    await t.engine.drain();
    expect((await t.store.listRuns()).filter((r) => r.status === 'done')).toHaveLength(done.length);

    clock.set(MIDNIGHT);
    await t.engine.drain();
    const after = await t.store.listRuns();
    expect(after.map((r) => r.status)).toEqual(Array(runs).fill('done'));
    expect(log).toHaveLength(runs);
    for (const run of after) {
      expect(run.journal.filter((e) => e.kind === 'step').map((e) => [e.id, e.attempts])).toEqual([
        ['no-model', 1],
        ['write', 1],
        ['rewrite', 1],
      ]);
    }
    // Every model call made is counted exactly once, over the two days; day two stayed under the cap.
    expect(spend.summary().thisMonth.calls).toBe(modelRequests());
    expect(spend.summary().today.costUsd).toBeLessThan(BUDGET);
    expect(sent).toHaveLength(1);
    expect(modelRequests()).toBe(runs * 2);
    await t.close();
  });
});

describe('price settings', () => {
  const Env = z.object(LlmEnvFields).superRefine(checkLlmEnv);
  const problems = (env: Record<string, string>) => {
    const result = parseEnv(Env, { OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant-x', ...env });
    return result.ok ? [] : result.problems;
  };

  it('reads LLM_PRICES keyed provider:model, and OPENAI_PRICES as openai: keys under it', () => {
    const result = parseEnv(Env, {
      OPENAI_API_KEY: 'sk-x',
      LLM_PRICES: '{"openai:llama3.1":{"input":0,"output":0},"anthropic:claude-x":{"input":1,"output":2}}',
      OPENAI_PRICES: '{"llama3.1":{"input":9,"output":9},"qwen2.5":{"input":0.1,"output":0.2}}',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.LLM_PRICES).toEqual({
      'openai:llama3.1': { inputPerMillion: 0, outputPerMillion: 0 },
      'anthropic:claude-x': { inputPerMillion: 1, outputPerMillion: 2 },
    });
    expect(result.config.OPENAI_PRICES).toEqual({
      'openai:llama3.1': { inputPerMillion: 9, outputPerMillion: 9 },
      'openai:qwen2.5': { inputPerMillion: 0.1, outputPerMillion: 0.2 },
    });
  });

  it('names the setting and the entry when a price table is wrong', () => {
    expect(problems({ LLM_PRICES: '{openai:x}' })).toEqual([
      expect.stringMatching(/^LLM_PRICES is not valid JSON .* — e\.g\. \{"openai:llama3\.1"/),
    ]);
    expect(problems({ LLM_PRICES: '{"openai:x":{"input":-1,"output":1}}' })).toEqual([
      'LLM_PRICES \'openai:x\' input must be 0 or more (USD per 1M tokens) — each entry is {"input": USD, "output": USD} per 1M tokens',
    ]);
    expect(problems({ OPENAI_PRICES: '{"anthropic:claude-x":{"input":1,"output":1}}' })).toEqual([
      "OPENAI_PRICES 'anthropic:claude-x' is not an OpenAI-compatible model — put anthropic: prices in LLM_PRICES",
    ]);
    expect(problems({ BATON_LLM_DAILY_BUDGET: 'lots' })).toEqual([
      'BATON_LLM_DAILY_BUDGET must be an amount in US dollars per UTC day, e.g. 5 or 0.50',
    ]);
  });

  it('with a budget, refuses to start on a model without a price, naming LLM_PRICES', () => {
    const ollama = { LLM_MODEL: 'openai:llama3.1', OPENAI_BASE_URL: 'http://localhost:11434/v1' };
    expect(problems(ollama)).toEqual([]);
    expect(problems({ ...ollama, BATON_LLM_DAILY_BUDGET: '$5' })).toEqual([
      'LLM_PRICES has no price for openai:llama3.1, and BATON_LLM_DAILY_BUDGET needs one to count its spend — add it in USD per 1M tokens, e.g. LLM_PRICES={"openai:llama3.1":{"input":0,"output":0}} (0 for a local model)',
    ]);
    expect(
      problems({
        ...ollama,
        BATON_LLM_DAILY_BUDGET: '5',
        LLM_PRICES: '{"openai:llama3.1":{"input":0,"output":0}}',
      }),
    ).toEqual([]);
    expect(
      problems({
        ...ollama,
        BATON_LLM_DAILY_BUDGET: '5',
        OPENAI_PRICES: '{"llama3.1":{"input":0,"output":0}}',
      }),
    ).toEqual([]);
    // Models in the built-in table need nothing; an auditor without a price is named too.
    expect(
      problems({
        LLM_MODEL: 'openai:gpt-5-mini',
        AUDITOR_MODEL: 'anthropic:claude-x',
        BATON_LLM_DAILY_BUDGET: '1',
      }),
    ).toEqual([expect.stringMatching(/^LLM_PRICES has no price for anthropic:claude-x,/)]);
  });
});
