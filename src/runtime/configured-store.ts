// Which store (and, scaled out, which dispatcher) the configuration asks for: the file store in
// BATON_DATA_DIR by default; Redis, shared by every process, when BATON_REDIS_URL is set.
import { type RuntimeConfig, redisAddress } from '../config.ts';
import type { Dispatcher } from '../engine/dispatcher.ts';
import type { Logger } from '../log.ts';
import { BullmqDispatcher } from '../queue/index.ts';
import { FileStore, RedisStore, type Store } from '../store/index.ts';

/** A new, unopened store for `config`. */
export function storeFor(config: RuntimeConfig, log?: Logger): Store {
  return config.redis
    ? new RedisStore({ url: config.redis.url, prefix: config.redis.prefix, ...(log ? { log } : {}) })
    : new FileStore({ dir: config.dataDir, ...(log ? { log } : {}) });
}

/** `file <dir>` or `redis <host:port>` (never the password), for logs and messages. */
export function describeStore(config: RuntimeConfig): string {
  return config.redis ? `redis ${redisAddress(config.redis.url)}` : `file ${config.dataDir}`;
}

/** The BullMQ dispatcher over `store` when scaled out (BATON_REDIS_URL), else undefined. */
export function dispatcherFor(config: RuntimeConfig, store: Store, log?: Logger): Dispatcher | undefined {
  if (!config.redis || !(store instanceof RedisStore)) return undefined;
  const lockMs = config.redis.queueLockMs;
  return new BullmqDispatcher({
    store,
    url: config.redis.url,
    ...(lockMs ? { lockMs, stalledIntervalMs: lockMs } : {}),
    ...(log ? { log } : {}),
  });
}
