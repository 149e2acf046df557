// The daily LLM budget on the pitch recipe, end to end on a simulated clock: at the cap, model steps
// wait for midnight UTC while the rest goes on; one Slack message; after midnight every lead is done.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusReport } from '../../src/cli/commands/status.ts';
import { formatStatus } from '../../src/cli/commands/status-format.ts';
import { openLlmSpend } from '../../src/cli/llm-spend.ts';
import { ManualClock } from '../../src/clock.ts';
import { readSpendFile, SPEND_FILE } from '../../src/llm/index.ts';
import { silentLogger } from '../../src/log.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { GMAIL_SEARCH_LAG_MS, pitchBaton, statuses } from './pitch-world.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 5, 21, 0));
const MIDNIGHT = Date.UTC(2026, 0, 6);
const world = createWorld({ limits: 'relaxed', clock });
world.gmail.searchLagMs = GMAIL_SEARCH_LAG_MS;
useEmulators(world.handlers());
const tempDir = useTempDirs();

/**
 * A $0.01 budget, and a price (LLM_PRICES, over the built-in table) at which one pitch call costs
 * about $0.004 at the emulator's token counts: the first lead's two calls fit, and the budget is
 * reached before the third lead's first call (any cost from $0.0025 to $0.005 a call does that).
 */
const env = {
  ...world.env,
  LLM_MODEL: 'openai:gpt-4o',
  LLM_PRICES: '{"openai:gpt-4o":{"input":6,"output":24}}',
  BATON_LLM_DAILY_BUDGET: '0.01',
};

const leads = [1, 2, 3].map((i) => ({
  Name: `Lead ${i}`,
  Email: `lead${i}@client${i}.example`,
  Company: `Client ${i} Ltd`,
  Notes: 'Runs a bakery with two shops',
}));

/** One cron cycle in a fresh process: its own ledger, opened from the data folder. */
async function cycle(dir: string): Promise<void> {
  const llmSpend = openLlmSpend({ dataDir: dir, env, log: silentLogger, clock });
  const baton = await pitchBaton(world, dir, { env, clock, llmSpend, concurrency: 1 });
  await baton.runOnce('pitch');
  await baton.stop();
  await llmSpend.flush();
  clock.advance(GMAIL_SEARCH_LAG_MS);
}

const budgetMessages = () => world.slack.messages().filter((m) => m.text?.startsWith('LLM budget reached'));
const modelCalls = () => world.openai.calls.length;

describe('pitch under a daily LLM budget', () => {
  it('waits for midnight at the cap, goes on with work that needs no model, and loses no lead', async () => {
    for (const lead of leads) world.addLead(lead);
    const dir = await tempDir();

    // Day 1: the budget is reached part-way; some leads wait with their model step unstarted.
    await cycle(dir);
    const day1 = statuses(world);
    const reviewed = leads.filter((l) => day1[l.Email] === 'In review');
    const held = leads.filter((l) => day1[l.Email] === 'Queued');
    expect(reviewed.length).toBeGreaterThan(0);
    expect(held.length).toBeGreaterThan(0);
    expect(reviewed.length + held.length).toBe(3);
    const spend = await readSpendFile(join(dir, SPEND_FILE));
    const spentDay1 = spend?.days['2026-01-05']?.pitch;
    expect(spentDay1?.costUsd).toBeGreaterThanOrEqual(0.01);
    expect(spentDay1?.calls).toBe(modelCalls());

    let store = new FileStore({ dir });
    await store.open({ readOnly: true });
    const waiting = (await store.listRuns()).filter((r) => r.wake?.reason === 'paused');
    // A run paused before its draft: its row still says Queued.
    expect(waiting).toHaveLength(held.length);
    for (const run of waiting) {
      expect(run.status).toBe('waiting');
      expect(run.wake?.at).toBe(MIDNIGHT);
      expect(run.journal.filter((e) => e.status === 'failed')).toEqual([]);
    }
    expect(budgetMessages()).toHaveLength(1);
    expect(budgetMessages()[0]?.text).toContain('Model steps wait until 00:00 UTC');

    const report = formatStatus(await statusReport(dir, clock.now()));
    expect(report).toMatch(/LLM budget reached: \$0\.01\d* of \$0\.01, resuming 00:00 UTC/);
    expect(report).toMatch(/LLM spend today: [\d,]+ tokens, \$0\.01\d* \(pitch \$0\.01\d*\)/);

    // Still day 1: a reviewer approves a pitch; sending needs no model, so it goes out now.
    const card = world.trello.cards('Review').find((c) => c.name.startsWith(`Pitch: ${reviewed[0]!.Name} `))!;
    world.trello.moveCard(card.id, 'Approved');
    const callsBefore = modelCalls();
    await cycle(dir);
    expect(world.gmail.sent().map((m) => m.to)).toEqual([reviewed[0]!.Email]);
    expect(statuses(world)[reviewed[0]!.Email]).toMatch(/^Sent /);
    expect(modelCalls()).toBe(callsBefore);
    for (const lead of held) expect(statuses(world)[lead.Email]).toBe('Queued');
    expect(budgetMessages()).toHaveLength(1);

    // After midnight (UTC) the next cycle resumes every paused run, and each lead gets its pitch.
    clock.set(MIDNIGHT + 60_000);
    await cycle(dir);
    const day2 = statuses(world);
    for (const lead of held) expect(day2[lead.Email]).toBe('In review');
    expect(
      world.gmail
        .drafts()
        .map((d) => d.to)
        .sort(),
    ).toEqual(
      leads
        .map((l) => l.Email)
        .filter((e) => e !== reviewed[0]!.Email)
        .sort(),
    );
    expect(world.trello.cards('Review')).toHaveLength(2);

    store = new FileStore({ dir });
    await store.open({ readOnly: true });
    const runs = await store.listRuns();
    expect(runs).toHaveLength(3);
    expect(runs.filter((r) => r.status === 'failed')).toEqual([]);
    expect(runs.filter((r) => r.wake?.reason === 'paused')).toEqual([]);
    // Each model step ran once and counts once: the ledger matches the model's requests.
    const after = await readSpendFile(join(dir, SPEND_FILE));
    const counted = Object.values(after?.days ?? {}).reduce((n, day) => n + (day.pitch?.calls ?? 0), 0);
    expect(counted).toBe(modelCalls());
    const steps = runs.flatMap((r) => r.journal.filter((e) => e.annotations?.usage !== undefined));
    expect(steps).toHaveLength(modelCalls());
    for (const step of steps) expect(step.attempts).toBe(1);
  });
});
