// The pathway on the sandbox page (plain HTTP, as the page's forms post): a contact added in the
// Contacts form is routed by the running Baton; the tier views and the Slack channel show it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/run.ts';

let sandbox: Sandbox;
let dataDir: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-sandbox-'));
  sandbox = await startSandbox({ port: 0, dataDir, pollIntervalMs: 1000, seed: false, print: () => {} });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function post(path: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: sandbox.url },
    body: new URLSearchParams(fields).toString(),
  });
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

const contact = (email: string) =>
  sandbox.world.airtable
    .records(sandbox.world.airtableBaseId, 'Contacts')
    .find((r) => r.fields.Email === email);

describe('the pathway on the sandbox page', () => {
  it('routes a contact added in the form; the views, the Tier buttons and the Slack channel show it', async () => {
    sandbox.world.openai.respondWith((call) =>
      call.schemaName === 'contact_tier'
        ? call.messages.some((m) => m.content.includes('Name: Dana Lee'))
          ? { tier: 'VIP', confidence: 0.9, reason: 'Runs operations for 40 stores.' }
          : { tier: 'Standard', confidence: 0.3, reason: 'Not sure.' }
        : undefined,
    );
    // The pathway's first poll enables the recipe: contacts added after it are work. Waiting for
    // any Airtable request was not enough: other recipes poll first, and on a slow machine the
    // pathway's enable came after the contacts below, which it then rightly left alone.
    await until(
      () =>
        sandbox.world.airtable.requests
          .all()
          .some((r) => /Contacts.*IS_AFTER\(CREATED_TIME\(\)/.test(decodeURIComponent(r.path))),
      "the pathway's first poll",
    );
    expect(
      (await post('/airtable/contacts', { Name: 'Temp', Email: 'x@mailinator.com', Message: 'hi' })).status,
    ).toBe(303);
    await post('/airtable/contacts', {
      Name: 'Dana Lee',
      Email: 'dana@bigretail.example',
      Company: 'Big Retail',
      Value: '25,000',
      Message: 'Let us talk.',
    });
    await post('/airtable/contacts', { Name: 'Uri Unsure', Email: 'uri@shop.example', Message: 'Maybe?' });
    await until(
      () => contact('x@mailinator.com')?.fields.Status === 'Spam',
      'the disposable address is Spam',
    );
    await until(
      () => contact('dana@bigretail.example')?.fields.Status === 'VIP: in review',
      'Dana is in review',
    );
    await until(
      () => contact('uri@shop.example')?.fields.Status === 'Needs review',
      'Uri waits for a person',
    );
    expect(contact('dana@bigretail.example')?.fields.Value).toBe(25000);

    const page = async (query = '') => (await fetch(`${sandbox.url}/${query}`)).text();
    /** One panel of the page (other panels show the same addresses: drafts, cards). */
    const panel = (html: string, id: string) => {
      const start = html.indexOf(`id="${id}"`);
      return html.slice(start, html.indexOf('</section>', start));
    };
    const spam = panel(await page('?contacts=Spam'), 'contacts');
    expect(spam).toContain('x@mailinator.com');
    expect(spam).not.toContain('dana@bigretail.example');
    expect(panel(await page('?contacts=VIP'), 'contacts')).toContain('dana@bigretail.example');
    // The record says VIP: in review a moment before the alert goes out.
    await until(
      () => sandbox.world.slack.messages().some((m) => (m.text ?? '').startsWith('VIP Alert: Dana Lee')),
      'the VIP alert',
    );
    const review = await page('?contacts=Needs%20review');
    expect(panel(review, 'contacts')).toContain('Set Tier of Uri Unsure to VIP');
    expect(panel(review, 'contacts')).not.toContain('dana@bigretail.example');
    expect(panel(review, 'slack')).toContain('VIP Alert: Dana Lee (Big Retail)');

    // The Tier button is the person's decision.
    const uri = contact('uri@shop.example')!;
    await post(`/airtable/contacts/${uri.id}/tier`, { Tier: 'Standard' });
    await until(
      () => contact('uri@shop.example')?.fields.Status === 'Standard: in sequence',
      'Uri is routed',
    );
    expect((await post(`/airtable/contacts/${uri.id}/tier`, { Tier: 'Gold' })).status).toBe(303);
    expect(await page()).toContain('Tier is VIP, Standard or Spam');
  }, 240_000);
});
