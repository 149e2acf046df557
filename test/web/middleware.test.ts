// The web layer's security middleware, each on a tiny app: loopback Host, same-origin POSTs, the
// nonce CSP, token sign-in (bearer or session cookie), and the failed-login limiter.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { LoginLimiter } from '../../src/web/login-limiter.ts';
import { loopbackHost } from '../../src/web/middleware/loopback-host.ts';
import { type PageVariables, pageHeaders } from '../../src/web/middleware/page-headers.ts';
import { sameOrigin } from '../../src/web/middleware/same-origin.ts';
import { tokenAuth } from '../../src/web/middleware/token-auth.ts';
import { SESSION_COOKIE, sameSecret, sessionValue } from '../../src/web/token.ts';

const ok = (app: Hono) => app.all('*', (c) => c.text('ok'));

describe('loopbackHost', () => {
  const app = ok(new Hono().use(loopbackHost('The page')));
  it.each(['127.0.0.1:8787', 'localhost:8787', '[::1]:8787', 'localhost'])(
    'answers Host %s',
    async (host) => {
      expect((await app.request('/', { headers: { host } })).status).toBe(200);
    },
  );
  it('refuses any other Host, as a DNS-rebinding page would send it', async () => {
    const res = await app.request('/', { headers: { host: 'attacker.example:8787' } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('The page answers on 127.0.0.1 only');
  });
});

describe('sameOrigin', () => {
  const app = ok(new Hono().use(sameOrigin()));
  const post = (headers: Record<string, string>) =>
    app.request('http://127.0.0.1:9464/runs/x/retry', {
      method: 'POST',
      headers: { host: '127.0.0.1:9464', ...headers },
    });

  it("lets the page's own forms through", async () => {
    expect((await post({ origin: 'http://127.0.0.1:9464' })).status).toBe(200);
  });
  it('lets a script without Origin through (curl with a bearer token)', async () => {
    expect((await post({})).status).toBe(200);
  });
  it('accepts the public origin a reverse proxy forwards, even over https', async () => {
    expect(
      (await post({ origin: 'https://baton.example.com', 'x-forwarded-host': 'baton.example.com' })).status,
    ).toBe(200);
  });
  it.each([
    ['another port on the same machine', { origin: 'http://127.0.0.1:8000' }],
    ['another site', { origin: 'https://attacker.example' }],
    ['an opaque origin', { origin: 'null' }],
    ['a cross-site fetch without Origin', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a POST from %s', async (_, headers) => {
    const res = await post(headers);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Forms from other sites are refused');
  });
  it('leaves GETs alone', async () => {
    expect((await app.request('/', { headers: { origin: 'https://attacker.example' } })).status).toBe(200);
  });
});

describe('pageHeaders', () => {
  const app = new Hono<{ Variables: PageVariables }>()
    .use(pageHeaders())
    .get('/', (c) => c.html(`<script nonce="${c.var.nonce}"></script>`));

  it('gives each response a fresh nonce that the CSP allows, and nothing else to run', async () => {
    const [first, second] = await Promise.all([app.request('/'), app.request('/')]);
    const nonce = /nonce="([^"]+)"/.exec(await first!.text())?.[1];
    const csp = first!.headers.get('content-security-policy') ?? '';
    expect(nonce).toMatch(/^[\w+/]{22}==$/);
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(second!.headers.get('content-security-policy')).not.toContain(nonce);
    expect(first!.headers.get('cache-control')).toBe('no-store');
    expect(first!.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('tokenAuth', () => {
  const token = 'correct-horse-battery-staple-1234';
  const clock = new ManualClock();
  const limiter = new LoginLimiter({ clock });
  const app = ok(new Hono().use(tokenAuth({ token, limiter, loginPath: '/login' })));

  it('lets a script in with the token as a bearer header, and says 401 to a wrong one', async () => {
    expect((await app.request('/', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    const wrong = await app.request('/', { headers: { authorization: 'Bearer guess' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await wrong.text()).not.toContain(token);
  });
  it('lets a browser in with the session cookie, which is not the token itself', async () => {
    expect(sessionValue(token)).not.toContain(token);
    const cookie = `${SESSION_COOKIE}=${sessionValue(token)}`;
    expect((await app.request('/runs/abc', { headers: { cookie } })).status).toBe(200);
    const forged = `${SESSION_COOKIE}=${sessionValue('another-token-entirely-xx')}`;
    expect((await app.request('/runs/abc', { headers: { cookie: forged } })).status).toBe(303);
  });
  it('sends a browser without a session to the login form, remembering the page', async () => {
    const res = await app.request('/runs/abc');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fruns%2Fabc');
    expect((await app.request('/runs/abc/retry', { method: 'POST' })).status).toBe(401);
  });
  it('stops answering wrong bearer tokens after five in a minute', async () => {
    const guessing = new LoginLimiter({ clock });
    const guarded = ok(new Hono().use(tokenAuth({ token, limiter: guessing, loginPath: '/login' })));
    const guess = () => guarded.request('/', { headers: { authorization: 'Bearer guess' } });
    for (let i = 0; i < 5; i++) expect((await guess()).status).toBe(401);
    const blocked = await guess();
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('60');
    clock.advance(60_001);
    expect((await guess()).status).toBe(401);
  });
});

describe('the token comparison', () => {
  it('is equality, whatever the lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
    expect(sameSecret('abc'.repeat(100), 'abc')).toBe(false);
  });
});
