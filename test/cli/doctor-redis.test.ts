// `baton doctor` with BATON_REDIS_URL, against a real redis-server: reachable (never the password),
// the version, AOF persistence (a warning when off or not checkable), the group's live workers; an
// unreachable Redis is a failed check with the fix; without BATON_REDIS_URL there is no Redis line.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runDoctor } from '../../src/cli/commands/doctor.ts';
import { redisCheck } from '../../src/cli/commands/doctor-redis.ts';
import { defineRecipe } from '../../src/engine/index.ts';
import { BullmqDispatcher } from '../../src/queue/index.ts';
import { RedisStore } from '../../src/store/index.ts';
import { freePort } from '../support/ports.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const redis = useRedis();
const tempDir = useTempDirs();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const port = () => new URL(redis.url).port;

async function admin(): Promise<Redis> {
  const client = new Redis(redis.url);
  cleanups.push(async () => void (await client.quit()));
  return client;
}

/** One `baton start` process's run queues for `recipes`, taking (no) work from the group. */
async function worker(prefix: string, recipes: string[]): Promise<void> {
  const store = new RedisStore({ url: redis.url, prefix });
  await store.open();
  const dispatcher = new BullmqDispatcher({ store, url: redis.url });
  await dispatcher.start({
    recipes: recipes.map((name) => defineRecipe({ name, input: z.object({}), async run() {} })),
    concurrency: 1,
    handle: async () => undefined,
  });
  cleanups.push(async () => {
    await dispatcher.stop();
    await store.close();
  });
}

describe('the Redis check of `baton doctor`', () => {
  it('finds Redis, its version, AOF on, and counts the workers of the group', async () => {
    const prefix = 'doctor-1:';
    await worker(prefix, ['pitch', 'leads']);
    await worker(prefix, ['pitch']);
    const found = await redisCheck({ url: redis.url, prefix }, ['pitch', 'leads']).run();
    expect(found).toMatch(
      new RegExp(
        `^reachable at 127\\.0\\.0\\.1:${port()}, Redis \\d+\\.\\d+\\.\\d+; 2 Baton worker\\(s\\) alive; AOF persistence on$`,
      ),
    );
    // Another group's prefix has none of them.
    expect(await redisCheck({ url: redis.url, prefix: 'other:' }, ['pitch']).run()).toContain(
      '0 Baton worker(s) alive',
    );
  });

  it('warns, without failing, when AOF is off', async () => {
    const client = await admin();
    await client.config('SET', 'appendonly', 'no');
    try {
      const found = await redisCheck({ url: redis.url, prefix: 'doctor-2:' }, []).run();
      expect(found).toEqual({
        warning: expect.stringContaining(
          'AOF persistence is off: a Redis restart may lose runs — set appendonly yes',
        ),
      });
    } finally {
      await client.config('SET', 'appendonly', 'yes');
    }
  });

  it('says AOF could not be checked when CONFIG is refused, and never shows the password', async () => {
    const client = await admin();
    await client.call('ACL', 'SETUSER', 'limited', 'on', '>s3cret-pw', '~*', '&*', '+@all', '-config');
    cleanups.push(async () => void (await client.call('ACL', 'DELUSER', 'limited')));
    const url = `redis://limited:s3cret-pw@127.0.0.1:${port()}`;
    const found = await redisCheck({ url, prefix: 'doctor-3:' }, []).run();
    expect(found).toEqual({ warning: expect.stringContaining('AOF persistence could not be checked') });
    expect(JSON.stringify(found)).toContain(`reachable at 127.0.0.1:${port()}`);
    expect(JSON.stringify(found)).not.toContain('s3cret-pw');
  });

  it('fails with the fix when Redis cannot be reached, naming host and port only', async () => {
    const nothing = await freePort();
    const check = redisCheck({ url: `redis://:s3cret-pw@127.0.0.1:${nothing}`, prefix: 'baton:' }, []);
    const error = await check.run().then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error?.message).toMatch(new RegExp(`^cannot reach Redis at 127\\.0\\.0\\.1:${nothing} \\(`));
    expect(error?.message).toContain('fix BATON_REDIS_URL');
    expect(error?.message).not.toContain('s3cret-pw');
  });

  it('is one line of `baton doctor` with BATON_REDIS_URL, and absent without it', async () => {
    const lines = async (env: NodeJS.ProcessEnv) => {
      const out: string[] = [];
      await runDoctor(
        { BATON_DATA_DIR: await tempDir(), BATON_HTTP_PORT: '0', ...env },
        { out: (t) => out.push(...t.split('\n')) },
      );
      return out;
    };
    const scaled = await lines({ BATON_REDIS_URL: redis.url });
    expect(scaled.filter((l) => l.startsWith('✓ Redis: reachable at 127.0.0.1:'))).toHaveLength(1);
    const single = await lines({});
    expect(single.some((l) => l.includes('Redis'))).toBe(false);
  });
});
