// A throwaway redis-server (Debian's package) on a free port, for the scale-out bench: the group's
// store, queues and shared budgets live there, as with BATON_REDIS_URL in production.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../test/support/ports.ts';

export interface BenchRedis {
  url: string;
  stop(): Promise<void>;
}

/** Starts redis-server without persistence (a bench round starts empty); resolves once it accepts connections. */
export async function startRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (d) => {
      seen += d;
      if (seen.includes('Ready to accept connections')) resolve();
    });
    child.once('error', (e) =>
      reject(new Error(`could not start redis-server (apt-get install redis-server): ${e.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${seen}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
