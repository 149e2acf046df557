// Which Redis a Baton coordinates through, as it announces itself on the sources it polls.
import { randomUUID } from 'node:crypto';
import { connect, KEY_PREFIX, type RedisLike } from './connection.ts';

/**
 * The group id of every process sharing this Redis (`redis:<12 hex>`), for the instance check
 * (`BatonOptions.instance.group`): instances announcing the same id are one Baton.
 *
 * Not derived from the URL: two machines each pointing at their own `localhost:6379` would get the
 * same id while sharing nothing, and one Redis reached by two names would get two. The first process
 * to ask writes a random id into Redis itself (SET NX; AOF keeps it); it never holds the password.
 * Kept under `prefix` (BATON_REDIS_PREFIX): two groups sharing a server have two ids, and refuse
 * each other on a source as two Batons would.
 */
export async function redisGroup(redis: RedisLike, prefix: string = KEY_PREFIX): Promise<string> {
  const { client, owned } = connect(redis);
  const key = `${prefix}group`;
  try {
    await client.set(key, `redis:${randomUUID().replaceAll('-', '').slice(0, 12)}`, 'NX');
    const group = await client.get(key);
    if (!group) throw new Error('BATON_REDIS_URL: Redis did not keep the group id (is it read-only?)');
    return group;
  } finally {
    if (owned) await client.quit();
  }
}
