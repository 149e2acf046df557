// Lets a request through with the dashboard token: as a bearer header (scripts) or as the session
// cookie the login form sets (browsers). Others go to the login form (GET) or get a 401.
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { clientAddress } from '../client-address.ts';
import type { LoginLimiter } from '../login-limiter.ts';
import { refusal } from '../refusal.tsx';
import { SESSION_COOKIE, sameSecret, sessionValue } from '../token.ts';

export interface TokenAuthOptions {
  token: string;
  /** Counts wrong bearer tokens as failed sign-ins. */
  limiter: LoginLimiter;
  /** Where a browser without a session is sent (with `?next=` the page it asked for). */
  loginPath: string;
}

export const tokenAuth = (options: TokenAuthOptions) => {
  const session = sessionValue(options.token);
  return createMiddleware(async (c, next) => {
    const bearer = /^Bearer +(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer !== undefined) {
      const address = clientAddress(c);
      const wait = options.limiter.waitFor(address);
      if (wait > 0) {
        c.header('retry-after', String(Math.ceil(wait / 1000)));
        return c.json({ error: 'too many wrong tokens: wait a minute' }, 429);
      }
      if (sameSecret(bearer, options.token)) return next();
      options.limiter.failed(address);
      c.header('www-authenticate', 'Bearer realm="baton"');
      return c.json({ error: 'wrong token' }, 401);
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie !== undefined && sameSecret(cookie, session)) return next();
    if (c.req.method === 'GET' || c.req.method === 'HEAD')
      return c.redirect(`${options.loginPath}?next=${encodeURIComponent(c.req.path)}`, 303);
    return refusal(c, 401, 'Sign in first');
  });
};
