// The pitch with its writer on OpenAI and its auditor on Claude (both emulated): each role reaches
// its own provider, the journal says which, and a 529 storm on Claude delays but never fails a lead.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { FileStore } from '../../src/store/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pitchBaton, pitchWorld, statuses } from './pitch-world.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

const SPLIT = { LLM_MODEL: 'openai:gpt-4o-mini', AUDITOR_MODEL: 'anthropic:claude-sonnet-4-6' };

const leadsOf = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    Name: `${prefix} ${i + 1}`,
    Email: `${prefix.toLowerCase()}${i + 1}@leads.example`,
    Company: `${prefix} ${i + 1} Ltd`,
    Notes: 'Runs a bakery with two shops',
  }));

interface StepUsage {
  provider: string;
  model: string;
  totalTokens: number;
  costUsd?: number;
}

describe('pitch with the writer on OpenAI and the auditor on Claude', () => {
  it('sends every writer call to OpenAI, every audit to Anthropic, and journals provider, model, tokens and cost', async () => {
    world.openai.reset();
    world.anthropic.reset();
    const leads = leadsOf('Split', 3);
    for (const lead of leads) world.addLead(lead);
    const dir = await tempDir();

    const baton = await pitchBaton(world, dir, { env: SPLIT });
    await baton.runOnce('pitch');
    await baton.stop();

    expect(world.gmail.drafts().map((d) => d.to)).toEqual(expect.arrayContaining(leads.map((l) => l.Email)));
    for (const lead of leads) expect(statuses(world)[lead.Email]).toBe('In review');
    // Writer calls ask for the 'pitch' schema, auditor calls for the 'audit' one: each on its own API.
    expect(world.openai.calls.length).toBeGreaterThanOrEqual(leads.length);
    expect(world.openai.calls.every((c) => c.schemaName === 'pitch')).toBe(true);
    expect(world.anthropic.calls.length).toBeGreaterThanOrEqual(leads.length);
    expect(world.anthropic.calls.every((c) => c.model === 'claude-sonnet-4-6')).toBe(true);
    expect(world.anthropic.calls.every((c) => JSON.stringify(c.schema).includes('verdict'))).toBe(true);

    const store = new FileStore({ dir });
    await store.open({ readOnly: true });
    const runs = await store.listRuns({ recipe: 'pitch' });
    expect(runs).toHaveLength(leads.length);
    for (const run of runs) {
      const usage = (id: string) => run.journal.find((e) => e.id === id)?.annotations?.usage as StepUsage;
      expect(usage('write-pitch')).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
      expect(usage('audit')).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-6' });
      for (const id of ['write-pitch', 'audit']) {
        expect(usage(id).totalTokens).toBeGreaterThan(0);
        expect(usage(id).costUsd).toBeGreaterThan(0);
      }
    }
  });

  it('rides out a 529 storm on Claude mid-backlog: every lead finishes, one log line per outage', async () => {
    world.openai.reset();
    world.anthropic.reset();
    const leads = leadsOf('Storm', 8);
    for (const lead of leads) world.addLead(lead);
    const lines: { level: number; msg: string; service?: string }[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const log = createLogger({ level: 'info', pretty: false, destination });
    const dir = await tempDir();

    const baton = await pitchBaton(world, dir, {
      env: SPLIT,
      log,
      tuning: { pollIntervalMs: 100, breaker: { breakAfter: 4, pauseMs: 300 } },
    });
    baton.start();
    // Let the backlog start, then Claude answers 529 overloaded_error to every message for 2 s.
    const started = Date.now();
    while (world.anthropic.calls.length < 2 && Date.now() - started < 30_000)
      await new Promise((r) => setTimeout(r, 20));
    world.anthropic.overload(2000);
    const deadline = Date.now() + 90_000;
    const done = () => leads.every((l) => statuses(world)[l.Email] === 'In review');
    while (Date.now() < deadline && !done()) await new Promise((r) => setTimeout(r, 100));
    await baton.stop();

    expect(Object.fromEntries(leads.map((l) => [l.Email, statuses(world)[l.Email]]))).toEqual(
      Object.fromEntries(leads.map((l) => [l.Email, 'In review'])),
    );
    expect(world.anthropic.requests.filter().filter((r) => r.status === 529).length).toBeGreaterThan(3);
    // Each draft exactly once, despite the retries.
    for (const lead of leads) expect(world.gmail.drafts().filter((d) => d.to === lead.Email)).toHaveLength(1);
    const outage = lines.filter((l) => l.service === 'anthropic' && l.level >= 40);
    expect(outage.map((l) => l.msg)).toEqual(['anthropic keeps failing: pausing calls']);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  }, 120_000);
});
