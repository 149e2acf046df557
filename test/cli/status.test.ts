// `baton status`: read while Baton runs (it owns the data folder), after it stopped or crashed, and
// with runs, waits and today's LLM usage counted from the journals.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { showStatus, statusReport } from '../../src/cli/commands/status.ts';
import { runtimeConfig } from '../../src/cli/environment.ts';
import { ManualClock } from '../../src/clock.ts';
import { defineRecipe, type JournalEntry, type RunRecord } from '../../src/engine/index.ts';
import { Baton } from '../../src/runtime/index.ts';
import { FileStore } from '../../src/store/index.ts';
import type { PollResult, Trigger } from '../../src/triggers/index.ts';
import { finished } from '../support/child.ts';
import { runRecord } from '../support/run-record.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

/** 15 January 2026, 15:00 in the machine's time zone: "today" for the seeded journals. */
const NOW = new Date(2026, 0, 15, 15, 0, 0).getTime();
const at = (day: number, hour: number) => new Date(2026, 0, day, hour, 0, 0).getTime();

function llmStep(id: string, endedAt: number, usage: Record<string, unknown>): JournalEntry {
  return {
    id,
    kind: 'step',
    status: 'done',
    attempts: 1,
    startedAt: endedAt - 1000,
    endedAt,
    annotations: { usage },
  };
}

const run = (id: string, status: RunRecord['status'], extra: Partial<RunRecord> = {}): RunRecord =>
  runRecord(id, status, { createdAt: at(14, 9), updatedAt: at(15, 9), ...extra });

async function seed(dir: string): Promise<void> {
  const store = new FileStore({ dir });
  await store.open();
  const usage = (prompt: number, completion: number, costUsd?: number) => ({
    model: 'gpt-4o-mini',
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: prompt + completion,
    ...(costUsd !== undefined ? { costUsd } : {}),
  });
  await store.saveRun(
    run('pitch-sent', 'done', {
      journal: [
        llmStep('write-pitch', at(14, 20), usage(5000, 500, 0.00105)), // yesterday: not counted
        llmStep('audit', at(15, 8), usage(1200, 100, 0.00024)),
      ],
    }),
  );
  await store.saveRun(
    run('pitch-review', 'waiting', {
      journal: [llmStep('write-pitch', at(15, 10), usage(1000, 300, 0.00033))],
      wake: { reason: 'signal', stepId: 'decision-1', key: 'trello:card:c1', at: at(29, 10) },
    }),
  );
  await store.saveRun(
    run('pitch-retrying', 'waiting', { wake: { reason: 'retry', stepId: 'create-card', at: at(15, 14) } }),
  );
  await store.saveRun(
    run('pitch-sleeping', 'waiting', { wake: { reason: 'sleep', stepId: 'follow-up', at: at(16, 9) } }),
  );
  await store.saveRun(
    run('pitch-local', 'failed', {
      journal: [
        {
          ...llmStep('write-pitch', at(15, 11), {
            model: 'llama3.1',
            promptTokens: 800,
            completionTokens: 200,
            totalTokens: 1000,
          }),
        },
      ],
      error: { name: 'StepFailedError', message: "Step 'create-draft' failed" },
    }),
  );
  await store.close();
}

class Rows implements Trigger {
  readonly id = 'sheets:1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789:Leads';
  readonly intervalMs = 60_000;
  async poll(): Promise<PollResult> {
    return { items: [] };
  }
}

const idle = defineRecipe({ name: 'pitch', triggers: [new Rows()], input: z.object({}), async run() {} });

