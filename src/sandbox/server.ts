// Serves emulator handlers over local HTTP (msw's getResponse), so a Baton process — this one or a
// child — can reach the emulated services through the bridge (bridge.ts). Anything else goes to the
// `fallback` app (the sandbox page).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono } from 'hono';
import { getResponse, type RequestHandler } from 'msw';
import { EMULATED_PREFIX, REFUSED_PREFIX, refusal } from './bridge-paths.ts';

export { EMULATED_PREFIX } from './bridge-paths.ts';

export interface EmulatorServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Answers requests that are not for an emulator (the sandbox page). */
export type Fallback = (request: Request) => Response | Promise<Response>;

/**
 * The emulators as a Hono app: `/__emulated/*` to msw's handlers, `/__refused/<host>` answered 502
 * (the bridge sends there what must not leave the machine), the rest to `fallback`.
 */
export function emulatorApp(
  handlers: readonly RequestHandler[],
  fallback?: Fallback,
): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.all(`${EMULATED_PREFIX}*`, async (c) => {
    // From the raw URL, not c.req.path: the path's percent-encoding must reach the emulator as sent.
    const { pathname, search } = new URL(c.req.url);
    const rest = pathname.slice(EMULATED_PREFIX.length);
    const slash = rest.indexOf('/');
    const url = `${rest.slice(0, slash)}://${rest.slice(slash + 1)}${search}`;
    const headers = new Headers(c.req.raw.headers);
    headers.delete('host');
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.arrayBuffer();
    const request = new Request(url, { method: c.req.method, headers, ...(body ? { body } : {}) });
    const response = await getResponse([...handlers], request);
    if (!response) return c.text(`No emulator answers ${c.req.method} ${url}`, 501);
    if (response.type === 'error') {
      // An injected dropped connection: end the socket without an answer, as a network fault would.
      c.env.outgoing.destroy();
      return RESPONSE_ALREADY_SENT;
    }
    const out = new Headers(response.headers);
    for (const name of ['content-encoding', 'transfer-encoding', 'content-length']) out.delete(name);
    return new Response(await response.arrayBuffer(), { status: response.status, headers: out });
  });
  app.all(`${REFUSED_PREFIX}:host`, async (c) => {
    // Read first: answering before the request's body is in could reset the connection instead.
    await c.req.arrayBuffer();
    return c.text(refusal(c.req.param('host')), 502);
  });
  app.all('*', (c) => (fallback ? fallback(c.req.raw) : c.text('Not an emulated service URL', 404)));
  app.onError((err, c) => c.text(`Emulator failed: ${err.message}`, 500));
  return app;
}

/** Starts the server on 127.0.0.1 (never another interface); port 0 picks a free one. */
export async function serveEmulators(
  handlers: readonly RequestHandler[],
  options: { port?: number; host?: string; fallback?: Fallback } = {},
): Promise<EmulatorServer> {
  const app = emulatorApp(handlers, options.fallback);
  // Global Request/Response stay Node's own: msw and the SDKs in this process use them.
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
