// A real redis-server (Debian's package) per test file, on a free port with its own folder: the
// scale-out store and its coordination are tested against Redis itself, never a mock of it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { freePort } from './ports.ts';

export interface TestRedis {
  /** `redis://127.0.0.1:<port>`; the same across `restart()`. */
  readonly url: string;
  /** SIGKILLs the server (a crash: only what AOF already wrote survives). */
  kill(): Promise<void>;
  /** Starts it again on the same port and folder (AOF replays what it kept). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  // AOF on and fsync'd on every write, as the scale profile of docker-compose.yml runs it.
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (d) => {
      seen += d;
      if (seen.includes('Ready to accept connections')) resolve(child);
    });
    child.once('error', (e) =>
      reject(new Error(`could not start redis-server (apt-get install redis-server): ${e.message}`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${seen}`)),
    );
  });
}

async function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  // Redis refuses a SIGTERM while it writes its first AOF (a test that just switched appendonly on):
  // after a few seconds the server is killed instead.
  const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(killer);
}

/** Starts a redis-server before this file's tests and removes it and its folder afterwards. */
export function useRedis(): TestRedis {
  let child: ChildProcess | undefined;
  let port = 0;
  let dir = '';
  const redis: TestRedis = {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    async kill() {
      if (child) await ended(child, 'SIGKILL');
    },
    async restart() {
      if (child) await ended(child, 'SIGTERM');
      child = await launch(port, dir);
    },
    async stop() {
      if (child) await ended(child, 'SIGTERM');
    },
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baton-redis-'));
    port = await freePort();
    child = await launch(port, dir);
  }, 30_000);
  afterAll(async () => {
    await redis.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return redis;
}

/** A client of `redis` for the whole test file: connected before its tests, closed after. */
export function useRedisClient(redis: TestRedis): () => Redis {
  let client: Redis | undefined;
  beforeAll(() => {
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    await client?.quit();
  });
  return () => {
    if (!client) throw new Error('useRedisClient: used outside a test');
    return client;
  };
}
