// Request budgets counted in Redis, so N processes together stay under a service's documented limit.
//
// Why a Lua sliding-window log and not rate-limiter-flexible's RateLimiterRedis: the services count
// "at most N in ANY window" (Airtable 5 per second per base, Trello 100 per 10 s per token, Sheets
// 60 per minute), and so do the emulators. RateLimiterRedis counts fixed windows, which let 2N
// through around a window boundary, and Airtable answers that with a 30-second penalty for the base.
// A sorted set of the last window's request times, checked and appended in one script, is exact.
import { setTimeout as sleep } from 'node:timers/promises';
import type { RateLimit, SharedRateLimiter } from '../../connectors/core/index.ts';
import { type RedisOptions, RedisPiece } from './connection.ts';

// Redis's own clock (TIME), so processes on machines whose clocks differ still share one window.
// Returns 0 when the request was counted, else how many ms until the oldest one leaves the window.
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

export interface RedisRateLimiterOptions extends RedisOptions {
  /**
   * Added to every window (default: a tenth of it, at most 100 ms): a request is counted when it is
   * let go, and arrives a little later, so two arrivals must not fall in one window by a few ms.
   */
  marginMs?: number;
}

/** The shared limiter of scale-out mode; pass it to `shareRateLimits` or a ServicePolicy. */
export class RedisRateLimiter extends RedisPiece implements SharedRateLimiter {
  readonly #marginMs: number | undefined;
  #sequence = 0;
  readonly #me = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

  constructor(options: RedisRateLimiterOptions) {
    super(options);
    this.#marginMs = options.marginMs;
  }

  async take(key: string, limit: RateLimit): Promise<void> {
    const window = limit.intervalMs + (this.#marginMs ?? Math.min(100, Math.ceil(limit.intervalMs / 10)));
    for (;;) {
      // A member unique across processes, or two requests in the same ms would count as one.
      const member = `${this.#me}-${this.#sequence++}`;
      const waitMs = Number(
        await this.redis.eval(TAKE, 1, `${this.prefix}rate:${key}`, limit.limit, window, member),
      );
      if (waitMs === 0) return;
      await sleep(waitMs);
    }
  }

  /** Closes the connection when this limiter opened it from a URL. */
}
