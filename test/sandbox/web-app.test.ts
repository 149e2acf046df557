// The sandbox page's app without a browser: its security (loopback Host, same-origin forms, nonce
// CSP) and post/redirect/get with a one-time notice when the world refuses a form.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import { TravelClock } from '../../src/sandbox/travel-clock.ts';
import { sandboxApp } from '../../src/sandbox/web/index.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const HOST = '127.0.0.1:8787';
const batons: Baton[] = [];
afterEach(async () => {
  await Promise.all(batons.splice(0).map((b) => b.stop(0)));
});

async function page() {
  const clock = new TravelClock();
  const world = createWorld({ limits: 'relaxed', clock });
  const baton = new Baton({ store: new FileStore({ dir: await tempDir() }), recipes: [] });
  await baton.open();
  batons.push(baton);
  const app = sandboxApp({ world, baton, clock, tab: 'Leads', log: silentLogger });
  const get = (headers: Record<string, string> = {}) =>
    app.request(`http://${HOST}/`, { headers: { host: HOST, ...headers } });
  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    app.request(`http://${HOST}${path}`, {
      method: 'POST',
      headers: {
        host: HOST,
        origin: `http://${HOST}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
  return { world, get, post };
}

describe('the sandbox page app', () => {
  it('adds a lead from the form and redirects back to the sheet (post/redirect/get)', async () => {
    const { world, post } = await page();
    const res = await post('/leads', { Name: 'Dana', Email: 'dana@example.com' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/#sheet');
    expect(world.sheets.rows(world.spreadsheetId, 'Leads')[1]?.slice(0, 2)).toEqual([
      'Dana',
      'dana@example.com',
    ]);
  });

  it('shows why a form was refused once, escaped, then no more', async () => {
    const { get, post } = await page();
    expect((await post('/cards/<nope>/move', { list: 'Approved' })).status).toBe(303);
    const first = await (await get()).text();
    expect(first).toContain('<p class="notice" role="alert">That card no longer exists</p>');
    expect(await (await get()).text()).not.toContain('class="notice"');
  });

  it('refuses a form posted from another site, and a Host that is not this machine', async () => {
    const { world, get, post } = await page();
    const forged = await post(
      '/leads',
      { Name: 'X', Email: 'x@example.com' },
      { origin: 'https://attacker.example' },
    );
    expect(forged.status).toBe(403);
    expect(world.sheets.rows(world.spreadsheetId, 'Leads')).toHaveLength(1);
    expect((await get({ host: 'rebound.attacker.example:8787' })).status).toBe(403);
  });

  it("lets only the page's own script and style run", async () => {
    const { get } = await page();
    const res = await get();
    const html = await res.text();
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    expect(html).toContain(`<style nonce="${nonce}">`);
    expect(res.headers.get('content-security-policy')).toContain(
      `script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'`,
    );
  });
});