describe('baton status', () => {
  it('counts runs by state, waits due, and the LLM tokens and cost of steps that ended today', async () => {
    const dir = await tempDir();
    await seed(dir);
    const report = await statusReport(dir, NOW);
    expect(report.process).toEqual({ state: 'never' });
    expect(report.runs).toEqual({ queued: 0, running: 0, waiting: 3, done: 1, failed: 1, cancelled: 0 });
    expect(report.waits.dueNow.map((w) => w.runId)).toEqual(['pitch-retrying']);
    expect(report.waits.next24h.map((w) => w.runId)).toEqual(['pitch-sleeping']);
    expect(report.waits.onSignal).toBe(1);
    expect(report.llmToday).toMatchObject({
      since: at(15, 0),
      promptTokens: 1200 + 1000 + 800,
      completionTokens: 100 + 300 + 200,
      costUsd: 0.00057,
      unpriced: 1,
      models: ['gpt-4o-mini', 'llama3.1'],
    });

    const lines: string[] = [];
    await showStatus(
      runtimeConfig({ BATON_DATA_DIR: dir }),
      {},
      { out: (t) => lines.push(...t.split('\n')) },
      NOW,
    );
    const text = lines.join('\n');
    expect(text).toContain('Baton has not run with');
    expect(text).toContain('Runs      0 queued, 0 running, 3 waiting, 1 failed, 1 done, 0 cancelled');
    expect(text).toMatch(
      /Waits {5}1 due now, 1 due in the next 24 h \(next: pitch-sleeping sleep 'follow-up' in 18 h\)/,
    );
    expect(text).toContain("due: pitch-retrying retry of 'create-card' 1 h ago");
    expect(text).toContain(
      'LLM today 3,600 tokens (3,000 prompt + 600 completion), about $0.0006 (+ 1 step(s) with no known price)',
    );
  });

  it("splits today's tokens and cost per provider and model (writer on OpenAI, auditor on Claude)", async () => {
    const dir = await tempDir();
    const store = new FileStore({ dir });
    await store.open();
    const usage = (provider: string | undefined, model: string, prompt: number, costUsd: number) => ({
      ...(provider ? { provider } : {}),
      model,
      promptTokens: prompt,
      completionTokens: 100,
      totalTokens: prompt + 100,
      costUsd,
    });
    await store.saveRun(
      run('pitch-split', 'done', {
        journal: [
          llmStep('write-pitch', at(15, 8), usage('openai', 'gpt-4o-mini', 1000, 0.0002)),
          llmStep('audit', at(15, 9), usage('anthropic', 'claude-sonnet-4-6', 2000, 0.0075)),
        ],
      }),
    );
    // Journaled before providers were recorded: counted as OpenAI's.
    await store.saveRun(
      run('pitch-old', 'done', {
        journal: [llmStep('write-pitch', at(15, 7), usage(undefined, 'gpt-4o-mini', 500, 0.0001))],
      }),
    );
    await store.close();

    const report = await statusReport(dir, NOW);
    expect(report.llmToday.byModel).toEqual([
      {
        provider: 'anthropic',
        model: 'claude-sonnet-4-6',
        promptTokens: 2000,
        completionTokens: 100,
        costUsd: 0.0075,
        unpriced: 0,
      },
      {
        provider: 'openai',
        model: 'gpt-4o-mini',
        promptTokens: 1500,
        completionTokens: 200,
        costUsd: 0.0003,
        unpriced: 0,
      },
    ]);
    const lines: string[] = [];
    await showStatus(
      runtimeConfig({ BATON_DATA_DIR: dir }),
      {},
      { out: (t) => lines.push(...t.split('\n')) },
      NOW,
    );
    expect(lines).toContain('          anthropic:claude-sonnet-4-6 2,100 tokens, about $0.0075');
    expect(lines).toContain('          openai:gpt-4o-mini 1,700 tokens, about $0.0003');
  });

  it('shows the pollers of the running Baton without taking its data folder, then its clean stop', async () => {
    const dir = await tempDir();
    const clock = new ManualClock(NOW);
    const baton = new Baton({ store: new FileStore({ dir }), recipes: [idle], clock });
    await baton.open();
    baton.start();
    await vi.waitFor(() => expect(baton.pollers()[0]?.state.polls).toBe(1));
    await baton.publishStatus(join(dir, 'status.json'));

    const running = await statusReport(dir, NOW + 5000);
    expect(running.process).toMatchObject({
      state: 'running',
      pid: process.pid,
      startedAt: NOW,
      writtenAt: NOW,
    });
    expect(running.pollers).toEqual([
      expect.objectContaining({
        recipe: 'pitch',
        trigger: 'sheets:1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789:Leads',
        polls: 1,
        lastPollAt: NOW,
        nextPollAt: NOW + 60_000,
        consecutiveErrors: 0,
      }),
    ]);
    const lines: string[] = [];
    await showStatus(runtimeConfig({ BATON_DATA_DIR: dir }), {}, { out: (t) => lines.push(t) }, NOW + 5000);
    expect(lines.join('\n')).toMatch(/Baton is running: pid \d+ .* status written 5 s ago/);
    expect(lines.join('\n')).toContain('pitch  sheets:1AbCdE…:Leads  last 2026-');
    expect(lines.join('\n')).toContain('next in 55 s  ✓ 1 poll(s)');

    await baton.stop();
    expect((await statusReport(dir, NOW + 6000)).process).toMatchObject({ state: 'stopped' });
  });

  it('says when the process that wrote the status is gone without a clean stop', async () => {
    const dir = await tempDir();
    const child = spawn(process.execPath, ['-e', '']);
    await finished(child);
    const status = {
      version: 1,
      pid: child.pid,
      host: hostname(),
      startedAt: NOW - 60_000,
      writtenAt: NOW - 30_000,
      pollers: [],
    };
    await writeFile(join(dir, 'status.json'), JSON.stringify(status));
    const report = await statusReport(dir, NOW);
    expect(report.process).toMatchObject({ state: 'gone', pid: child.pid });
  });

  it('answers `baton status --json` from the command line', async () => {
    const dir = await tempDir();
    await seed(dir);
    const result = await finished(
      spawn(process.execPath, ['bin/baton.js', 'status', '--json'], {
        env: { ...process.env, LOG_LEVEL: 'silent', BATON_DATA_DIR: dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { runs: Record<string, number> };
    expect(report.runs.waiting).toBe(3);
  });
});
