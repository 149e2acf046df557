// Start-up and idle memory: a `baton start` in a fresh child process (compiled, as `npm start` runs it)
// against the emulators served from this process; time from spawning it until every trigger has
// polled once, and its RSS a moment later with no work. Real time, real RSS.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { type Figures, runScenario } from '../lib/cli.ts';
import { mb } from '../lib/system.ts';

// The compiled build (`npm run build`, what `npm start` runs) when present; else the sources via tsx.
const COMPILED = fileURLToPath(new URL('../../dist/bench/lib/baton-process.js', import.meta.url));
const CHILD = existsSync(COMPILED)
  ? COMPILED
  : fileURLToPath(new URL('../lib/baton-process.ts', import.meta.url));
const CHILD_ARGS = CHILD === COMPILED ? [] : ['--import', 'tsx'];

interface Start {
  ms: number;
  sinceProcessStartMs: number;
  rss: number;
  heapUsed: number;
}

type ChildMessage =
  | { kind: 'first-poll'; sinceProcessStartMs: number; errors: string[] }
  | { kind: 'idle'; rss: number; heapUsed: number };

async function startOnce(env: Record<string, string>): Promise<Start> {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-start-'));
  const spawnedAt = performance.now();
  const child: ChildProcess = fork(CHILD, [], {
    execArgv: CHILD_ARGS,
    env: { ...process.env, ...env, BATON_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    return await new Promise<Start>((resolve, reject) => {
      let firstPoll: { ms: number; sinceProcessStartMs: number } | undefined;
      const timeout = setTimeout(() => reject(new Error('no first poll within 60 s')), 60_000);
      child.on('message', (message: ChildMessage) => {
        if (message.kind === 'first-poll') {
          if (message.errors.length > 0) reject(new Error(`first poll failed: ${message.errors.join('; ')}`));
          firstPoll = { ms: performance.now() - spawnedAt, sinceProcessStartMs: message.sinceProcessStartMs };
        } else if (firstPoll) {
          clearTimeout(timeout);
          resolve({ ...firstPoll, rss: message.rss, heapUsed: message.heapUsed });
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timeout);
        reject(new Error(`baton child exited early (code ${code})`));
      });
    });
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.connected) child.send('stop');
      else child.kill();
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runScenario(async ({ quick, modelLatencyMs }): Promise<Figures> => {
  const runs = quick ? 1 : 3;
  const world = createWorld({ limits: 'documented', modelLatencyMs });
  const server = await serveEmulators(world.handlers());
  const env = { ...world.env, BENCH_EMULATORS_URL: server.url };
  const starts: Start[] = [];
  try {
    for (let i = 0; i < runs; i++) starts.push(await startOnce(env));
  } finally {
    await server.close();
  }
  const mid = <T>(xs: T[], key: (x: T) => number) =>
    [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
  const typical = mid(starts, (s) => s.ms);
  const idle = mid(starts, (s) => s.rss);
  return {
    startup: {
      ms: Math.round(typical.ms),
      sinceProcessStartMs: Math.round(typical.sinceProcessStartMs),
      runsMs: starts.map((s) => Math.round(s.ms)),
      timeBase: 'real (spawn of the child process → every trigger has polled once)',
    },
    memory: {
      idleRssMb: mb(idle.rss),
      idleHeapMb: mb(idle.heapUsed),
    },
  };
});
