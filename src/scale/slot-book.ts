import type { SlotBook } from '../../recipes/content/calendar.ts';
import type { PostCalendar } from '../../recipes/content/slots.ts';
import { type RedisOptions, RedisPiece } from './connection.ts';

const MINUTE = 60_000;
/** As content-slots.json: slots this far in the past are forgotten. */
const KEEP_MS = 60 * 24 * 3600_000;

// The key's slot if it has one; else the slot for it if no other key holds that minute (taken: 0).
// Both hashes in one script, so a crash can never leave a minute held without its key knowing it.
const CLAIM = `
local mine = redis.call('HGET', KEYS[1], ARGV[1])
if mine then return tonumber(mine) end
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return tonumber(ARGV[3])
`;

/**
 * SlotBook of scale-out mode: `<prefix>content-slots` (key → slot) and `<prefix>content-slots:minutes`
 * (minute → key), prefix default `baton:`. A slot is computed from the ones taken, then claimed
 * atomically; a process that lost the race to another computes again with that slot taken.
 */
export class RedisSlotBook extends RedisPiece implements SlotBook {
  readonly calendar: PostCalendar;
  readonly #byKey: string;
  readonly #byMinute: string;

  constructor(calendar: PostCalendar, options: RedisOptions) {
    super(options);
    this.calendar = calendar;
    this.#byKey = `${this.prefix}content-slots`;
    this.#byMinute = `${this.#byKey}:minutes`;
  }

  async take(key: string, now: number, alsoTaken: Iterable<number> = []): Promise<number> {
    const elsewhere = [...alsoTaken];
    if (this.calendar.slots.kind === 'now') {
      // Every post goes at once: no minute is held, only the key's own answer for replays.
      await this.redis.hsetnx(this.#byKey, key, String(now));
      return Number(await this.redis.hget(this.#byKey, key));
    }
    for (;;) {
      const held = await this.redis.hgetall(this.#byKey);
      const mine = held[key];
      if (mine !== undefined) return Number(mine);
      await this.#forget(held, now);
      const at = this.calendar.nextFreeSlot([...Object.values(held).map(Number), ...elsewhere], now);
      const claimed = Number(
        await this.redis.eval(CLAIM, 2, this.#byKey, this.#byMinute, key, Math.floor(at / MINUTE), at),
      );
      if (claimed !== 0) return claimed;
    }
  }

  /** Drops slots long past (best effort; a slot in the past is never handed out again anyway). */
  async #forget(held: Record<string, string>, now: number): Promise<void> {
    const old = Object.entries(held).filter(([, at]) => Number(at) < now - KEEP_MS);
    if (old.length === 0) return;
    await this.redis
      .multi()
      .hdel(this.#byKey, ...old.map(([k]) => k))
      .hdel(this.#byMinute, ...old.map(([, at]) => String(Math.floor(Number(at) / MINUTE))))
      .exec();
  }
}
