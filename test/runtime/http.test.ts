// The ops HTTP server: /healthz says whether pollers are alive and the store writable (with the
// reason when not), /metrics speaks Prometheus, and other modules can add routes.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import { defineRecipe } from '../../src/engine/index.ts';
import { closeServer, createHttpServer, listen } from '../../src/runtime/http.ts';
import { Baton } from '../../src/runtime/index.ts';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { FileStore } from '../../src/store/index.ts';
import type { PollResult, Trigger } from '../../src/triggers/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const INTERVAL = 60_000;

/** A trigger whose polls can be made to hang, as a poll stuck on a dead connection would. */
class Rows implements Trigger {
  readonly id = 'rows';
  readonly intervalMs = INTERVAL;
  hang = false;
  #release: (() => void) | undefined;
  poll(): Promise<PollResult> {
    if (!this.hang) return Promise.resolve({ items: [] });
    return new Promise((resolve) => {
      this.#release = () => resolve({ items: [] });
    });
  }
  /** Lets a hanging poll finish (so the test's Baton can stop). */
  unblock(): void {
    this.hang = false;
    this.#release?.();
  }
}

const servers: Server[] = [];
const batons: Baton[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
  await Promise.all(batons.splice(0).map((b) => b.stop(0)));
});

async function serve(options: { start?: boolean } = {}) {
  const dir = await tempDir();
  const clock = new ManualClock();
  const rows = new Rows();
  const recipe = defineRecipe({ name: 'greet', triggers: [rows], input: z.object({}), async run() {} });
  const baton = new Baton({ store: new FileStore({ dir }), recipes: [recipe], clock });
  await baton.open();
  batons.push(baton);
  if (options.start ?? true) {
    baton.start();
    await vi.waitFor(() => expect(baton.pollers()[0]?.state.polls).toBe(1));
  }
  const server = createHttpServer({
    baton,
    clock,
    metrics: createMetrics(baton, { processMetrics: false }),
    routes: new Hono().get('/hello/:name', (c) => c.json({ hi: c.req.param('name') })),
  });
  servers.push(server);
  const url = await listen(server, 0, '127.0.0.1');
  const get = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${url}${path}`, init);
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };
  return { dir, clock, rows, baton, get };
}

describe('/healthz', () => {
  it('is 200 while the pollers poll and the store can be written', async () => {
    const { get } = await serve();
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toMatchObject({
      status: 'ok',
      reasons: [],
      storeWritable: true,
      pollers: [{ recipe: 'greet', trigger: 'rows', alive: true, consecutiveErrors: 0 }],
    });
  });

  it('is 503 naming the trigger that stopped polling for more than 3 intervals', async () => {
    const { get, clock, rows, baton } = await serve();
    const started = clock.now();
    rows.hang = true;
    clock.advance(INTERVAL); // the next poll starts, and does not return
    await vi.waitFor(() => expect(baton.pollers()[0]?.state.lastPollAt).toBe(started + INTERVAL));
    clock.advance(3 * INTERVAL);
    expect((await get('/healthz')).status).toBe(200); // exactly 3 intervals: still within the allowance
    clock.advance(1000);
    const health = await get('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toMatchObject({
      status: 'unhealthy',
      reasons: ['trigger rows has not polled for 181 s'],
      pollers: [{ trigger: 'rows', alive: false }],
    });
    rows.unblock();
  });

  it('is 503 when the data folder cannot be written', async () => {
    const { get, dir } = await serve();
    // Where the health probe writes is now a folder: the write fails as on a full or read-only disk.
    await rm(join(dir, '.write-check'), { force: true });
    await mkdir(join(dir, '.write-check'));
    await writeFile(join(dir, '.write-check', 'keep'), '');
    const health = await get('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toMatchObject({
      reasons: ['the data folder cannot be written'],
      storeWritable: false,
    });
  });

  it('is 503 before Baton has started', async () => {
    const { get } = await serve({ start: false });
    const health = await get('/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text).reasons).toEqual(['Baton has not started']);
  });
});

describe('the server', () => {
  it('serves Prometheus text on /metrics', async () => {
    const { get } = await serve();
    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toContain('# TYPE baton_polls_total counter');
    expect(metrics.text).toContain('baton_polls_total{recipe="greet",trigger="rows"} 1');
    expect(metrics.text).toContain('baton_runs{recipe="greet",state="waiting"} 0');
  });

  it('answers routes other modules add, and 404/405 for the rest', async () => {
    const { get } = await serve();
    expect(JSON.parse((await get('/hello/page')).text)).toEqual({ hi: 'page' });
    expect((await get('/nothing-here')).status).toBe(404);
    expect((await get('/healthz', { method: 'POST' })).status).toBe(405);
  });

  it('serves no dashboard without BATON_DASHBOARD_TOKEN, and says how to turn it on', async () => {
    const { get } = await serve();
    const root = await get('/');
    expect(root.status).toBe(404);
    expect(JSON.parse(root.text).error).toContain('set BATON_DASHBOARD_TOKEN');
  });
});
