// Where Baton instances polling an Airtable base announce themselves: one record each in a `Baton` table.
import { type Heartbeat, type InstanceHome, parseHeartbeat } from '../../src/instances/index.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import { NotFoundError } from '../core/index.ts';
import type { AirtableClient } from './client.ts';
import { AirtableFailure } from './failures.ts';
import type { NewField } from './schema.ts';
import type { TableRef } from './types.ts';

/** The table holding one record per running instance (`baton setup leads` creates it). */
export const BATON_TABLE = 'Baton';

/** Its fields: who and where in plain columns for people, the whole heartbeat as JSON for Baton. */
export const BATON_TABLE_FIELDS = {
  instance: 'Instance',
  host: 'Host',
  dataDir: 'Data folder',
  heartbeat: 'Heartbeat',
} as const;

/** The `Baton` table as the metadata API creates it (the first field is the primary one). */
export const BATON_TABLE_SCHEMA: { name: string; description: string; fields: NewField[] } = {
  name: BATON_TABLE,
  description:
    'One record per running Baton (one Baton per base): a second one refuses to start while a live one is here. Baton adds and removes these records.',
  fields: [
    { name: BATON_TABLE_FIELDS.instance, type: 'singleLineText', description: "The Baton's instance id" },
    { name: BATON_TABLE_FIELDS.host, type: 'singleLineText', description: 'The machine it runs on' },
    { name: BATON_TABLE_FIELDS.dataDir, type: 'singleLineText', description: 'Its data folder' },
    {
      name: BATON_TABLE_FIELDS.heartbeat,
      type: 'multilineText',
      description: 'Its heartbeat as JSON (last renewal, when it counts as stale)',
    },
  ],
};

/** The fastest Airtable heartbeats are renewed: every renewal is a call the monthly budget counts. */
export const AIRTABLE_RENEW_MS = 15 * 60_000;
/** The slowest: even on the Free plan, a heartbeat is renewed daily (stale after 3 days). */
export const AIRTABLE_MAX_RENEW_MS = 24 * 3_600_000;
/**
 * The share of the month's calls heartbeats may take: 3%, i.e. 15% of the budget's 20% reserve
 * (DEFAULT_RESERVE), so claims and writes keep the rest of it.
 */
export const HEARTBEAT_SHARE = 0.03;
const MONTH_MS = 30 * 24 * 3_600_000;

/**
 * How often to renew a heartbeat on a workspace with `monthlyCalls` a month: every 15 minutes when
 * that fits in 3% of them (Team, 100,000: ~2,900 calls), slower when not, at most daily (Free, 1,000:
 * 30 calls a month, plus 4 per start and stop).
 */
export function airtableRenewEveryMs(monthlyCalls: number = Number.POSITIVE_INFINITY): number {
  if (!Number.isFinite(monthlyCalls)) return AIRTABLE_RENEW_MS;
  const fits = Math.ceil(MONTH_MS / (Math.max(1, monthlyCalls) * HEARTBEAT_SHARE) / 60_000) * 60_000;
  return Math.min(Math.max(AIRTABLE_RENEW_MS, fits), AIRTABLE_MAX_RENEW_MS);
}

export interface AirtableInstanceHomeOptions {
  /** The table's name (default `Baton`). */
  table?: string;
  /** Least time between renewals (default `airtableRenewEveryMs()`: 15 min). */
  renewEveryMs?: number;
  log?: Logger;
}

/**
 * An Airtable base as an instance home. Each instance keeps one record in the `Baton` table:
 * `Instance`, `Host`, `Data folder` for people, `Heartbeat` (the Heartbeat as JSON) for Baton.
 * - a table of its own: a record in the Leads table would be polled as a lead; the table is visible,
 *   so a person can see who runs and delete the record of a crashed instance by hand;
 * - one listing to read (two at start, with the read-back), one create to announce, one PATCH to
 *   renew, one DELETE at a clean stop — each counted by the monthly call budget, so renewals are
 *   rare (`renewEveryMs`, 15 min or slower) and the heartbeat is stale only 3 renewals later;
 * - a base without the table (or a token that cannot use it) is logged once and left unguarded:
 *   nothing is announced there and nothing fails, and no more calls are spent on it until a restart.
 */
export class AirtableInstanceHome implements InstanceHome {
  readonly id: string;
  readonly label: string;
  readonly renewEveryMs: number;
  readonly #client: AirtableClient;
  readonly #table: TableRef;
  readonly #log: Logger;
  /** Record ids by instance id, as last listed. */
  #records = new Map<string, string[]>();
  #mine: { record: string; instance: string } | undefined;
  /** The table cannot be used: said once, then every method is a no-op. */
  #missing = false;

