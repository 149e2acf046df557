// Every coordination piece of a scale-out process, on one Redis connection, ready to hand out.
import type { Redis } from 'ioredis';
import type { RecipeCoordination } from '../../recipes/shared/coordination.ts';
import { type Logger, silentLogger } from '../log.ts';
import { RedisCallCount } from './call-count.ts';
import { connect, KEY_PREFIX, type RedisLike } from './connection.ts';
import { redisGroup } from './group.ts';
import { RedisLlmSpend } from './llm-spend.ts';
import { RedisRateLimiter } from './rate-limiter.ts';
import { RedisSemaphore } from './semaphore.ts';
import { RedisDoNotContact, RedisSendBook } from './send-book.ts';
import { RedisSlotBook } from './slot-book.ts';
import { TriggerLease } from './trigger-lease.ts';

/** What `baton start` passes where when BATON_REDIS_URL is set (see src/scale/README.md). */
export interface Coordination {
  readonly redis: Redis;
  /** `BatonOptions.instance.group`: instances of this Redis accept each other on a source. */
  readonly group: string;
  /** `BatonOptions.pollGate`: one process of the group polls each trigger. */
  readonly pollGate: TriggerLease;
  /** `shareRateLimits(rateLimiter)`: every ServicePolicy counts its budgets in Redis. */
  readonly rateLimiter: RedisRateLimiter;
  /** `openLlmSpend({ …, shared: llmSpend })`: BATON_LLM_DAILY_BUDGET caps the group. */
  readonly llmSpend: RedisLlmSpend;
  /** Per-recipe concurrency across the group: `semaphore.run(recipe, limit, fn)` around a run. */
  readonly semaphore: RedisSemaphore;
  /** `RecipeEnvironment.coordination`: the Gmail cap, do-not-contact, Airtable calls, content slots. */
  readonly recipes: Required<RecipeCoordination>;
  /** Closes the connection when it was opened from a URL. */
  close(): Promise<void>;
}

/**
 * Opens (from BATON_REDIS_URL) or takes a Redis connection and builds every piece on it, each
 * keeping its keys under `prefix` (BATON_REDIS_PREFIX, default `baton:`): groups with different
 * prefixes share nothing on one server, not even their group id.
 * @throws when Redis cannot be reached (the message never holds the URL's password)
 */
export async function openCoordination(
  redis: RedisLike,
  options: { log?: Logger; prefix?: string } = {},
): Promise<Coordination> {
  const { client, owned } = connect(redis, options.log ?? silentLogger);
  const prefix = options.prefix ?? KEY_PREFIX;
  const on = { redis: client, prefix };
  try {
    const group = await redisGroup(client, prefix);
    return {
      redis: client,
      group,
      pollGate: new TriggerLease(on),
      rateLimiter: new RedisRateLimiter(on),
      llmSpend: new RedisLlmSpend(on),
      semaphore: new RedisSemaphore(on),
      recipes: {
        sendBook: new RedisSendBook(on),
        doNotContact: new RedisDoNotContact(on),
        airtableCalls: new RedisCallCount(on),
        slots: (calendar) => new RedisSlotBook(calendar, on),
      },
      close: async () => {
        if (owned) await client.quit();
      },
    };
  } catch (err) {
    if (owned) client.disconnect();
    throw new Error(`BATON_REDIS_URL: cannot use Redis (${(err as Error).message})`, { cause: err });
  }
}
