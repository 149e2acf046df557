// The scale-out store (BATON_REDIS_URL): the same contract as the file store, on Redis, shared by
// every Baton process. Each write that touches several keys is one Lua script, so readers on other
// machines never see a run half moved between indexes.
//
// Keys (under `prefix`, default `baton:`):
//   run:<id>               the run document (JSON), replaced whole
//   runs:status            hash id -> status (what the indexes below were last told)
//   runs:status:<status>   set of ids per status: listing active runs never reads finished ones
//   runs:recipe:<recipe>   set of ids per recipe
//   runs:finished          sorted set of finished ids by updatedAt, for `archive`
//   runs:waiting:<key>     set of ids waiting for the signal `key` (see `waitingOn`)
//   runs:waitkey           hash id -> the signal key the run waits for
//   archive:runs:<YYYY-MM> list of archived run documents
//   archive:ids:<YYYY-MM>  set of their ids (`hasRun` remembers archived runs)
//   archive:months         set of months that have an archive
//   cursor:<name>          a trigger cursor (JSON)
//   commands               list of CLI commands (JSON), oldest first
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { lazyModule } from '../../connectors/core/index.ts';
import { BatonError } from '../engine/errors.ts';
import { RUN_STATUSES, type RunRecord, RunRecordSchema, wakeKeys } from '../engine/run-record.ts';
import { type Logger, silentLogger } from '../log.ts';
import { safeJson } from './json.ts';
import { logOutages } from './redis-outage.ts';
import type { RunFilter, Store, StoreCommand } from './store.ts';

// Loaded when a Redis store is made: a Baton on its data folder never loads ioredis.
const ioredis = lazyModule<typeof import('ioredis')>('ioredis');

const StoreCommandSchema = z.object({ kind: z.enum(['retry', 'cancel']), runId: z.string() });
const FINISHED = new Set(['done', 'failed', 'cancelled']);
const ID = /^[a-z0-9-]+$/;

export interface RedisStoreOptions {
  /** `redis://[:password@]host:port[/db]`; ignored when `redis` is given. */
  url?: string;
  /** A connection to use instead of opening one (left open by `close`). */
  redis?: Redis;
  /** Prepended to every key, so several Batons (or tests) can share one server. Default `baton:`. */
  prefix?: string;
  log?: Logger;
  /** Archived months older than this are deleted by `archive` (default 12). */
  keepArchiveMonths?: number;
}

// KEYS: run, statusHash, finishedZ, waitkeyHash. ARGV: prefix, id, doc, status, recipe, updatedAt,
// finished(0/1), waitKeys (the signal keys the run waits for, space separated; '' for none).
const SAVE = `
local old = redis.call('HGET', KEYS[2], ARGV[2])
if old then redis.call('SREM', ARGV[1] .. 'runs:status:' .. old, ARGV[2]) end
local oldKeys = redis.call('HGET', KEYS[4], ARGV[2])
if oldKeys then
  for key in string.gmatch(oldKeys, '%S+') do redis.call('SREM', ARGV[1] .. 'runs:waiting:' .. key, ARGV[2]) end
end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
redis.call('SADD', ARGV[1] .. 'runs:status:' .. ARGV[4], ARGV[2])
redis.call('SADD', ARGV[1] .. 'runs:recipe:' .. ARGV[5], ARGV[2])
if ARGV[7] == '1' then redis.call('ZADD', KEYS[3], ARGV[6], ARGV[2]) else redis.call('ZREM', KEYS[3], ARGV[2]) end
if ARGV[8] ~= '' then
  redis.call('HSET', KEYS[4], ARGV[2], ARGV[8])
  for key in string.gmatch(ARGV[8], '%S+') do redis.call('SADD', ARGV[1] .. 'runs:waiting:' .. key, ARGV[2]) end
else
  redis.call('HDEL', KEYS[4], ARGV[2])
end
return 1
`;

// Moves one finished run into the archive if it is still the version listed (same updatedAt).
// KEYS: run, statusHash, finishedZ. ARGV: prefix, id, expectedScore, month, recipe.
const ARCHIVE = `
local score = redis.call('ZSCORE', KEYS[3], ARGV[2])
if not score or tonumber(score) ~= tonumber(ARGV[3]) then return 0 end
local doc = redis.call('GET', KEYS[1])
if doc then redis.call('RPUSH', ARGV[1] .. 'archive:runs:' .. ARGV[4], doc) end
redis.call('SADD', ARGV[1] .. 'archive:ids:' .. ARGV[4], ARGV[2])
redis.call('SADD', ARGV[1] .. 'archive:months', ARGV[4])
local status = redis.call('HGET', KEYS[2], ARGV[2])
if status then redis.call('SREM', ARGV[1] .. 'runs:status:' .. status, ARGV[2]) end
redis.call('SREM', ARGV[1] .. 'runs:recipe:' .. ARGV[5], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('DEL', KEYS[1])
return 1
`;

