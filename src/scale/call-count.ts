import type { SharedCallCount } from '../../connectors/airtable/index.ts';
import { type RedisOptions, RedisPiece } from './connection.ts';

/** Kept past the month's end, for `baton status` and a clock a little behind. */
const KEEP_MS = 40 * 24 * 3600_000;

/** `<prefix>airtable-calls:<workspace>:<month>` (prefix default `baton:`), an INCRBY counter. */
export class RedisCallCount extends RedisPiece implements SharedCallCount {
  constructor(options: RedisOptions) {
    super(options);
  }

  async add(workspace: string, month: string, calls: number): Promise<number> {
    const key = this.#key(workspace, month);
    const replies = await this.redis.multi().incrby(key, calls).pexpire(key, KEEP_MS).exec();
    return Number(replies?.[0]?.[1] ?? 0);
  }

  async get(workspace: string, month: string): Promise<number> {
    return Number((await this.redis.get(this.#key(workspace, month))) ?? 0);
  }

  #key(workspace: string, month: string): string {
    return `${this.prefix}airtable-calls:${workspace}:${month}`;
  }
}
