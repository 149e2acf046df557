// A run's lock in Redis: one process at a time executes a run or delivers a signal to it. Held with
// a random token, renewed while held, released only by its holder; a holder that dies (SIGKILL,
// machine gone) loses it when it expires, after `ttlMs`.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export async function withLock<T>(
  redis: Redis,
  key: string,
  ttlMs: number,
  work: () => Promise<T>,
  waitMs = 0,
): Promise<{ locked: true; value: T } | { locked: false }> {
  const token = randomUUID();
  const giveUp = Date.now() + waitMs;
  while ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') {
    if (Date.now() >= giveUp) return { locked: false };
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, ttlMs / 4)));
  }
  const renew = setInterval(() => {
    void redis.eval(RENEW, 1, key, token, String(ttlMs)).catch(() => undefined);
  }, ttlMs / 3);
  try {
    return { locked: true, value: await work() };
  } finally {
    clearInterval(renew);
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
