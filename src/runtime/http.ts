// Baton's small HTTP server: /healthz and /metrics, plus any routes a caller adds (the sandbox page).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../clock.ts';
import type { Baton } from './baton.ts';
import { type BatonMetrics, createMetrics } from './metrics.ts';

/** One route: exact `path` (or a RegExp on the path) and method. Thrown errors become a JSON 500. */
export interface HttpRoute {
  method: string;
  path: string | RegExp;
  handle(request: IncomingMessage, response: ServerResponse, url: URL): unknown;
}

export interface HttpServerOptions {
  baton: Baton;
  /** More routes, checked after /healthz and /metrics, in order. */
  routes?: readonly HttpRoute[];
  /** Default: metrics over the Baton and the services its recipes declared. */
  metrics?: BatonMetrics;
  clock?: Clock;
}

export interface PollerHealth {
  recipe: string;
  trigger: string;
  alive: boolean;
  lastPollAt?: string;
  consecutiveErrors: number;
  lastError?: string;
}

export interface HealthReport {
  status: 'ok' | 'unhealthy';
  /** Why it is unhealthy, in plain words (empty when ok). */
  reasons: string[];
  storeWritable: boolean;
  pollers: PollerHealth[];
}

/**
 * Healthy when Baton has started, every poller polled within 3 of its intervals (or is waiting out a
 * scheduled backoff), and the store can be written. A poller whose polls fail is alive — restarting
 * would not fix bad credentials — and its error is in the report.
 */
export async function checkHealth(baton: Baton, clock: Clock = systemClock): Promise<HealthReport> {
  const now = clock.now();
  const reasons: string[] = [];
  const started = baton.startedAt;
  if (started === undefined) reasons.push('Baton has not started');
  const pollers = baton.pollers().map(({ recipe, intervalMs, state }): PollerHealth => {
    const last = state.lastPollAt ?? started ?? now;
    const scheduled = state.nextPollAt !== undefined && now <= state.nextPollAt + intervalMs;
    const alive = started !== undefined && (now - last <= 3 * intervalMs || scheduled);
    if (started !== undefined && !alive)
      reasons.push(`trigger ${state.trigger} has not polled for ${Math.round((now - last) / 1000)} s`);
    return {
      recipe,
      trigger: state.trigger,
      alive,
      ...(state.lastPollAt !== undefined ? { lastPollAt: new Date(state.lastPollAt).toISOString() } : {}),
      consecutiveErrors: state.consecutiveErrors,
      ...(state.lastError ? { lastError: state.lastError } : {}),
    };
  });
  const storeWritable = await baton.store.writable();
  if (!storeWritable) reasons.push('the data folder cannot be written');
  return { status: reasons.length === 0 ? 'ok' : 'unhealthy', reasons, storeWritable, pollers };
}

/** Writes `body` as JSON with `status`. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(text);
}

/**
 * An HTTP server (not yet listening) answering `GET /healthz` (200 or 503 with a JSON report),
 * `GET /metrics` (Prometheus text format) and the given routes; anything else is a 404.
 */
export function createHttpServer(options: HttpServerOptions): Server {
  const { baton } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createMetrics(baton);
  const builtIn: HttpRoute[] = [
    {
      method: 'GET',
      path: '/healthz',
      handle: async (_request, response) => {
        const report = await checkHealth(baton, clock);
        sendJson(response, report.status === 'ok' ? 200 : 503, report);
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handle: async (_request, response) => {
        const text = await metrics.render();
        response.writeHead(200, { 'content-type': metrics.contentType });
        response.end(text);
      },
    },
  ];
  const routes = [...builtIn, ...(options.routes ?? [])];

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const matches = routes.filter((r) =>
      typeof r.path === 'string' ? r.path === url.pathname : r.path.test(url.pathname),
    );
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const route = matches.find((r) => r.method === method);
    if (!route) {
      sendJson(response, matches.length > 0 ? 405 : 404, {
        error: matches.length > 0 ? 'method not allowed' : 'not found',
      });
      return;
    }
    Promise.resolve()
      .then(() => route.handle(request, response, url))
      .catch((err: unknown) => {
        if (response.headersSent) response.end();
        else sendJson(response, 500, { error: (err as Error).message });
      });
  });
  server.on('close', () => metrics.close());
  return server;
}

/**
 * Starts listening; resolves with the base URL.
 * @throws Error with code EADDRINUSE (port taken) or EACCES (port below 1024) from Node.
 */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shown}:${address.port}`);
    });
  });
}

/** Stops accepting connections and closes idle keep-alive ones. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
