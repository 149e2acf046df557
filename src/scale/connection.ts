// The Redis connection every scale-out piece takes: a ready ioredis client, or a URL to open one.
import { Redis } from 'ioredis';
import { type Logger, silentLogger } from '../log.ts';

/** An ioredis client to share, or a `redis://` URL (BATON_REDIS_URL) to open one from. */
export type RedisLike = Redis | string;

/**
 * The default key prefix of everything the coordination pieces write (BATON_REDIS_PREFIX unset), so
 * one Redis can be inspected at a glance. A group with another BATON_REDIS_PREFIX writes under that
 * one instead: several groups can share a server without sharing a lease, a cap or a budget.
 */
export const KEY_PREFIX = 'baton:';

/** What every piece takes: the connection, and its group's key prefix (default `baton:`). */
export interface RedisOptions {
  redis: RedisLike;
  /** BATON_REDIS_PREFIX (`config.redis.prefix`); every key of the piece starts with it. */
  prefix?: string;
}

/**
 * The client to use and whether we opened it (and so must close it). A URL opens a client that
 * reconnects forever; meanwhile each command fails after ioredis' retries, so a poll or a send
 * fails and backs off instead of going ahead uncoordinated.
 */
export function connect(redis: RedisLike, log?: Logger): { client: Redis; owned: boolean } {
  if (typeof redis !== 'string') {
    if (log) reportOutages(redis, log);
    return { client: redis, owned: false };
  }
  const client = new Redis(redis);
  reportOutages(client, log ?? silentLogger);
  return { client, owned: true };
}

/**
 * What every scale-out piece starts from: its connection (closed by `close` only when the piece
 * opened it from a URL) and its group's key prefix.
 */
export abstract class RedisPiece {
  protected readonly redis: Redis;
  protected readonly prefix: string;
  readonly #owned: boolean;

  constructor(options: RedisOptions, log?: Logger) {
    const { client, owned } = connect(options.redis, log);
    this.redis = client;
    this.#owned = owned;
    this.prefix = options.prefix ?? KEY_PREFIX;
  }

  async close(): Promise<void> {
    if (this.#owned) await this.redis.quit();
  }
}

const reported = new WeakSet<Redis>();

/** One line when Redis becomes unreachable and one when it answers again, never one per retry. */
export function reportOutages(client: Redis, log: Logger): void {
  if (reported.has(client)) return;
  reported.add(client);
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    // ioredis' messages name host and port, never the password.
    log.warn({ err: err.message }, 'Redis (BATON_REDIS_URL) is unreachable: work waits and retries');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log.info('Redis (BATON_REDIS_URL) answers again: resuming');
  });
}
