// Refuses state-changing requests sent by another site's page (cross-site form posts, CSRF).
import { createMiddleware } from 'hono/factory';
import { refusal } from '../refusal.tsx';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A POST (or any unsafe method) passes when its `Origin` names this server — the `Host` it was sent
 * to, or the `X-Forwarded-Host` a reverse proxy set — and is refused with 403 otherwise (including
 * `Origin: null`). Without `Origin` (curl, scripts with a bearer token) it passes unless the browser's
 * `Sec-Fetch-Site` says the request came from another site. Schemes are not compared: behind a
 * TLS-terminating proxy the browser says https and the server sees http.
 */
export const sameOrigin = () =>
  createMiddleware(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    const hosts = [c.req.header('host') ?? new URL(c.req.url).host, c.req.header('x-forwarded-host')];
    const fromHere =
      origin === undefined
        ? !['cross-site', 'same-site'].includes(c.req.header('sec-fetch-site') ?? '')
        : hosts.some((host) => host !== undefined && host === hostOf(origin));
    if (!fromHere) return refusal(c, 403, 'Forms from other sites are refused');
    await next();
  });

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host || undefined;
  } catch {
    return undefined;
  }
}
