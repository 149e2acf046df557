// The sandbox page end to end in headless Chromium: a visitor adds a lead, approves its review card,
// and sees the mail go out and the row marked Sent — the real Baton loop, driven from the page.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailFromCard } from '../../recipes/shared/review/index.ts';
import { type Sandbox, startSandbox } from '../../src/sandbox/run.ts';
import { launchChromium, type TestBrowser } from '../support/browser.ts';

const SLOW = { timeout: 45_000 }; // a loaded 2-core machine: waits are generous, never fixed sleeps

let sandbox: Sandbox;
let browser: TestBrowser;
let page: Page;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-sandbox-'));
  // No demo leads: the test's lead is the only one, well inside Sheets' 60 requests a minute.
  sandbox = await startSandbox({ port: 0, dataDir, pollIntervalMs: 1500, seed: false, print: () => {} });
  browser = await launchChromium();
  page = browser.page;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the sandbox page', () => {
  it('shows a lead added in the sheet as a review card, and sends it once the card is approved', async () => {
    const lead = {
      Name: 'Dana Whitfield',
      Email: 'dana@whitfieldflowers.example',
      Company: 'Whitfield Flowers',
      Notes:
        'Florist with two shops. <img src=x onerror="window.__injected=1"> Loses wedding orders in email.',
    };
    const cardName = `Pitch: ${lead.Name} (${lead.Company})`;

    await page.goto(sandbox.url);
    await expect(page.locator('header').textContent()).resolves.toContain('Nothing real is touched');
    for (const [field, value] of Object.entries(lead))
      await page.locator('#add-lead').getByLabel(field, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Add row to the sheet' }).click();

    // The row is in the sheet at once; Baton claims it, writes the pitch and puts a card in Review.
    const row = page.locator('#sheet tbody tr', { hasText: lead.Email });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('<img src=x onerror="window.__injected=1">');
    const inReview = page.locator(`[data-list="Review"] [data-card-name="${cardName}"]`);
    await inReview.waitFor(SLOW);
    const pitch = (await inReview.locator('.desc').textContent()) ?? '';
    expect(pitch).toContain('[sample]');
    expect(pitch).toContain(lead.Company);
    await row.locator('td.status', { hasText: 'In review' }).waitFor(SLOW);

    // The reviewer approves: the card moves, Baton sends the mail and marks the row Sent.
    await inReview.getByRole('button', { name: 'Move to Approved' }).click();
    await page.locator(`[data-list="Approved"] [data-card-name="${cardName}"]`).waitFor();
    const sent = page.locator(`#gmail-sent .mail[data-to="${lead.Email}"]`);
    await sent.waitFor(SLOW);
    // What the card says is what is sent: its Subject line as the subject, the rest as the body.
    const onCard = emailFromCard(pitch, '');
    expect(await sent.locator('.subject').textContent()).toBe(onCard.subject);
    expect(await sent.locator('.body').textContent()).toBe(onCard.body);
    const status = row.locator('td.status', { hasText: /^Sent \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/ });
    await status.waitFor(SLOW);

    // The run list tells the same story; the draft is gone; nothing the lead typed ran as markup.
    await page.locator('#runs [data-run-status="done"]', { hasText: lead.Name }).waitFor(SLOW);
    expect(await page.locator(`#gmail-drafts .mail[data-to="${lead.Email}"]`).count()).toBe(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __injected?: number }).__injected),
    ).toBeUndefined();
    expect(sandbox.world.gmail.sent().map((m) => m.to)).toEqual([lead.Email]);
  }, 90_000);
});
