// `baton status` and the LLM spend ledger: today's and this month's tokens and cost per recipe (UTC),
// and the budget-reached line, read from the file the running process writes.
import { describe, expect, it } from 'vitest';
import { statusReport } from '../../src/cli/commands/status.ts';
import { formatStatus } from '../../src/cli/commands/status-format.ts';
import { ManualClock } from '../../src/clock.ts';
import { LlmBudgetReachedError, LlmSpend, SPEND_FILE } from '../../src/llm/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { llmUsage } from '../support/llm-usage.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

const usage = llmUsage;

/** A data folder whose ledger was written by a process with `budgetUsd`, over three days. */
async function seeded(budgetUsd: number | undefined): Promise<{ dir: string; clock: ManualClock }> {
  const dir = await tempDir();
  const store = new FileStore({ dir });
  await store.open();
  await store.close();
  const clock = new ManualClock(Date.UTC(2026, 0, 31, 12)); // last month: not in "this month"
  const spend = new LlmSpend({
    file: `${dir}/${SPEND_FILE}`,
    clock,
    ...(budgetUsd !== undefined ? { budgetUsd } : {}),
  });
  await spend.record('pitch', usage(100_000, 10_000, 0.5));
  clock.set(Date.UTC(2026, 1, 3, 9)); // earlier this month
  await spend.record('pitch', usage(2_000, 500, 0.01));
  clock.set(Date.UTC(2026, 1, 4, 21, 30)); // today
  await spend.record('pitch', usage(8_000, 1_000, 0.03));
  await spend.record('leads', usage(2_000, 345, 0.01));
  await spend.record('leads', usage(1_000, 0)); // a model without a price
  await spend.flush();
  return { dir, clock };
}

describe('baton status: LLM spend and budget', () => {
  it("shows today's and this month's tokens and estimated cost per recipe", async () => {
    const { dir, clock } = await seeded(undefined);
    const report = await statusReport(dir, clock.now());
    expect(report.llmSpend?.today).toMatchObject({
      calls: 3,
      promptTokens: 11_000,
      completionTokens: 1_345,
      costUsd: 0.04,
      unpriced: 1,
      byRecipe: [
        expect.objectContaining({ recipe: 'pitch', costUsd: 0.03 }),
        expect.objectContaining({ recipe: 'leads', costUsd: 0.01 }),
      ],
    });
    expect(report.llmSpend?.thisMonth).toMatchObject({ calls: 4, costUsd: 0.05 });
    expect(report.llmSpend?.budget).toBeUndefined();

    const text = formatStatus(report);
    expect(text).toContain(
      'LLM spend today: 12,345 tokens, $0.04 (pitch $0.03, leads $0.01, + 1 call(s) with no known price); this month: 14,845 tokens, $0.05 (pitch $0.04, leads $0.01, + 1 call(s) with no known price) (UTC)',
    );
    expect(text).not.toContain('budget');
  });

  it('says when the budget is reached and when model steps resume', async () => {
    const { dir, clock } = await seeded(0.04);
    const text = formatStatus(await statusReport(dir, clock.now()));
    expect(text).toContain('LLM budget reached: $0.04 of $0.04, resuming 00:00 UTC (in 3 h)');

    // The running process agrees: its next model call is refused until midnight.
    const spend = new LlmSpend({ file: `${dir}/${SPEND_FILE}`, clock, budgetUsd: 0.04 });
    await expect(spend.checkBudget()).rejects.toBeInstanceOf(LlmBudgetReachedError);
  });

  it('shows the budget and what is left under it before it is reached', async () => {
    const { dir, clock } = await seeded(5);
    const text = formatStatus(await statusReport(dir, clock.now()));
    expect(text).toContain('daily budget $5.00 (BATON_LLM_DAILY_BUDGET): $0.04 spent today');
    expect(text).not.toContain('LLM budget reached');
    // After midnight the day starts again at zero.
    const tomorrow = await statusReport(dir, Date.UTC(2026, 1, 5, 0, 1));
    expect(tomorrow.llmSpend?.today.costUsd).toBe(0);
    expect(tomorrow.llmSpend?.thisMonth.costUsd).toBe(0.05);
  });

  it('shows nothing about spend before the first counted call', async () => {
    const dir = await tempDir();
    const store = new FileStore({ dir });
    await store.open();
    await store.close();
    const report = await statusReport(dir, Date.UTC(2026, 1, 4));
    expect(report.llmSpend).toBeUndefined();
    expect(formatStatus(report)).not.toContain('LLM spend');
  });
});
