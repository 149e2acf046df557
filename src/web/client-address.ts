// The address a request came from (the proxy's, behind a reverse proxy), for the login limiter.
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

export function clientAddress(c: Context): string {
  const env = c.env as Partial<HttpBindings> | undefined;
  return env?.incoming?.socket.remoteAddress ?? 'unknown';
}
