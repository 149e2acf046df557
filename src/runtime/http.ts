// Baton's HTTP server (Hono): /healthz and /metrics, the runs dashboard when BATON_DASHBOARD_TOKEN is
// set, plus any routes a caller adds.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { type Clock, systemClock } from '../clock.ts';
import { dashboardApp } from '../web/dashboard/app.tsx';
import type { Baton } from './baton.ts';
import { type BatonMetrics, createMetrics } from './metrics.ts';

export interface HttpServerOptions {
  baton: Baton;
  /** More routes, mounted after /healthz, /metrics and the dashboard. */
  routes?: Hono;
  /** BATON_DASHBOARD_TOKEN: serves the runs dashboard (sign-in with this token) when set. */
  dashboardToken?: string | undefined;
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

/**
 * The ops app: `GET /healthz` (200 or 503 with a JSON report) and `GET /metrics` (Prometheus text
 * format), always open; with a dashboard token, the runs dashboard behind sign-in on every other
 * path; then the given routes. Unknown paths are a JSON 404.
 */
export function opsApp(options: HttpServerOptions & { metrics: BatonMetrics }): Hono {
  const { baton, metrics } = options;
  const clock = options.clock ?? systemClock;
  const app = new Hono();
  app.get('/healthz', async (c) => {
    const report = await checkHealth(baton, clock);
    c.header('cache-control', 'no-store');
    return c.json(report, report.status === 'ok' ? 200 : 503);
  });
  app.get('/metrics', async (c) =>
    c.text(await metrics.render(), 200, { 'content-type': metrics.contentType }),
  );
  app.all('/healthz', (c) => c.json({ error: 'method not allowed' }, 405));
  app.all('/metrics', (c) => c.json({ error: 'method not allowed' }, 405));
  if (options.dashboardToken) app.route('/', dashboardApp({ baton, token: options.dashboardToken }));
  else
    app.get('/', (c) =>
      c.json({ error: 'the dashboard is off: set BATON_DASHBOARD_TOKEN to serve it' }, 404),
    );
  if (options.routes) app.route('/', options.routes);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => c.json({ error: err.message }, 500));
  return app;
}

/** An HTTP server (not yet listening) for the ops app. Closing it stops the metrics. */
export function createHttpServer(options: HttpServerOptions): Server {
  const metrics = options.metrics ?? createMetrics(options.baton);
  const app = opsApp({ ...options, metrics });
  // Global Request/Response stay Node's own: the SDKs in this process use them.
  const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: false }) as Server;
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
