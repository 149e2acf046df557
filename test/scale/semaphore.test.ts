// Per-recipe concurrency across processes: at most N runs of all processes at once, and a process
// that dies holding a place frees it when the place lapses.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { RedisSemaphore } from '../../src/scale/index.ts';
import { useRedis } from '../support/redis.ts';

const redis = useRedis();
const connections: Redis[] = [];
afterAll(() => {
  for (const c of connections) c.disconnect();
});

function processSemaphore(ttlMs = 30_000): { semaphore: RedisSemaphore; connection: Redis } {
  const connection = new Redis(redis.url);
  connection.on('error', () => undefined);
  connections.push(connection);
  return { semaphore: new RedisSemaphore({ redis: connection, ttlMs, maxWaitMs: 20 }), connection };
}

describe('RedisSemaphore', { timeout: 30_000 }, () => {
  it('runs at most `limit` tasks of three processes at once, and every task', async () => {
    const processes = [processSemaphore(), processSemaphore(), processSemaphore()];
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        processes[i % 3]!.semaphore.run('pitch', 2, async () => {
          running++;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 30));
          running--;
          done.push(i);
        }),
      ),
    );
    expect(most).toBe(2);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(await processes[0]!.semaphore.held('pitch')).toBe(0);
  });

  it('frees the place of a process that died holding it, once the place lapses', async () => {
    const dying = processSemaphore(300);
    const survivor = processSemaphore(300);
    let release!: () => void;
    const stuck = dying.semaphore.run('leads', 1, () => new Promise<void>((r) => (release = r)));
    await vi.waitFor(async () => expect(await survivor.semaphore.held('leads')).toBe(1));
    // The machine is gone: no renewals, no release.
    dying.connection.disconnect();
    let ran = false;
    await survivor.semaphore.run('leads', 1, async () => {
      ran = true;
    });
    expect(ran).toBe(true);
    release();
    await stuck.catch(() => undefined);
  });
});
