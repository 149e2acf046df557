// The runs dashboard over HTTP, as a browser and a script use it: sign-in with the token (cookie or
// bearer), the runs by recipe and state, a run's page, Retry through the command inbox, and what stays
// open (/healthz, /metrics) or closed (everything else) without the token.
import { afterEach, describe, expect, it } from 'vitest';
import {
  CARD_URL,
  type DashboardFixture,
  serveDashboard,
  DASHBOARD_TOKEN as TOKEN,
} from '../support/dashboard.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const fixtures: DashboardFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

async function open() {
  const fixture = await serveDashboard(await tempDir());
  fixtures.push(fixture);
  const at = (path: string, init: RequestInit = {}) =>
    fetch(`${fixture.url}${path}`, { redirect: 'manual', ...init });
  const login = (token: string, headers: Record<string, string> = {}) =>
    at('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: fixture.url, ...headers },
      body: new URLSearchParams({ token, next: `/runs/${fixture.runId}` }).toString(),
    });
  return { ...fixture, at, login };
}

describe('without the token', () => {
  it('serves only /healthz and /metrics; pages send a browser to the login form', async () => {
    const { at, runId } = await open();
    expect((await at('/metrics')).status).toBe(200);
    expect([200, 503]).toContain((await at('/healthz')).status);
    const page = await at(`/runs/${runId}`);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`/login?next=%2Fruns%2F${runId}`);
    expect((await at('/')).headers.get('location')).toBe('/login?next=%2F');
    expect((await at('/anything-else')).status).toBe(303);
    expect((await at(`/runs/${runId}/retry`, { method: 'POST' })).status).toBe(401);
    const form = await (await at('/login')).text();
    expect(form).toContain('name="token"');
    expect(form).not.toContain(TOKEN);
  });
});

describe('signing in', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie and goes back to the page asked for', async () => {
    const { login, runId } = await open();
    const res = await login(TOKEN);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/runs/${runId}`);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^baton_session=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
    expect(cookie).not.toContain(TOKEN);
  });

  it('marks the cookie Secure behind an https reverse proxy', async () => {
    const { login } = await open();
    const res = await login(TOKEN, { 'x-forwarded-proto': 'https' });
    expect(res.headers.get('set-cookie')).toContain('Secure');
  });

  it('refuses a wrong token, then every try for a minute after five wrong ones', async () => {
    const { login } = await open();
    const wrong = await login('not-the-token');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('That is not the dashboard token.');
    for (let i = 0; i < 4; i++) await login('still-wrong');
    const blocked = await login(TOKEN);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await blocked.text()).toContain('Too many wrong tokens');
  });

  it('refuses a login form posted from another site', async () => {
    const { login } = await open();
    const res = await login(TOKEN, { origin: 'https://attacker.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('signed in', () => {
  it('lists runs by recipe and state, and shows a failed run with its steps, error, tokens, cost and links', async () => {
    const { at, runId } = await open();
    const bearer = { headers: { authorization: `Bearer ${TOKEN}` } };
    const list = await (await at('/', bearer)).text();
    expect(list).toMatch(/<tr data-recipe="pitch">.*<td data-count="failed"><a href="[^"]*">1<\/a>/s);
    expect(list).toContain(`<tr data-run-id="${runId}" data-run-status="failed">`);
    expect(list).toContain('Ada Lovelace · ada@example.com');
    expect(list).toContain('Gmail refused the draft: 400 Invalid To header');
    expect(await (await at('/?state=done', bearer)).text()).not.toContain(`data-run-id="${runId}"`);

    const page = await (await at(`/runs/${runId}`, bearer)).text();
    expect(page).toContain('data-run-status="failed"');
    expect(page).toMatch(/<tr data-step="write-pitch">.*200 tokens \(gpt-4o-mini\) · \$0\.0003/s);
    expect(page).toMatch(/<tr data-step="send">.*Gmail refused the draft/s);
    expect(page).toContain('200 tokens · $0.0003 estimated');
    expect(page).toContain(`<a href="${CARD_URL}" rel="noopener noreferrer" target="_blank">Trello card</a>`);
    expect(page).toContain(`action="/runs/${runId}/retry"`);
    expect(page).not.toContain(TOKEN);
    expect((await at('/runs/no-such-run', bearer)).status).toBe(404);
  });

  it('retries a failed run through the command inbox, as `baton retry` does', async () => {
    const { at, login, runId, baton, failing } = await open();
    const cookie = ((await login(TOKEN)).headers.get('set-cookie') ?? '').split(';')[0]!;
    const before = await (await at('/', { headers: { cookie } })).text();
    expect(before).toContain(`<tr data-run-id="${runId}" data-run-status="failed">`);
    const elsewhere = { cookie, origin: 'http://127.0.0.1:8000' }; // a page on another port: another origin
    expect((await at(`/runs/${runId}/retry`, { method: 'POST', headers: elsewhere })).status).toBe(403);
    const own = await at(`/runs/${runId}/retry`, { method: 'POST', headers: { cookie } });
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toBe(`/runs/${runId}?notice=retry`);
    expect(await (await at(own.headers.get('location')!, { headers: { cookie } })).text()).toContain(
      'Retry requested',
    );

    failing.now = false;
    await baton.runOnce(); // Baton's next cycle applies the command
    expect((await baton.store.getRun(runId))?.status).toBe('done');
    const list = await (await at('/?state=done', { headers: { cookie } })).text();
    expect(list).toContain(`<tr data-run-id="${runId}" data-run-status="done">`);
    const done = await at(`/runs/${runId}/retry`, { method: 'POST', headers: { cookie } });
    expect(done.status).toBe(409);
  });
});
