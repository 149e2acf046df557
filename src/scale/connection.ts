// The Redis connection every scale-out piece takes: a ready ioredis client, or a URL to open one.
import { Redis } from 'ioredis';

/** An ioredis client to share, or a `redis://` URL (BATON_REDIS_URL) to open one from. */
export type RedisLike = Redis | string;

/** Key prefix of everything the coordination pieces write, so one Redis can be inspected at a glance. */
export const KEY_PREFIX = 'baton:';

/**
 * The client to use and whether we opened it (and so must close it). A URL opens a client that
 * retries forever: while Redis is down, commands wait in ioredis' offline queue and resume after.
 */
export function connect(redis: RedisLike): { client: Redis; owned: boolean } {
  if (typeof redis !== 'string') return { client: redis, owned: false };
  return { client: new Redis(redis, { lazyConnect: false }), owned: true };
}
