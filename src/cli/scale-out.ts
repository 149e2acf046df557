// With BATON_REDIS_URL set, every `baton start` process joins one group: the pieces of src/scale
// (trigger leases, shared rate limits, the Gmail cap, the LLM and Airtable budgets, content slots)
// are opened once here and handed to the parts that use them, under BATON_REDIS_PREFIX like the
// store's keys. Without it: nothing, as before.
import { shareRateLimits } from '../../connectors/core/index.ts';
import type { RuntimeConfig } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Coordination } from '../scale/index.ts';

/**
 * The group's coordination, or undefined without Redis. Rate limits are shared from here on, so
 * call it before any connector is built.
 * @throws when Redis cannot be reached (never with the URL's password)
 */
export async function openScaleOut(config: RuntimeConfig, log: Logger): Promise<Coordination | undefined> {
  if (!config.redis) return undefined;
  // Loaded only here: a Baton without Redis never loads ioredis.
  const { openCoordination } = await import('../scale/index.ts');
  const scale = await openCoordination(config.redis.url, { log, prefix: config.redis.prefix });
  shareRateLimits(scale.rateLimiter);
  return scale;
}
