// `baton doctor`'s Redis check (BATON_REDIS_URL set): reachable, which version, whether AOF keeps the
// runs across a restart, and how many Baton processes take work from the group's run queues.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type RedisConfig, redisAddress } from '../../config.ts';
import { bullPrefix, queueName } from '../../queue/index.ts';
import type { DoctorCheck, DoctorWarning } from './doctor.ts';

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The `Redis` check. `recipes`: the configured recipes, whose run queues are asked for their
 * workers. Names Redis by host and port only: the URL may carry a password.
 */
export function redisCheck(redis: RedisConfig, recipes: readonly string[]): DoctorCheck {
  return {
    label: 'Redis',
    run: async () => {
      const address = redisAddress(redis.url);
      // One try, no reconnecting: doctor reports what it finds now and exits.
      const client = new Redis(redis.url, {
        lazyConnect: true,
        connectTimeout: CONNECT_TIMEOUT_MS,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        retryStrategy: () => null,
      });
      // Without a listener ioredis prints its errors itself; they are reported through the throw below.
      client.on('error', () => undefined);
      try {
        try {
          await client.connect();
          await client.ping();
        } catch (err) {
          throw new Error(
            `cannot reach Redis at ${address} (${(err as Error).message}) — start Redis there (\`docker compose --profile scale up -d\`), or fix BATON_REDIS_URL (host, port, password)`,
          );
        }
        return await findings(client, address, redis.prefix, recipes);
      } finally {
        client.disconnect();
      }
    },
  };
}

async function findings(
  client: Redis,
  address: string,
  prefix: string,
  recipes: readonly string[],
): Promise<string | DoctorWarning> {
  const version = /^redis_version:(\S+)/m.exec(await client.info('server'))?.[1] ?? 'unknown version';
  const workers = await countWorkers(client, prefix, recipes);
  const head = `reachable at ${address}, Redis ${version}${workers ? `; ${workers}` : ''}`;
  let appendonly: string | undefined;
  try {
    const reply = await client.config('GET', 'appendonly');
    appendonly = Array.isArray(reply) ? String(reply[1] ?? '') : undefined;
  } catch (err) {
    // Managed Redis (ElastiCache, Upstash, …) often refuses CONFIG.
    return {
      warning: `${head}; AOF persistence could not be checked (CONFIG GET refused: ${(err as Error).message}) — make sure the server keeps an append-only file, or a Redis restart may lose runs`,
    };
  }
  if (appendonly === 'yes') return `${head}; AOF persistence on`;
  return { warning: `${head}; AOF persistence is off: a Redis restart may lose runs — set appendonly yes` };
}

/**
 * "2 Baton workers alive": the most workers any configured recipe's run queue has (each `baton
 * start` process runs one per recipe), from BullMQ's own list of connected workers. Undefined when
 * no recipe is configured; says so when the server refuses CLIENT LIST.
 */
async function countWorkers(
  client: Redis,
  prefix: string,
  recipes: readonly string[],
): Promise<string | undefined> {
  if (recipes.length === 0) return undefined;
  let most = 0;
  for (const recipe of recipes) {
    const queue = new Queue(queueName(recipe), { connection: client, prefix: bullPrefix(prefix) });
    queue.on('error', () => undefined);
    try {
      most = Math.max(most, (await queue.getWorkers()).length);
    } catch {
      return 'Baton workers could not be counted (CLIENT LIST refused)';
    } finally {
      await queue.close();
    }
  }
  return `${most} Baton worker(s) alive`;
}