  constructor(client: AirtableClient, base: string, options: AirtableInstanceHomeOptions = {}) {
    this.#client = client;
    this.#table = { base, table: options.table ?? BATON_TABLE };
    this.#log = options.log ?? silentLogger;
    this.renewEveryMs = options.renewEveryMs ?? airtableRenewEveryMs();
    this.id = `airtable:${base}`;
    this.label = `Airtable base ${base}`;
  }

  /** True once the table was found missing (or unusable): this base is not guarded. */
  get unguarded(): boolean {
    return this.#missing;
  }

  async list(): Promise<Heartbeat[]> {
    if (this.#missing) return [];
    const found = await this.#unlessMissing(() => this.#client.listAll(this.#table, { pageSize: 100 }));
    const records = new Map<string, string[]>();
    const beats: Heartbeat[] = [];
    for (const record of found ?? []) {
      const beat = parseHeartbeat(textOf(record.fields[BATON_TABLE_FIELDS.heartbeat]));
      if (!beat) continue; // a row a person added: not ours to judge, nor to delete
      records.set(beat.id, [...(records.get(beat.id) ?? []), record.id]);
      beats.push(beat);
    }
    this.#records = records;
    return beats;
  }

  async announce(beat: Heartbeat, replaces: string[]): Promise<void> {
    if (this.#missing) return;
    const old = replaces.flatMap((id) => this.#records.get(id) ?? []);
    await this.#unlessMissing(async () => {
      if (old.length > 0) await this.#client.deleteRecords(this.#table, old);
      const [created] = await this.#client.createRecords(this.#table, [
        {
          [BATON_TABLE_FIELDS.instance]: beat.id,
          [BATON_TABLE_FIELDS.host]: beat.host,
          [BATON_TABLE_FIELDS.dataDir]: beat.dataDir,
          [BATON_TABLE_FIELDS.heartbeat]: JSON.stringify(beat),
        },
      ]);
      if (created) this.#mine = { record: created.id, instance: beat.id };
    });
  }

  async renew(beat: Heartbeat): Promise<boolean> {
    if (this.#missing) return true; // nothing to renew: not a takeover
    if (!this.#mine) return false;
    try {
      await this.#client.updateRecords(this.#table, [
        { id: this.#mine.record, fields: { [BATON_TABLE_FIELDS.heartbeat]: JSON.stringify(beat) } },
      ]);
      return true;
    } catch (err) {
      if (!recordGone(err)) throw err;
      this.#mine = undefined;
      return false;
    }
  }

  async remove(ids: string[]): Promise<void> {
    if (this.#missing) return;
    const records = ids.flatMap((id) => this.#records.get(id) ?? []);
    if (this.#mine && ids.includes(this.#mine.instance)) {
      records.push(this.#mine.record);
      this.#mine = undefined;
    }
    if (records.length > 0) await this.#client.deleteRecords(this.#table, records);
  }

  /** Runs `fn`; a table Airtable cannot find (or the token may not use) is said once and skipped. */
  async #unlessMissing<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof NotFoundError) || recordGone(err)) throw err;
      this.#missing = true;
      this.#log.warn(
        { home: this.label, table: this.#table.table, err: err.message },
        `no usable '${this.#table.table}' table in ${this.label}: this Baton does not announce itself there, so a second Baton on this base is not detected — run \`baton setup leads\` to create the table`,
      );
      return undefined;
    }
  }
}

/** A renewal's record was deleted (another instance took over): 422 ROW_DOES_NOT_EXIST. */
function recordGone(err: unknown): boolean {
  if (!(err instanceof NotFoundError)) return false;
  const cause = err.cause;
  return cause instanceof AirtableFailure && cause.type === 'ROW_DOES_NOT_EXIST';
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const homes = new WeakMap<AirtableClient, Map<string, AirtableInstanceHome>>();

/**
 * The one home of `base` for this client: triggers on the same base share it (the first caller's
 * options apply).
 */
export function airtableInstanceHome(
  client: AirtableClient,
  base: string,
  options: AirtableInstanceHomeOptions = {},
): AirtableInstanceHome {
  const byBase = homes.get(client) ?? new Map<string, AirtableInstanceHome>();
  homes.set(client, byBase);
  const home = byBase.get(base) ?? new AirtableInstanceHome(client, base, options);
  byBase.set(base, home);
  return home;
}
