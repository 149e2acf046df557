// The sequence on the sandbox page: a lead scored Nurture is enrolled in `nurture`, gets its first
// email at once, the Sequences panel shows when the next one is due, and "Advance the clock 48 h"
// twice sends it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/run.ts';
import { utcTime } from '../../src/web/run-words.ts';

// Every recipe polls the sandbox's Airtable base, whose 5 requests a second pace them all: on a busy
// 2-core machine a lead takes most of a minute from the form to its first email.
const SLOW = { timeout: 90_000, interval: 100 };
const DAY = 86_400_000;
let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-sandbox-sequence-'));
  sandbox = await startSandbox({ port: 0, dataDir, pollIntervalMs: 1000, seed: false, print: () => {} });
  sandbox.world.openai.respondWith((call) => {
    if (call.schemaName === 'lead_score') return { score: 3, confidence: 0.9, reasons: ['scripted: early'] };
    if (call.schemaName === 'sequence_audit')
      return { verdict: 'PASS', confidence: 0.9, problems: [], corrections: '' };
    return undefined;
  });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function post(path: string, form: Record<string, string> = {}): Promise<void> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { origin: sandbox.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
}
const page = async () => (await fetch(`${sandbox.url}/`)).text();
const record = (email: string) =>
  sandbox.world.airtable.records(sandbox.world.airtableBaseId, 'Leads').find((r) => r.fields.Email === email);
const sequencesPanel = (html: string) =>
  /<section[^>]*id="sequences"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

describe('sequences on the sandbox page', () => {
  it('enrols a Nurture lead, shows its next email, and sends it when the clock moves', async () => {
    const email = 'nadia@harbor-coffee.example';
    await post('/airtable/leads', { Name: 'Nadia Nurture', Email: email, Company: 'Harbor Coffee' });
    await vi.waitFor(
      () => expect(String(record(email)?.fields['Sequence status'])).toMatch(/^Step 1 of 3 sent /),
      SLOW,
    );
    // The run now sleeps (in the thread, so a reply wakes it) until its next step.
    const enrolled = await vi.waitFor(() => {
      const run = sandbox.baton.engine.activeRuns().find((r) => r.recipe === 'sequence');
      expect(run?.wake?.at).toBeDefined();
      return run!;
    }, SLOW);
    const panel = sequencesPanel(await page());
    expect(panel).toContain('Nadia Nurture');
    expect(panel).toContain('nurture');
    // The next email is due 3 days after enrolment.
    expect(panel).toContain(utcTime(enrolled!.wake!.at));
    expect(enrolled!.wake!.at! - sandbox.clock.now()).toBeGreaterThan(3 * DAY - 60_000);

    await post('/clock/advance');
    await post('/clock/advance');
    await vi.waitFor(
      () => expect(String(record(email)?.fields['Sequence status'])).toMatch(/^Step 2 of 3 sent /),
      SLOW,
    );
    const sent = sandbox.world.gmail.sent().filter((m) => m.to === email);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.threadId).toBe(sent[0]!.threadId);
  }, 240_000);
});
