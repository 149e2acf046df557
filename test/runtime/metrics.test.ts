// /metrics over the pitch recipe in the emulated world: polls, runs by state, step failures, 429s
// by service and LLM tokens, counted from what really happened (faults injected in the emulators).
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { pitchBaton, pitchWorld } from '../recipes/pitch-world.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

/** The value of one sample in Prometheus text, e.g. `value(text, 'baton_runs', { state: 'waiting' })`. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('metrics', () => {
  it('count polls, runs by state, step failures, 429s by service and LLM tokens', async () => {
    const dir = await tempDir();
    const baton = await pitchBaton(world, dir);
    const metrics = createMetrics(baton, { processMetrics: false });
    world.addLead({ Name: 'Ada Lovelace', Email: 'ada@example.com', Company: 'Analytical Engines' });
    world.openai.faults.failNext(1, 429); // answered with a 429 once: the client backs off and retries
    world.gmail.faults.failNext(4, 500); // the draft step's first attempt runs out of client retries
    await baton.runOnce('pitch');
    const text = await metrics.render();
    await baton.stop();
    metrics.close();

    const sheetsPolls = text
      .split('\n')
      .find((l) => l.startsWith('baton_polls_total{recipe="pitch",trigger="sheets:'));
    expect(sheetsPolls).toMatch(/ 1$/);
    expect(value(text, 'baton_runs', { recipe: 'pitch', state: 'waiting' })).toBe(1); // waiting for the reviewer
    expect(value(text, 'baton_runs', { recipe: 'pitch', state: 'queued' })).toBe(0);
    expect(value(text, 'baton_step_failures_total', { recipe: 'pitch' })).toBe(1);
    expect(value(text, 'baton_service_rate_limited_total', { service: 'openai' })).toBe(1);
    expect(value(text, 'baton_service_rate_limited_total', { service: 'gmail' })).toBe(0);
    expect(value(text, 'baton_service_requests_total', { service: 'trello' })).toBeGreaterThan(0);
    expect(value(text, 'baton_service_paused', { service: 'sheets' })).toBe(0);
    const prompt = value(text, 'baton_llm_tokens_total', { model: 'gpt-4o-mini', kind: 'prompt' }) ?? 0;
    const completion =
      value(text, 'baton_llm_tokens_total', { model: 'gpt-4o-mini', kind: 'completion' }) ?? 0;
    expect(prompt).toBeGreaterThan(0);
    expect(completion).toBeGreaterThan(0);
    expect(value(text, 'baton_llm_cost_usd_total', { model: 'gpt-4o-mini' })).toBeCloseTo(
      (prompt * 0.15 + completion * 0.6) / 1e6,
      8,
    );
  });

  it('take the runs already in the data folder as their baseline after a restart', async () => {
    const dir = await tempDir();
    let baton = await pitchBaton(world, dir);
    world.addLead({ Name: 'Grace Hopper', Email: 'grace@example.com', Company: 'Navy' });
    await baton.runOnce('pitch');
    await baton.stop();

    baton = await pitchBaton(world, dir);
    const metrics = createMetrics(baton, { processMetrics: false });
    await baton.runOnce('pitch');
    const text = await metrics.render();
    await baton.stop();
    metrics.close();
    expect(value(text, 'baton_runs', { recipe: 'pitch', state: 'waiting' })).toBeGreaterThanOrEqual(1);
    expect(value(text, 'baton_llm_tokens_total', { kind: 'prompt' })).toBeUndefined(); // nothing new was written
    expect(value(text, 'baton_step_failures_total')).toBeUndefined();
  });
});
