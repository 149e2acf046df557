// The leads flow driven through the sandbox page's forms (no browser): a lead added in Airtable gets a
// dossier and a score, its outreach is approved and sent, "Advance the clock 48 h" sends the follow-up,
// and a reply as the lead marks it Replied; an unsure lead waits for the Tier a person sets.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/run.ts';

const SLOW = { timeout: 45_000, interval: 100 }; // a loaded 2-core machine: generous, never fixed sleeps

let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-sandbox-leads-'));
  sandbox = await startSandbox({ port: 0, dataDir, pollIntervalMs: 1000, seed: false, print: () => {} });
  // The offline model is unsure about one lead, so a person must pick its tier.
  sandbox.world.openai.respondWith((call) =>
    call.schemaName === 'lead_score' && call.messages.some((m) => m.content.includes('Name: Una Unsure'))
      ? { score: 7, confidence: 0.3, reasons: ['scripted: little evidence'] }
      : undefined,
  );
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function post(path: string, form: Record<string, string>): Promise<string> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { origin: sandbox.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return res.headers.get('location') ?? '';
}

const page = async (query = '') => (await fetch(`${sandbox.url}/${query}`)).text();
const record = (email: string) =>
  sandbox.world.airtable.records(sandbox.world.airtableBaseId, 'Leads').find((r) => r.fields.Email === email);
/** The record's Status; a failed run's error instead, so a failure says why. */
async function statusOf(email: string): Promise<string> {
  const text = String(record(email)?.fields.Status ?? '');
  const runId = /^Error: see `baton show (\S+)`/.exec(text)?.[1];
  const run = runId ? await sandbox.baton.store.getRun(runId) : undefined;
  return run ? `${text}: ${JSON.stringify(run.error)} ${JSON.stringify(run.journal.at(-1))}` : text;
}
const waitingOn = () =>
  sandbox.baton.engine
    .activeRuns()
    .filter((r) => r.recipe === 'leads' && r.status === 'waiting')
    .map((r) => r.wake?.stepId);
const sentTo = (email: string) => sandbox.world.gmail.sent().filter((m) => m.to === email);

