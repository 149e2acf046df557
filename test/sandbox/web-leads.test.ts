// The leads flow in headless Chromium: a visitor adds a lead in the Airtable form, opens its dossier
// from the Hot view, approves the outreach card, advances the clock 48 h and replies as the lead.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/run.ts';
import { launchChromium, type TestBrowser } from '../support/browser.ts';

const SLOW = { timeout: 45_000 }; // a loaded 2-core machine: waits are generous, never fixed sleeps

let sandbox: Sandbox;
let browser: TestBrowser;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-sandbox-'));
  sandbox = await startSandbox({ port: 0, dataDir, pollIntervalMs: 1500, seed: false, print: () => {} });
  browser = await launchChromium();
  page = browser.page;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the leads flow on the sandbox page', () => {
  it('turns a lead added in Airtable into a dossier, a sent outreach, a follow-up and a reply', async () => {
    const lead = {
      Name: 'Priya Shah',
      Email: 'priya@acme-analytics.example',
      Company: 'Acme Analytics',
      Website: 'https://acme-analytics.example',
      Notes: 'Weekly reports by hand. <img src=x onerror="window.__injected=1">',
    };
    await page.goto(sandbox.url);
    const form = page.locator('#add-airtable-lead');
    for (const [field, value] of Object.entries(lead))
      await form.getByLabel(field, { exact: true }).fill(value);
    await form.getByRole('button', { name: 'Add record to Airtable' }).click();

    // The Hot view lists it once Baton has scored it; its Research link opens the dossier page.
    await page.locator('#airtable a[data-view="Hot"]').click();
    const row = page.locator(`#airtable tr[data-email="${lead.Email}"]`);
    await row.locator('td.tier', { hasText: 'Hot' }).waitFor(SLOW);
    expect(Number(await row.locator('td.score').textContent())).toBeGreaterThan(8);
    await row.getByRole('link', { name: 'Dossier' }).click();
    const dossier = page.locator('#notion .notion-page');
    await expect(dossier.locator('.notion-title').textContent()).resolves.toBe(lead.Name);
    await dossier.locator('h4', { hasText: 'Competitive research' }).waitFor();
    await expect(dossier.textContent()).resolves.toContain('<img src=x onerror="window.__injected=1">');

    // Approve the outreach card; the mail goes out and the record says so.
    const card = page.locator(
      `[data-list="Review"] [data-card-name="Outreach: ${lead.Name} (${lead.Company})"]`,
    );
    await card.waitFor(SLOW);
    await card.getByRole('button', { name: 'Move to Approved' }).click();
    const sent = page.locator(`#gmail-sent .mail[data-to="${lead.Email}"]`);
    await sent.first().waitFor(SLOW);
    await row.locator('td.status', { hasText: /^Hot: sent / }).waitFor(SLOW);
    await expect
      .poll(() => sandbox.baton.engine.activeRuns().map((r) => r.wake?.stepId), SLOW)
      .toContain('reply-1');

    // Two days later: the follow-up, in the same thread.
    await page.getByRole('button', { name: 'Advance the clock 48 h' }).click();
    await row.locator('td.status', { hasText: /^Follow-up sent / }).waitFor(SLOW);
    await expect(sent.count()).resolves.toBe(2);

    // The lead answers the follow-up from the page.
    const followUp = sent.first();
    await followUp.getByText('Reply as the lead').click();
    await followUp.getByLabel(`Reply from ${lead.Email}`).fill('Tuesday at 10 works.');
    await followUp.getByRole('button', { name: `Send reply as ${lead.Email}` }).click();
    await page.locator(`#gmail-inbox .mail[data-from="${lead.Email}"]`).waitFor();
    await row.locator('td.status', { hasText: /^Replied / }).waitFor(SLOW);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __injected?: number }).__injected),
    ).toBeUndefined();
  }, 120_000);
});
