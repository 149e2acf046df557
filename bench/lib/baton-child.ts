// The parent's side of the measured Baton (baton-process.ts): spawns it with the environment a user
// would set, pointed at this process's emulator server, and reads its memory from outside
// (/proc/<pid>/status) so the reading costs the child nothing.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/ports.ts';
import type { ChildMessage, MemoryReading, ParentMessage } from './baton-process.ts';

export type { MemoryReading } from './baton-process.ts';

// The compiled build (`npm run build`, what `npm start` runs) when present; else the sources via tsx.
const COMPILED = fileURLToPath(new URL('../../dist/bench/lib/baton-process.js', import.meta.url));
const SOURCE = fileURLToPath(new URL('./baton-process.ts', import.meta.url));

export interface BatonChildOptions {
  /** What a user's .env would say (the world's env), plus BATON_DATA_DIR and the like. */
  env: Record<string, string>;
  emulatorsUrl: string;
  /** --expose-gc, so the parent may ask for a collected reading (the only flag a user would not set). */
  exposeGc?: boolean;
  /** Wait at most this long for the first poll (default 60 s). */
  timeoutMs?: number;
}

export interface BatonChild {
  pid: number;
  /** compiled (dist/) or tsx (sources; when the build is missing). */
  runs: 'compiled' | 'tsx';
  /** Recipe names the CLI's buildRecipes configured from the environment. */
  recipes: string[];
  /** Spawn → every trigger polled once, measured here. */
  firstPollMs: number;
  /** The child's own clock at its first poll (process start → first poll). */
  firstPollSinceProcessStartMs: number;
  /**
   * Where the child's start went, on its own clock from process start: modules loaded and recipes
   * built, Baton started (data folder, instance announced on every source, runs loaded), the first
   * trigger polled, every trigger polled.
   */
  phases: { readyMs: number; startedMs: number; firstAnyPollMs: number; everyPollMs: number };
  /** Memory 2 s after the first poll, with no work. */
  idle: MemoryReading;
  /** RSS now, from /proc (Linux); undefined elsewhere. */
  rss(): number | undefined;
  /** Peak RSS of the process so far (VmHWM), from /proc. */
  peakRss(): number | undefined;
  /** The child's process.memoryUsage(), after a garbage collection when `gc` (needs exposeGc). */
  memory(gc?: boolean): Promise<MemoryReading>;
  pollSoon(): void;
  stop(): Promise<void>;
}

/** Reads a `Vm…:  1234 kB` line of /proc/<pid>/status, in bytes. */
function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Node flags a user's Baton runs with: those of `npm start` (package.json), which the Dockerfile
 * and the systemd unit repeat. BENCH_NODE_FLAGS, when set (even empty), replaces them: to try a flag.
 */
export function nodeFlags(): string[] {
  const override = process.env.BENCH_NODE_FLAGS;
  if (override !== undefined) return override.split(/\s+/).filter(Boolean);
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  const script = words.findIndex((w) => w.endsWith('.js'));
  return words.slice(1, script < 0 ? undefined : script).filter((w) => w.startsWith('--'));
}

/** Starts the measured Baton and resolves once it has polled every trigger and idled 2 s. */
export async function startBatonChild(options: BatonChildOptions): Promise<BatonChild> {
  const compiled = existsSync(COMPILED);
  const spawnedAt = performance.now();
  const child: ChildProcess = fork(compiled ? COMPILED : SOURCE, [], {
    execArgv: [
      ...(compiled ? [] : ['--import', 'tsx']),
      ...nodeFlags(),
      ...(options.exposeGc ? ['--expose-gc'] : []),
    ],
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: process.env.BENCH_LOG ?? 'warn',
      BATON_HTTP_PORT: String(await freePort()),
      // glibc's allocator settings, to try them on the measured process (see bench/README.md).
      ...(process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}),
      ...options.env,
      BENCH_EMULATORS_URL: options.emulatorsUrl,
    },
    // BENCH_LOG=debug: the child's log (JSON lines) on stdout.
    stdio: ['ignore', process.env.BENCH_LOG ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  const listeners = new Set<(m: ChildMessage) => void>();
  child.on('message', (m: ChildMessage) => {
    for (const l of listeners) l(m);
  });
  const next = <K extends ChildMessage['kind']>(kind: K, timeoutMs: number) =>
    new Promise<Extract<ChildMessage, { kind: K }>>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        listeners.delete(listener);
        child.off('exit', onExit);
      };
      const listener = (m: ChildMessage) => {
        if (m.kind !== kind) return;
        done();
        resolve(m as Extract<ChildMessage, { kind: K }>);
      };
      const onExit = (code: number | null) => {
        done();
        reject(new Error(`the Baton child exited (code ${code}) before '${kind}'`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no '${kind}' from the Baton child within ${timeoutMs} ms`));
      }, timeoutMs);
      listeners.add(listener);
      child.once('exit', onExit);
    });
  const sendTo = (m: ParentMessage) => {
    if (child.connected) child.send(m);
  };
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.connected) sendTo('stop');
      else child.kill();
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    })();
    return stopped;
  };

  try {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const ready = next('ready', timeoutMs);
    const started = next('started', timeoutMs);
    const firstPoll = next('first-poll', timeoutMs);
    const idle = next('idle', timeoutMs + 5000);
    const { recipes, sinceProcessStartMs: readyMs } = await ready;
    const { sinceProcessStartMs: startedMs } = await started;
    const polled = await firstPoll;
    const firstPollMs = performance.now() - spawnedAt;
    if (polled.errors.length > 0) throw new Error(`first poll failed: ${polled.errors.join('; ')}`);
    const { kind: _, ...idleReading } = await idle;
    const pid = child.pid ?? 0;
    return {
      pid,
      runs: compiled ? 'compiled' : 'tsx',
      recipes,
      firstPollMs,
      firstPollSinceProcessStartMs: polled.sinceProcessStartMs,
      phases: {
        readyMs,
        startedMs,
        firstAnyPollMs: polled.firstAnyMs,
        everyPollMs: polled.sinceProcessStartMs,
      },
      idle: idleReading,
      rss: () => procStatus(pid, 'VmRSS'),
      peakRss: () => procStatus(pid, 'VmHWM'),
      async memory(gc = false) {
        const answer = next('memory', 10_000);
        sendTo({ kind: 'memory', gc });
        const { kind: _k, ...m } = await answer;
        return m;
      },
      pollSoon: () => sendTo({ kind: 'poll' }),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
