// A counting semaphore in Redis: at most N holders across every process (per-recipe concurrency).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RedisOptions, RedisPiece } from './connection.ts';

// Drop lapsed holders, then take a place if one is free. Returns 0 when taken, else the ms until
// the first place lapses (or `ttl` when none will sooner: holders renew).
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(first[2]) - now)
`;

// Extends a place still held; a lapsed one is not re-taken behind the others' backs.
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

const HELD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
`;

export interface RedisSemaphoreOptions extends RedisOptions {
  /** How long a place outlives its last renewal (default 30 s): a holder that died frees it then. */
  ttlMs?: number;
  /** Longest wait between two tries for a place (default 1 s). */
  maxWaitMs?: number;
}

/**
 * Places under `<prefix>semaphore:<name>` (prefix default `baton:`) (a ZSET of holder → expiry, on Redis's clock). `run` waits
 * for a place, renews it every third of the TTL while `fn` runs, and frees it after, so at most
 * `limit` calls of all processes run at once; a process that dies frees its places within the TTL.
 */
export class RedisSemaphore extends RedisPiece {
  readonly #ttlMs: number;
  readonly #maxWaitMs: number;

  constructor(options: RedisSemaphoreOptions) {
    super(options);
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#maxWaitMs = options.maxWaitMs ?? 1_000;
  }

  /** Runs `fn` holding one of `limit` places of `name`. */
  async run<T>(name: string, limit: number, fn: () => Promise<T>): Promise<T> {
    const key = this.#key(name);
    const holder = randomUUID();
    for (;;) {
      const wait = Number(await this.redis.eval(ACQUIRE, 1, key, limit, this.#ttlMs, holder));
      if (wait === 0) break;
      await sleep(Math.min(wait, this.#maxWaitMs));
    }
    const renewing = setInterval(
      () => {
        this.redis.eval(RENEW, 1, key, this.#ttlMs, holder).catch(() => undefined);
      },
      Math.max(1, Math.floor(this.#ttlMs / 3)),
    );
    try {
      return await fn();
    } finally {
      clearInterval(renewing);
      await this.redis.zrem(key, holder).catch(() => undefined);
    }
  }

  /** Places held now, lapsed ones left out (status, tests). */
  async held(name: string): Promise<number> {
    return Number(await this.redis.eval(HELD, 1, this.#key(name)));
  }

  #key(name: string): string {
    return `${this.prefix}semaphore:${name}`;
  }
}
