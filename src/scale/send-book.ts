import { z } from 'zod';
import type { DoNotContactList, Reservation, SendBook } from '../../recipes/shared/sending/book.ts';
import type { DoNotContactEntry } from '../../recipes/shared/sending/do-not-contact.ts';
import type { HeldSend, LastContact } from '../../recipes/shared/sending/ledger.ts';
import { type RedisOptions, RedisPiece } from './connection.ts';

const DAY_MS = 24 * 3600_000;
/** As sends.json: days kept so a send replayed after a long outage is still found. */
const KEEP_KEYS_MS = 14 * DAY_MS;
const KEEP_CONTACT_MS = 90 * DAY_MS;
/** As sends.json: a held email not tried again for this long after its wake leaves the line. */
const FORGET_HELD_MS = 7 * DAY_MS;

// The cap's line: a hash key → "<since>:<until>". Holding again keeps the first `since`.
// KEYS: line. ARGV: key, since, until.
const HOLD = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
local since = ARGV[2]
if old then since = string.match(old, '^(%d+):') end
redis.call('HSET', KEYS[1], ARGV[1], since .. ':' .. ARGV[3])
return 1
`;
// Moves the wake later, only for a key in the line. KEYS: line. ARGV: key, until.
const POSTPONE = `
local old = redis.call('HGET', KEYS[1], ARGV[1])
if not old then return 0 end
local since, wake = string.match(old, '^(%d+):(%d+)$')
if tonumber(wake) >= tonumber(ARGV[2]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], since .. ':' .. ARGV[2])
return 1
`;

// Sent already → 'sent'; counted + places others hold ≥ limit → 'full'; else hold a place until
// Redis time + hold. One script, so two processes never both take the last place.
const RESERVE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 'sent' end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local others = redis.call('ZCARD', KEYS[2])
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then others = others - 1 end
if redis.call('SCARD', KEYS[1]) + others >= tonumber(ARGV[2]) then return 'full' end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 'reserved'
`;

const Contact = z.object({ recipe: z.string(), at: z.number() });
const Entry = z.object({ address: z.string(), why: z.string(), at: z.string() });

export interface RedisSendBookOptions extends RedisOptions {
  /**
   * How long a place held by a send in flight lasts (default 10 min): a process that died between
   * the check and the record frees its place after this, instead of holding it all day.
   */
  holdMs?: number;
}

/**
 * SendRules' book in scale-out mode: `<prefix>sends:<day>` (the day's keys), `<prefix>sends:held:<day>`
 * (places held, by expiry), `<prefix>sent:<key>` (for replays), `<prefix>contact:<address>` and
 * `<prefix>sends:line` (the emails the cap held back, in the order they were held); prefix default
 * `baton:`.
 */
export class RedisSendBook extends RedisPiece implements SendBook {
  readonly #holdMs: number;
  readonly #keys: ReturnType<typeof sendKeys>;

  constructor(options: RedisSendBookOptions) {
    super(options);
    this.#holdMs = options.holdMs ?? 10 * 60_000;
    this.#keys = sendKeys(this.prefix);
  }

  async has(key: string): Promise<boolean> {
    return (await this.redis.exists(this.#keys.sent(key))) === 1;
  }

  async count(day: string): Promise<number> {
    return this.redis.scard(this.#keys.day(day));
  }

  async reserve(day: string, key: string, limit: number): Promise<Reservation> {
    const answer = await this.redis.eval(
      RESERVE,
      3,
      this.#keys.day(day),
      this.#keys.held(day),
      this.#keys.sent(key),
      key,
      limit,
      this.#holdMs,
      2 * DAY_MS,
    );
    return z.enum(['sent', 'reserved', 'full']).parse(answer);
  }

  async record(day: string, key: string, contact?: { address: string } & LastContact): Promise<void> {
    const keys = this.#keys;
    const tx = this.redis
      .multi()
      .sadd(keys.day(day), key)
      .pexpire(keys.day(day), KEEP_KEYS_MS)
      .set(keys.sent(key), day, 'PX', KEEP_KEYS_MS)
      .zrem(keys.held(day), key)
      .hdel(keys.line, key);
    if (contact) {
      tx.set(
        keys.contact(contact.address),
        JSON.stringify({ recipe: contact.recipe, at: contact.at }),
        'PX',
        KEEP_CONTACT_MS,
      );
    }
    await tx.exec();
  }

  async release(day: string, key: string): Promise<void> {
    await this.redis.zrem(this.#keys.held(day), key);
  }

  async lastContact(address: string): Promise<LastContact | undefined> {
    const text = await this.redis.get(this.#keys.contact(address));
    return text === null ? undefined : Contact.parse(JSON.parse(text));
  }

  async capLine(now: number): Promise<[string, HeldSend][]> {
    const line: [string, HeldSend][] = [];
    const stale: string[] = [];
    for (const [key, value] of Object.entries(await this.redis.hgetall(this.#keys.line))) {
      const [since, until] = value.split(':').map(Number) as [number, number];
      if (until < now - FORGET_HELD_MS) stale.push(key);
      else line.push([key, { since, until }]);
    }
    if (stale.length > 0) await this.redis.hdel(this.#keys.line, ...stale);
    return line.sort(([, a], [, b]) => a.since - b.since);
  }

  async holdInLine(key: string, since: number, until: number): Promise<void> {
    await this.redis.eval(HOLD, 1, this.#keys.line, key, Math.round(since), Math.round(until));
  }

  async postponeInLine(key: string, until: number): Promise<void> {
    await this.redis.eval(POSTPONE, 1, this.#keys.line, key, Math.round(until));
  }

  async leaveLine(key: string): Promise<boolean> {
    return (await this.redis.hdel(this.#keys.line, key)) === 1;
  }

  /** Closes the connection when this book opened it from a URL. */
}

/**
 * The do-not-contact list every process reads and extends: a hash `<prefix>do-not-contact` (prefix
 * default `baton:`), by address.
 */
export class RedisDoNotContact extends RedisPiece implements DoNotContactList {
  readonly #list: string;

  constructor(options: RedisOptions) {
    super(options);
    this.#list = `${this.prefix}do-not-contact`;
  }

  async find(address: string): Promise<DoNotContactEntry | undefined> {
    const text = await this.redis.hget(this.#list, normal(address));
    return text === null ? undefined : Entry.parse(JSON.parse(text));
  }

  async add(address: string, why: string, at: Date): Promise<void> {
    const entry: DoNotContactEntry = { address: normal(address), why, at: at.toISOString() };
    // HSETNX: the first reason given stays, as the file list keeps its first entry.
    await this.redis.hsetnx(this.#list, entry.address, JSON.stringify(entry));
  }
}

const normal = (address: string) => address.trim().toLowerCase();

/** The book's keys under its group's prefix. */
const sendKeys = (prefix: string) => ({
  line: `${prefix}sends:line`,
  day: (day: string) => `${prefix}sends:${day}`,
  held: (day: string) => `${prefix}sends:held:${day}`,
  sent: (key: string) => `${prefix}sent:${key}`,
  contact: (address: string) => `${prefix}contact:${address}`,
});
