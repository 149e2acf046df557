// The LLM daily budget's spend in Redis: every process adds to and checks one total per UTC day.
import type { Redis } from 'ioredis';
import type { SharedSpend } from '../llm/index.ts';
import { connect, KEY_PREFIX, type RedisLike } from './connection.ts';

/** Costs are rounded to 1e-8 USD (src/llm): counted as whole units of that, so INCRBY stays exact. */
const UNITS_PER_USD = 1e8;
/** Kept past the day, for a process whose clock is a little behind. */
const KEEP_MS = 2 * 24 * 3600_000;

/** `baton:llm-spend:<day>` (an integer of 1e-8 USD) and `baton:llm-spend:<day>:announced`. */
export class RedisLlmSpend implements SharedSpend {
  readonly #redis: Redis;
  readonly #owned: boolean;

  constructor(options: { redis: RedisLike }) {
    const { client, owned } = connect(options.redis);
    this.#redis = client;
    this.#owned = owned;
  }

  async add(day: string, usd: number): Promise<number> {
    const [[, total] = []] =
      (await this.#redis
        .multi()
        .incrby(spendKey(day), Math.round(usd * UNITS_PER_USD))
        .pexpire(spendKey(day), KEEP_MS)
        .exec()) ?? [];
    return Number(total) / UNITS_PER_USD;
  }

  async spent(day: string): Promise<number> {
    return Number((await this.#redis.get(spendKey(day))) ?? 0) / UNITS_PER_USD;
  }

  async firstToAnnounce(day: string): Promise<boolean> {
    return (await this.#redis.set(`${spendKey(day)}:announced`, '1', 'PX', KEEP_MS, 'NX')) === 'OK';
  }

  async close(): Promise<void> {
    if (this.#owned) await this.#redis.quit();
  }
}

const spendKey = (day: string) => `${KEY_PREFIX}llm-spend:${day}`;
