// One log line when a Redis connection is lost and one when it is back, however many times ioredis
// retries in between (it reconnects on its own, for ever, with backoff).
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';

export function logOutages(redis: Redis, log: Logger, what: string): void {
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    // The message names host and port (ECONNREFUSED 10.0.0.5:6379), never the password.
    log.warn({ err: err.message }, `${what}: Redis unreachable; retrying`);
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log.info(`${what}: Redis reachable again`);
  });
}