describe('the leads flow on the sandbox page', () => {
  it('adds a lead, shows its dossier and score, sends the approved outreach, follows up 48 h later, and marks the reply', async () => {
    const email = 'priya@acme-analytics.example';
    expect(
      await post('/airtable/leads', {
        Name: 'Priya <b>Shah</b>',
        Email: email,
        Company: 'Acme Analytics',
        Website: 'https://acme-analytics.example',
        Notes: 'Weekly reports take a day by hand.',
      }),
    ).toBe('/#airtable');

    // Researched, scored, dossier written; the Hot view lists it with a link to the dossier.
    await vi.waitFor(async () => expect(await statusOf(email)).toBe('Hot: in review'), SLOW);
    const fields = record(email)!.fields;
    expect(fields).toMatchObject({ Tier: 'Hot' });
    expect(typeof fields.Score).toBe('number');
    const dossier = sandbox.world.notion
      .pages(sandbox.world.dossiers.dataSourceId)
      .find((p) => p.url === fields.Research)!;
    expect(dossier.title).toBe('Priya <b>Shah</b>');
    const hot = await page('?view=Hot');
    expect(hot).toContain('Priya &lt;b&gt;Shah&lt;/b&gt;');
    expect(hot).not.toContain('Priya <b>Shah</b>');
    expect(hot).toContain(`href="/?view=Hot&amp;dossier=${dossier.id}#notion"`);
    // The dossier rendered as a Notion page: its headings and bullets.
    const opened = await page(`?dossier=${dossier.id}`);
    expect(opened).toContain('<h4>Company profile</h4>');
    expect(opened).toContain('<h4>Score</h4>');
    expect(opened).toMatch(/<ul><li>/);
    // The demo website was read from its emulator, never from the real address its name resolves to.
    expect(opened).toContain('From https://acme-analytics.example/.');
    expect(sandbox.world.websites.visits('acme-analytics.example').length).toBeGreaterThan(0);
    expect(hot).toContain(`data-email="${email}"`);
    expect(await page('?view=Nurture')).not.toContain(`data-email="${email}"`);

    // Its deck, copied from the Slides template with the placeholders filled, is on the page.
    const home = await page();
    expect(home).toContain('data-deck="Acme Analytics — Sam from Sandbox Studio"');
    expect(home).toContain('<p>Acme Analytics × Sandbox Studio</p>');

    // The reviewer approves the outreach card: it is sent, with the booking link.
    const card = sandbox.world.trello.cards('Review').find((c) => c.name.startsWith('Outreach: Priya'))!;
    expect(await post(`/cards/${card.id}/move`, { list: 'Approved' })).toBe('/#board');
    await vi.waitFor(async () => expect(await statusOf(email)).toMatch(/^Hot: sent /), SLOW);
    const [outreach] = sentTo(email);
    expect(outreach!.text).toContain('https://cal.com/sandbox-studio/intro?');
    expect(outreach!.text).toContain('https://docs.google.com/presentation/d/');

    // Two days pass without an answer: one follow-up, in the same thread. (The run must be waiting for
    // the reply first: a jump before it starts waiting only moves the wait's deadline along.)
    await vi.waitFor(() => expect(waitingOn()).toContain('reply-1'), SLOW);
    const before = sandbox.clock.now();
    expect(await post('/clock/advance', {})).toBe('/');
    expect(sandbox.clock.now() - before).toBeGreaterThanOrEqual(48 * 3_600_000);
    await vi.waitFor(async () => expect(await statusOf(email)).toMatch(/^Follow-up sent /), SLOW);
    const mails = sentTo(email);
    expect(mails).toHaveLength(2);
    expect(new Set(mails.map((m) => m.threadId)).size).toBe(1);
    expect(await page()).toMatch(/Sandbox time .* \(48 h ahead\)/);

    // The lead answers the follow-up from the page.
    const followUp = mails.find((m) => m.inReplyTo)!;
    expect(await post(`/mail/${followUp.id}/reply`, { text: 'Yes, Tuesday works.' })).toBe('/#gmail');
    expect(sandbox.world.gmail.inbox()[0]).toMatchObject({ from: email, threadId: outreach!.threadId });
    await vi.waitFor(
      async () => expect(await statusOf(email)).toMatch(/^Replied \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      SLOW,
    );
    expect(sentTo(email)).toHaveLength(2);
  }, 120_000);

  it('lets no request leave the machine: a host that is not emulated is answered here', async () => {
    const res = await fetch('https://elsewhere.example/');
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('elsewhere.example is not emulated');
  });

  it('shows an unsure lead in Needs review until a person sets its Tier on the page', async () => {
    const email = 'una@quietfield.example';
    await post('/airtable/leads', {
      Name: 'Una Unsure',
      Email: email,
      Website: 'https://quietfield.example',
    });
    await vi.waitFor(async () => expect(await statusOf(email)).toBe('Needs review'), SLOW);
    const needsReview = await page('?view=Needs%20review');
    expect(needsReview).toContain('aria-label="Set Tier of Una Unsure to Nurture"');

    const id = record(email)!.id;
    expect(await post(`/airtable/records/${id}/tier`, { Tier: 'Nurture' })).toBe(
      '/?view=Needs%20review#airtable',
    );
    await vi.waitFor(async () => expect(await statusOf(email)).toBe('Nurture'), SLOW);
    expect(record(email)!.fields).toMatchObject({ Tier: 'Nurture', Sequence: 'nurture' });
    expect(await page('?view=Nurture')).toContain(`data-email="${email}"`);
    // A made-up tier is refused, and says so on the page.
    await post(`/airtable/records/${id}/tier`, { Tier: 'Lukewarm' });
    expect(await page()).toContain('Tier is Hot or Nurture');
  }, 90_000);
});
