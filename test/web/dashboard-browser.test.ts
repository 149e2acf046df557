// The runs dashboard in headless Chromium: sign in with the token, find the failed run, see a
// cross-site form refused, then retry the run from its page and watch it finish.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, type TestBrowser } from '../support/browser.ts';
import { DASHBOARD_TOKEN, type DashboardFixture, serveDashboard } from '../support/dashboard.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
let dashboard: DashboardFixture;
let browser: TestBrowser;
let attacker: Server;
let attackerUrl: string;

beforeAll(async () => {
  dashboard = await serveDashboard(await tempDir(), { start: true });
  browser = await launchChromium();
  // Another site (another port is another origin) whose page posts a form to the dashboard.
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      `<form id="f" method="post" action="${dashboard.url}/runs/${dashboard.runId}/retry"></form>
       <script>document.getElementById('f').submit()</script>`,
    );
  });
  await new Promise<void>((done) => attacker.listen(0, '127.0.0.1', done));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => attacker?.close(done));
  await dashboard?.close();
});

describe('the runs dashboard', () => {
  it('signs in with the token, refuses a cross-site form, and retries a failed run from its page', async () => {
    const { page } = browser;
    const { url, runId } = dashboard;

    await page.goto(url);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('Dashboard token').fill('a wrong guess');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'That is not the dashboard token.' }).waitFor();
    await page.getByLabel('Dashboard token').fill(DASHBOARD_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const row = page.locator(`#runs tr[data-run-id="${runId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-run-status')).toBe('failed');
    expect(await row.textContent()).toContain('Gmail refused the draft');

    // A page on another origin posts the Retry form with the visitor's cookie: refused.
    await page.goto(attackerUrl);
    await page.getByText('Forms from other sites are refused').waitFor();
    expect((await dashboard.baton.store.getRun(runId))?.status).toBe('failed');

    // From the dashboard itself the same button works: Baton picks the command up and the run finishes.
    await page.goto(url);
    await row.getByRole('link').click();
    expect(await page.locator('#run').getAttribute('data-run-status')).toBe('failed');
    dashboard.failing.now = false;
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('status').filter({ hasText: 'Retry requested' }).waitFor();
    await vi.waitFor(
      async () => {
        await page.reload();
        expect(await page.locator('#run').getAttribute('data-run-status')).toBe('done');
      },
      { timeout: 30_000, interval: 1000 },
    );
    expect(await page.locator('form[action$="/retry"]').count()).toBe(0);
  }, 90_000);
});
