// `baton start` running for real: it serves /healthz and /metrics, keeps status.json for
// `baton status`, stops cleanly on SIGTERM, and refuses to start on a taken port.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { statusReport } from '../../src/cli/commands/status.ts';
import { type EmulatorServer, serveEmulators } from '../../src/sandbox/server.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { freePort } from '../support/ports.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const world = createWorld({ limits: 'relaxed' });
let emulators: EmulatorServer;
beforeAll(async () => {
  emulators = await serveEmulators(world.handlers());
});
afterAll(() => emulators.close());

function start(env: Record<string, string>) {
  const child = spawnTs('test/cli/start-worker.ts', [emulators.url], {
    ...world.env,
    LOG_LEVEL: 'info',
    BATON_POLL_INTERVAL: '1s',
    ...env,
  });
  return { child, done: finished(child) };
}

describe('baton start', () => {
  it('serves /healthz and /metrics, writes status.json, and stops cleanly on SIGTERM', async () => {
    const dir = await tempDir();
    const port = await freePort();
    const { child, done } = start({ BATON_DATA_DIR: dir, BATON_HTTP_PORT: String(port) });
    // A failed expectation must not leave the child holding the world's instance homes.
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await printed(child, 'serving health and metrics');

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const report = (await health.json()) as {
      status: string;
      pollers: { trigger: string; alive: boolean }[];
    };
    expect(report.status).toBe('ok');
    // The pitch's sheet, the review board every recipe shares, the leads table, the reply watcher,
    // the pathway's contacts table, the tables sequences enrol from (Leads and Contacts), the
    // newsletter's weekly schedule, the content recipe's video folder.
    expect(report.pollers.map((p) => p.trigger.split(/[:@]/)[0])).toEqual([
      'sheets',
      'trello',
      'airtable',
      'gmail',
      'airtable',
      'sequence',
      'sequence',
      'newsletter',
      'drive',
    ]);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(metrics).toMatch(/^baton_runs\{recipe="pitch",state="waiting"\} 0$/m);
    expect(metrics).toContain('process_resident_memory_bytes');

    const running = await statusReport(dir, Date.now());
    expect(running.process).toMatchObject({ state: 'running', pid: child.pid });
    expect(running.pollers.map((p) => p.recipe)).toEqual([
      'pitch',
      'pitch',
      'leads',
      'leads',
      'pathway',
      'sequence',
      'sequence',
      'newsletter',
      'content',
    ]);

    child.kill('SIGTERM');
    const exit = await done;
    expect(exit.code).toBe(0);
    expect((await statusReport(dir, Date.now())).process).toMatchObject({ state: 'stopped' });
  }, 90_000); // a child `baton start` loading every shipped recipe on a loaded 2-core machine

  it('refuses to run when its HTTP port is taken, saying which variable to change', async () => {
    const dir = await tempDir();
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const { port } = taken.address() as { port: number };
    try {
      const exit = await start({ BATON_DATA_DIR: dir, BATON_HTTP_PORT: String(port) }).done;
      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(`✗ Cannot serve /healthz and /metrics on 127.0.0.1:${port} (EADDRINUSE)`);
      expect(exit.stderr).toContain('BATON_HTTP_PORT');
    } finally {
      await new Promise((done) => taken.close(done));
    }
  }, 90_000); // a child `baton start` loading every shipped recipe on a loaded 2-core machine
});
