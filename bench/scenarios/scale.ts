// Scale-out throughput (issue 17): the same pitch backlog worked by 1 and by N `baton start`
// processes sharing one Redis, in real time, with the model emulated at 2 s per call and every other
// limit relaxed, so the model's latency is what one process is bound by. Prints leads per minute and
// the speed-up (goal: ≥ 2.5× with 3 workers) with the pitch recipe as shipped (its limit of 4 runs at
// once applies per worker), and with BATON_GROUP_CONCURRENCY=pitch=4 holding the whole group to one
// worker's 4 (so that round should be no faster than one worker).
// Usage: node --import tsx bench/scenarios/scale.ts [--workers 3] [--rows 60] [--model-latency-ms 2000]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { startRedis } from '../lib/redis-server.ts';
import { lead, statusByEmail } from '../lib/system.ts';

const WORKER = fileURLToPath(new URL('../lib/scale-worker.ts', import.meta.url));
const GOAL = 2.5;

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '3' },
    rows: { type: 'string', default: '60' },
    'model-latency-ms': { type: 'string', default: '2000' },
  },
});
const workers = Number(values.workers);
const rows = Number(values.rows);
const modelLatencyMs = Number(values['model-latency-ms']);
if (!Number.isInteger(workers) || workers < 2) throw new Error('--workers must be a whole number ≥ 2');
if (!Number.isInteger(rows) || rows < 1) throw new Error('--rows must be a whole number ≥ 1');
if (!Number.isFinite(modelLatencyMs) || modelLatencyMs < 0) throw new Error('--model-latency-ms must be ≥ 0');

function startWorker(serverUrl: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, serverUrl], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (d) => {
      seen += d;
      if (seen.includes('started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it started`)));
  });
}

/**
 * Seconds from the backlog's arrival to every row `In review`, with `count` workers; `groupLimit`
 * is BATON_GROUP_CONCURRENCY for the pitch recipe.
 */
async function round(count: number, groupLimit?: number): Promise<number> {
  const world = createWorld({ limits: 'relaxed', modelLatencyMs });
  const server = await serveEmulators(world.handlers());
  const redis = await startRedis();
  const dirs = Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'baton-bench-scale-')));
  const children: ChildProcess[] = [];
  try {
    for (const dir of dirs) {
      children.push(
        await startWorker(server.url, {
          ...world.env,
          BATON_REDIS_URL: redis.url,
          BATON_DATA_DIR: dir,
          BATON_POLL_INTERVAL: '1s',
          LOG_LEVEL: process.env.BENCH_LOG ?? 'warn',
          ...(groupLimit ? { BATON_GROUP_CONCURRENCY: `pitch=${groupLimit}` } : {}),
        }),
      );
    }
    // The backlog arrives once every worker is up, so start-up is not in the figure.
    const emails: string[] = [];
    for (let i = 1; i <= rows; i++) {
      const row = lead(i);
      world.addLead(row);
      emails.push(row.Email ?? '');
    }
    const from = performance.now();
    const deadline = from + 30 * 60_000;
    for (;;) {
      const statuses = statusByEmail(world);
      if (emails.every((e) => statuses.get(e) === 'In review')) break;
      if (performance.now() > deadline)
        throw new Error(`${count} worker(s): backlog unfinished after 30 min`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return (performance.now() - from) / 1000;
  } finally {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    await redis.stop();
    await server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const perMinute = (seconds: number) => Math.round((rows / seconds) * 60 * 10) / 10;
const line = (label: string, seconds: number) =>
  `  ${label.padEnd(34)} ${seconds.toFixed(1).padStart(6)} s  (${perMinute(seconds)} leads/min)`;
const verdict = (speedup: number) =>
  `${speedup}×  (goal ≥ ${GOAL}× with 3 workers: ${speedup >= GOAL ? 'met' : 'missed'})`;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const one = await round(1);
const shipped = await round(workers);
const capped = await round(workers, 4);
process.stdout.write(
  [
    `scale-out backlog: ${rows} leads, model ${modelLatencyMs} ms per call, other limits relaxed`,
    line('1 worker', one),
    line(`${workers} workers`, shipped),
    line(`${workers} workers, group limit pitch=4`, capped),
    `  speed-up:                 ${verdict(ratio(one, shipped))}`,
    `  speed-up, group limit 4:  ${ratio(one, capped)}×  (the group held to one worker's 4 runs at once)`,
    '',
  ].join('\n'),
);
process.exit(0);
