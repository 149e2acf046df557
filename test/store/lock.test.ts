// The data-folder lock with real processes: two starters racing for a dead process's lock.
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/index.ts';
import { STALE_AFTER_MS } from '../../src/store/lock.ts';
import { finished, spawnTs } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const WORKER = 'test/store/lock-worker.ts';

/** The lines a child prints, and a way to wait for the `count`-th line containing `text`. */
function lines(child: ReturnType<typeof spawnTs>) {
  const seen: string[] = [];
  const waiters: (() => void)[] = [];
  let rest = '';
  child.stdout?.on('data', (d) => {
    const parts = (rest + String(d)).split('\n');
    rest = parts.pop() ?? '';
    seen.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (test: () => boolean) => {
    while (!test()) await new Promise<void>((r) => waiters.push(r));
  };
  return { seen, until };
}

describe('the data-folder lock', () => {
  it('two processes taking over a killed process’s lock together: never both hold it', async () => {
    const dir = await tempDir();
    const racers = [spawnTs(WORKER, [dir, 'race']), spawnTs(WORKER, [dir, 'race'])];
    const outputs = racers.map(lines);
    await Promise.all(outputs.map((o) => o.until(() => o.seen.includes('ready'))));
    const rounds = 8;
    for (let round = 0; round < rounds; round++) {
      const victim = await finished(spawnTs(WORKER, [dir, 'die']));
      expect(victim.signal).toBe('SIGKILL');
      for (const racer of racers) racer.kill('SIGUSR1');
      await Promise.all(
        outputs.map((o) => o.until(() => o.seen.some((l) => l.startsWith(`round ${round} `)))),
      );
    }
    for (const racer of racers) racer.kill('SIGKILL');
    const results = outputs.flatMap((o) => o.seen.filter((l) => l.startsWith('round ')));
    expect(results.filter((l) => l.includes('TOGETHER'))).toEqual([]);
    for (let round = 0; round < rounds; round++) {
      expect(results.filter((l) => l.startsWith(`round ${round} got`)).length).toBeGreaterThan(0);
    }
  }, 300_000);

  it('a lock from a host that is gone (a recreated container) is taken over once its heartbeat is old', async () => {
    const dir = await tempDir();
    const lock = join(dir, 'lock', '1.json');
    await mkdir(join(dir, 'lock'), { recursive: true });
    await writeFile(lock, JSON.stringify({ pid: 1, host: 'old-container', startedAt: '2026-01-01' }));
    await expect(new FileStore({ dir }).open()).rejects.toThrow(
      `Data folder ${dir} is in use by pid 1 on host old-container`,
    );
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
    await utimes(lock, old, old);
    const store = new FileStore({ dir });
    await expect(store.open()).resolves.toBeUndefined();
    await store.close();
  });

  it('honours the single-file lock of earlier versions while its process lives, and drops it after', async () => {
    const dir = await tempDir();
    const legacy = join(dir, 'baton.lock');
    const live = { pid: process.ppid, host: hostname(), startedAt: '2026-01-01' };
    await writeFile(legacy, JSON.stringify(live));
    await expect(new FileStore({ dir }).open()).rejects.toThrow(`in use by pid ${process.ppid}`);
    await writeFile(legacy, JSON.stringify({ ...live, pid: 2 ** 22 + 1 }));
    const store = new FileStore({ dir });
    await expect(store.open()).resolves.toBeUndefined();
    await store.close();
  });
});