export class RedisStore implements Store {
  readonly prefix: string;
  readonly #redis: Redis;
  readonly #owned: boolean;
  readonly #log: Logger;
  readonly #keepArchiveMonths: number;

  constructor(options: RedisStoreOptions) {
    if (!options.redis && !options.url) throw new Error('RedisStore needs a url or a connection');
    this.prefix = options.prefix ?? 'baton:';
    this.#owned = !options.redis;
    // lazyConnect: nothing happens until `open`, like the file store.
    this.#redis = options.redis ?? new (ioredis().Redis)(options.url ?? '', { lazyConnect: true });
    this.#log = options.log ?? silentLogger;
    if (this.#owned) logOutages(this.#redis, this.#log, 'store');
    this.#keepArchiveMonths = options.keepArchiveMonths ?? 12;
  }

  /** The connection (for the dispatcher and the scale-out coordination to share). */
  get redis(): Redis {
    return this.#redis;
  }

  /**
   * No lock: Redis is shared by design; the dispatcher's run locks keep processes apart.
   * @throws BatonError naming BATON_REDIS_URL when Redis cannot be reached (it does not retry then).
   */
  async open(_options: { readOnly?: boolean } = {}): Promise<void> {
    try {
      if (this.#redis.status === 'wait') await this.#redis.connect();
      await this.#redis.ping();
    } catch (err) {
      if (this.#owned) this.#redis.disconnect();
      const { host, port } = this.#redis.options;
      throw new BatonError(`Cannot reach Redis at ${host}:${port}: ${(err as Error).message}`, {
        hint: 'check BATON_REDIS_URL and that Redis is running (or unset it to use the data folder)',
      });
    }
  }

  async close(): Promise<void> {
    if (this.#owned && this.#redis.status !== 'end') await this.#redis.quit().catch(() => undefined);
  }

  async saveRun(run: RunRecord): Promise<void> {
    const finished = FINISHED.has(run.status);
    // A wait may listen for several keys (run-record.ts `wakeKeys`); signal keys hold no spaces.
    const waitKey = run.status === 'waiting' ? wakeKeys(run.wake).join(' ') : '';
    await this.#redis.eval(
      SAVE,
      4,
      this.#k(`run:${run.id}`),
      this.#k('runs:status'),
      this.#k('runs:finished'),
      this.#k('runs:waitkey'),
      this.prefix,
      run.id,
      JSON.stringify(run),
      run.status,
      run.recipe,
      String(run.updatedAt),
      finished ? '1' : '0',
      waitKey,
    );
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    if (!ID.test(id)) return undefined;
    const text = await this.#redis.get(this.#k(`run:${id}`));
    return text === null ? undefined : await this.#parse(id, text);
  }

  async hasRun(id: string): Promise<boolean> {
    if (!ID.test(id)) return false;
    if ((await this.#redis.exists(this.#k(`run:${id}`))) === 1) return true;
    const months = await this.#redis.smembers(this.#k('archive:months'));
    if (months.length === 0) return false;
    const pipeline = this.#redis.pipeline();
    for (const month of months) pipeline.sismember(this.#k(`archive:ids:${month}`), id);
    const results = (await pipeline.exec()) ?? [];
    return results.some(([, found]) => found === 1);
  }

  /** Reads only the ids the status and recipe indexes name. */
  async listRuns(filter: RunFilter = {}): Promise<RunRecord[]> {
    const statuses = filter.status ?? RUN_STATUSES;
    const byStatus = statuses.map((s) => this.#k(`runs:status:${s}`));
    let ids: string[];
    if (filter.recipe === undefined) ids = await this.#redis.sunion(...byStatus);
    else {
      const recipe = await this.#redis.smembers(this.#k(`runs:recipe:${filter.recipe}`));
      const wanted = new Set(await this.#redis.sunion(...byStatus));
      ids = recipe.filter((id) => wanted.has(id));
    }
    const runs: RunRecord[] = [];
    for (let i = 0; i < ids.length; i += 200) {
      const chunk = ids.slice(i, i + 200);
      const texts = await this.#redis.mget(...chunk.map((id) => this.#k(`run:${id}`)));
      for (const [j, text] of texts.entries()) {
        const id = chunk[j];
        if (text === null || id === undefined) continue;
        const run = await this.#parse(id, text);
        // The document is the truth; an index entry a moment behind it is filtered here.
        if (!run || !statuses.includes(run.status)) continue;
        if (filter.recipe !== undefined && run.recipe !== filter.recipe) continue;
        runs.push(run);
      }
    }
    return runs.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /**
   * Ids of runs saved as waiting for the signal `key`, for a process that did not load them (the
   * scale-out dispatcher delivers signals from any machine). An index: check each run's document.
   */
  async waitingOn(key: string): Promise<string[]> {
    return this.#redis.smembers(this.#k(`runs:waiting:${key}`));
  }

  async getCursor<T>(name: string): Promise<T | undefined> {
    const text = await this.#redis.get(this.#k(`cursor:${name}`));
    if (text === null) return undefined;
    const value = safeJson(text);
    if (value === undefined) this.#log.warn({ cursor: name }, 'unreadable cursor; starting afresh');
    return value as T | undefined;
  }

  async setCursor<T>(name: string, value: T): Promise<void> {
    await this.#redis.set(this.#k(`cursor:${name}`), JSON.stringify(value));
  }

  async archive(before: number): Promise<number> {
    const old = await this.#redis.zrangebyscore(this.#k('runs:finished'), '-inf', `(${before}`, 'WITHSCORES');
    const retries = await this.#retriesPending();
    let moved = 0;
    for (let i = 0; i < old.length; i += 2) {
      const id = old[i] ?? '';
      const score = old[i + 1] ?? '';
      if (retries.has(id)) continue;
      const run = await this.getRun(id);
      const month = new Date(Number(score)).toISOString().slice(0, 7);
      const done = await this.#redis.eval(
        ARCHIVE,
        3,
        this.#k(`run:${id}`),
        this.#k('runs:status'),
        this.#k('runs:finished'),
        this.prefix,
        id,
        score,
        month,
        run?.recipe ?? '',
      );
      if (done === 1) moved++;
    }
    await this.#pruneArchive(before);
    return moved;
  }

  async enqueueCommand(command: StoreCommand): Promise<void> {
    await this.#redis.rpush(this.#k('commands'), JSON.stringify(command));
  }

  /** Takes the whole list in one transaction: two processes never apply the same command. */
  async takeCommands(): Promise<StoreCommand[]> {
    const result = await this.#redis
      .multi()
      .lrange(this.#k('commands'), 0, -1)
      .del(this.#k('commands'))
      .exec();
    const texts = (result?.[0]?.[1] as string[] | undefined) ?? [];
    return texts.flatMap((t) => {
      const parsed = StoreCommandSchema.safeParse(safeJson(t));
      return parsed.success ? [parsed.data] : [];
    });
  }

  async writable(): Promise<boolean> {
    try {
      await this.#redis.set(this.#k('write-check'), String(Date.now()));
      return true;
    } catch {
      return false;
    }
  }

  async #retriesPending(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const text of await this.#redis.lrange(this.#k('commands'), 0, -1)) {
      const parsed = StoreCommandSchema.safeParse(safeJson(text));
      if (parsed.success && parsed.data.kind === 'retry') ids.add(parsed.data.runId);
    }
    return ids;
  }

  async #pruneArchive(now: number): Promise<void> {
    const cutoff = new Date(now);
    cutoff.setUTCMonth(cutoff.getUTCMonth() - this.#keepArchiveMonths);
    const oldest = cutoff.toISOString().slice(0, 7);
    for (const month of await this.#redis.smembers(this.#k('archive:months'))) {
      if (month >= oldest) continue;
      await this.#redis
        .multi()
        .del(this.#k(`archive:runs:${month}`), this.#k(`archive:ids:${month}`))
        .srem(this.#k('archive:months'), month)
        .exec();
    }
  }

  /** A document that fails the schema is a hand edit or a bug: set aside under `quarantine:`, said once. */
  async #parse(id: string, text: string): Promise<RunRecord | undefined> {
    const run = RunRecordSchema.safeParse(safeJson(text));
    if (run.success) return run.data;
    this.#log.error({ runId: id, key: this.#k(`quarantine:${id}`) }, 'run document unreadable; moved aside');
    await this.#redis
      .multi()
      .set(this.#k(`quarantine:${id}`), text)
      .del(this.#k(`run:${id}`))
      .exec()
      .catch(() => undefined);
    return undefined;
  }

  #k(key: string): string {
    return `${this.prefix}${key}`;
  }
}
