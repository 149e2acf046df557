// A Redis lease per trigger: one process at a time polls it, and a dead holder's turn lapses.
import { randomUUID } from 'node:crypto';
import type { PollGate, PollTurn } from '../triggers/poll-gate.ts';
import { type RedisOptions, RedisPiece } from './connection.ts';

// Take the lease when free (SET NX PX), renew it when ours, else say how long the holder has left.
// One script, so "is it ours" and "extend it" cannot be split by another process's write.
const HOLD = `
local current = redis.call('GET', KEYS[1])
if current == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return -1
end
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return -1
end
return redis.call('PTTL', KEYS[1])
`;

// Compare-and-delete: a process releases only its own lease, never one taken after its own lapsed.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface TriggerLeaseOptions extends RedisOptions {
  /** This process's token (default: a random UUID); two processes must never share one. */
  token?: string;
}

/**
 * The poll gate of scale-out mode: a lease per trigger id in Redis (`<prefix>lease:<trigger>`, prefix default `baton:`),
 * holding this process's token with an expiry. The holder renews it around every poll; a process
 * that dies stops renewing and the next process to ask after the expiry takes over.
 */
export class TriggerLease extends RedisPiece implements PollGate {
  readonly token: string;

  constructor(options: TriggerLeaseOptions) {
    super(options);
    this.token = options.token ?? randomUUID();
  }

  async tryHold(triggerId: string, ttlMs: number): Promise<PollTurn> {
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const left = Number(await this.redis.eval(HOLD, 1, this.#key(triggerId), this.token, ttl));
    if (left === -1) return { held: true };
    // -2 (gone between GET and PTTL cannot happen inside a script, but be safe): ask again at once.
    return { held: false, retryInMs: Math.max(0, left) };
  }

  async release(triggerId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.#key(triggerId), this.token);
  }

  /** The token of the process polling `triggerId` now, if any (status, tests). */
  async holder(triggerId: string): Promise<string | undefined> {
    return (await this.redis.get(this.#key(triggerId))) ?? undefined;
  }

  /** Closes the connection when this lease opened it from a URL. */

  #key(triggerId: string): string {
    return `${this.prefix}lease:${triggerId}`;
  }
}
