// Sign-in and sign-out: the login form checks the token (constant time, rate-limited per address)
// and sets the session cookie: HttpOnly, SameSite=Strict, Secure when the page is served over https.
import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { clientAddress } from '../client-address.ts';
import type { LoginLimiter } from '../login-limiter.ts';
import type { PageVariables } from '../middleware/page-headers.ts';
import { SESSION_COOKIE, sameSecret, sessionValue } from '../token.ts';
import { LoginPage } from './login-page.tsx';

const SESSION_DAYS = 30;

/** Only a path on this server, so the login form cannot send a visitor elsewhere. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[\w\-/.~%]*$/.test(next) ? next : '/';
}

export function loginRoutes(options: { token: string; limiter: LoginLimiter }) {
  const app = new Hono<{ Variables: PageVariables }>();
  app.get('/login', (c) => c.html(<LoginPage nonce={c.var.nonce} next={safeNext(c.req.query('next'))} />));

  app.post('/login', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const next = safeNext(form.get('next') ?? undefined);
    const address = clientAddress(c);
    const wait = options.limiter.waitFor(address);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      c.header('retry-after', String(seconds));
      const problem = `Too many wrong tokens: try again in ${seconds} s.`;
      return c.html(<LoginPage nonce={c.var.nonce} next={next} problem={problem} />, 429);
    }
    if (!sameSecret(form.get('token') ?? '', options.token)) {
      options.limiter.failed(address);
      const problem = 'That is not the dashboard token.';
      return c.html(<LoginPage nonce={c.var.nonce} next={next} problem={problem} />, 401);
    }
    options.limiter.succeeded(address);
    setCookie(c, SESSION_COOKIE, sessionValue(options.token), {
      path: '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https',
      maxAge: SESSION_DAYS * 86_400,
    });
    return c.redirect(next, 303);
  });

  app.post('/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/login', 303);
  });
  return app;
}
