// Refuses requests whose Host is not this machine, so a web page cannot reach a loopback server
// through DNS rebinding (its requests would carry the attacker's host name).
import { createMiddleware } from 'hono/factory';
import { refusal } from '../refusal.tsx';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for `127.0.0.1`, `localhost` and `[::1]`, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  return LOCAL_HOSTS.has(host.replace(/:\d+$/, '').toLowerCase());
}

/** 403 for any Host but this machine's; `what` names the server in the refusal. */
export const loopbackHost = (what: string) =>
  createMiddleware(async (c, next) => {
    if (!isLoopbackHost(c.req.header('host') ?? new URL(c.req.url).host))
      return refusal(c, 403, `${what} answers on 127.0.0.1 only`);
    await next();
  });
