// The `records` trigger: records in a view (or matching a formula) with an empty status are work; a claim writes the status first.
import { randomBytes } from 'node:crypto';
import { type Clock, systemClock } from '../../src/clock.ts';
import type { InstanceHome } from '../../src/instances/index.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import type {
  PollContext,
  PollResult,
  Trigger,
  TriggerItem,
  TriggerSignal,
} from '../../src/triggers/trigger.ts';
import type { AirtableCallBudget } from './budget.ts';
import type { AirtableClient } from './client.ts';
import { and, field, isEmpty, or, recordIdIs, text } from './formula.ts';
import { statusCells } from './status.ts';
import type { AirtableRecord, TableRef } from './types.ts';

/** The signal key of a record: a run waiting for a person's change in it waits on this key. */
export function airtableRecordKey(recordId: string): string {
  return `airtable:record:${recordId}`;
}

/** The trigger's id, which also names its cursor in the store: `airtable:<base>:<table>[:<view>]`. */
export function recordsTriggerId(table: TableRef & { view?: string | undefined }): string {
  return `airtable:${table.base}:${table.table}${table.view ? `:${table.view}` : ''}`;
}

/** The status a claim writes by default. */
export const QUEUED = 'Queued';

export interface RecordsOptions extends TableRef {
  /** A view (name or `viw…` id) whose records are candidates: its filter and sort apply. */
  view?: string;
  /** A formula records must match (combined with the view when both are given). */
  formula?: string;
  /** The field whose empty cell marks new work; a claim writes `claimStatus` into it. */
  statusField: string;
  /**
   * A text field where a claim writes its run key `<recordId>#<token>`. Recommended: it lets a claim be
   * confirmed when two Baton processes watch one table, and in-flight records be recovered.
   */
  runField?: string;
  /** What a claim writes into the status field (default `Queued`). */
  claimStatus?: string;
  /** Only these fields are fetched (plus the status and run fields); all when absent. */
  fields?: string[];
  /**
   * Statuses meaning "a run is working on this record" (e.g. `['Queued', 'Researching']`): on the first
   * poll of a process, such records carrying a run key are handed over as already claimed, so a process
   * that lost its data folder resumes them under the same key. Needs `runField`.
   */
  inFlightStatuses?: string[];
  /**
   * A formula for in-flight records whose status has a variable part (e.g. `Step 2 of 3 sent …`),
   * recovered like `inFlightStatuses` (either may match). Needs `runField`.
   */
  inFlightFormula?: string;
  /**
   * A text field for the reason a record was skipped. Without it the status says `Skipped: <reason>`
   * (on a single-select status: `Skipped`, and the reason in `detailField`).
   */
  reasonField?: string;
  /** Where the text after `:` of a status goes when the status field is a single select (default `Status detail`). */
  detailField?: string;
  /** Records per page (default 100); further pages are read only when the first one is full. */
  pageSize?: number;
  /** At most this many new items per poll (default 500); the rest come at the next poll. */
  maxItemsPerPoll?: number;
  /**
   * The fastest this trigger polls. Without a `budget`: BATON_POLL_INTERVAL when absent. With one:
   * AIRTABLE_POLL_INTERVAL when absent, slowed down to fit the month's calls.
   */
  intervalMs?: number;
  /**
   * The workspace's monthly call budget (`airtableBudgetFromEnv`): the interval is re-read before each
   * wait and slows down to fit; once the budget is spent, polls are skipped until the month rolls over.
   * Pass the same budget to the client so that every request is counted.
   */
  budget?: AirtableCallBudget;
  /**
   * Records that a waiting run may be waiting for (a person set `Tier` on a record in `Needs review`),
   * found by the same list request as new work: each poll signals `airtableRecordKey(id)` for every
   * record matching this formula. Runs decide from the record itself (`check`), so a signal repeated
   * on every poll until the run moves on is harmless.
   */
  signalFormula?: string;
  /**
   * Only records created after the trigger was first enabled are work (the moment is kept in the
   * trigger's cursor): a table of old leads is not processed on the first start. `false` (backfill)
   * processes them too.
   */
  onlyNewSinceEnabled?: boolean;
  /**
   * With `onlyNewSinceEnabled`: records matching this formula are work whenever they were created
   * (Baton made them itself after the first enable, e.g. from an inbound email), so a record made just
   * before a crash that also lost the data folder is not mistaken for an old one.
   */
  newAnyTime?: string;
  /** Pause between writing a claim and reading it back (default 1000 ms), so a competing claim lands first. */
  claimSettleMs?: number;
  /**
   * Where Baton instances polling this base announce themselves (one Baton per base), usually
   * `airtableInstanceHome(client, base)`: its `Baton` table. Absent: the base is not guarded.
   */
  instanceHome?: InstanceHome;
  clock?: Clock;
  log?: Logger;
}

/** A record handed to a run: its cells, and the claim token once claimed. */
export interface AirtableItem {
  recordId: string;
  createdTime: string;
  fields: Record<string, unknown>;
  /** Set once claimed: the run key is `<recordId>#<token>`. */
  token?: string;
  source: ClaimSource;
}

/** Where a claimed record lives and which fields carry Baton's bookkeeping. */
export interface ClaimSource extends TableRef {
  view?: string;
  statusField: string;
  runField?: string;
  claimStatus: string;
  /** Where the text after `:` of a status goes on a single-select status field (default `Status detail`). */
  detailField?: string;
}

/**
 * Watches a table for records whose status field is empty, within `view` and/or matching `formula`.
 * Airtable does the filtering: an idle poll is ONE list request (`view` + `filterByFormula` that adds
 * `{Status} = ''`, and `fields[]`); more pages are read only when a page comes back full. No cursor is
 * kept: the status field is the memory, so a lost data folder never runs a record twice.
 *
 * Items are keyed by record id; a claim writes the status (and the run key into `runField`) and the
 * claimed item's key is `<recordId>#<token>`, so each time a person clears the status the record runs
 * again under a new key. Baton's own writes set the status, so they never re-trigger it.
 */
export function records(client: AirtableClient, options: RecordsOptions): Trigger<AirtableItem> {
  return new RecordsTrigger(client, options);
}

class RecordsTrigger implements Trigger<AirtableItem> {
  readonly id: string;
  readonly instanceHome?: InstanceHome;
  readonly #client: AirtableClient;
  readonly #options: RecordsOptions;
  readonly #source: ClaimSource;
  readonly #clock: Clock;
  readonly #log: Logger;
  #recovered = false;

  constructor(client: AirtableClient, options: RecordsOptions) {
    this.#client = client;
    this.#options = options;
    this.#source = {
      base: options.base,
      table: options.table,
      statusField: options.statusField,
      claimStatus: options.claimStatus ?? QUEUED,
      ...(options.view ? { view: options.view } : {}),
      ...(options.runField ? { runField: options.runField } : {}),
      ...(options.detailField ? { detailField: options.detailField } : {}),
    };
    this.id = recordsTriggerId(options);
    if (options.instanceHome) this.instanceHome = options.instanceHome;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.log ?? silentLogger).child({ trigger: this.id });
    options.budget?.addPoller(this.id);
  }

  /** Read by the poller before each wait, so a budget can slow it down (or speed it up again). */
  get intervalMs(): number | undefined {
    const { budget, intervalMs } = this.#options;
    return budget ? budget.pollIntervalFor(this.#clock.now(), intervalMs) : intervalMs;
  }

  /** True while the base's breaker is open, or the month's call budget is spent. */
  get paused(): boolean {
    if (this.#client.pausedFor(this.#options.base)) return true;
    return this.#options.budget?.pollsStopped(this.#clock.now()) ?? false;
  }

  /**
   * Lists the records that are work (one request when idle, more pages only when the first is full).
   * The first poll of a process with `inFlightStatuses` also recovers claimed records (one more request).
   * @throws the client's errors (NotFoundError for a wrong base, table, view or field name)
   */
  async poll(ctx: PollContext): Promise<PollResult<AirtableItem>> {
    const items: TriggerItem<AirtableItem>[] = [];
    const signals: TriggerSignal[] = [];
    if (!this.#recovered) {
      items.push(...(await this.#recover()));
      this.#recovered = true;
    }
    const max = this.#options.maxItemsPerPoll ?? 500;
    const { statusField, signalFormula } = this.#options;
    const since = await this.#sinceEnabled(ctx);
    const isWork = and(isEmpty(statusField), since ? or(since, this.#options.newAnyTime) : undefined);
    const query = this.#query(signalFormula ? or(isWork, signalFormula) : isWork);
    let offset: string | undefined;
    do {
      const page = await this.#client.listPage(this.#source, query, offset);
      for (const record of page.records) {
        const status = record.fields[statusField];
        if (status !== undefined && status !== '') signals.push({ key: airtableRecordKey(record.id) });
        else if (items.length < max) items.push({ key: record.id, payload: this.#item(record) });
      }
      offset = items.length < max ? page.offset : undefined;
    } while (offset);
    ctx.log.debug({ trigger: this.id, found: items.length, signals: signals.length }, 'polled airtable');
    return signals.length > 0 ? { items, signals } : { items };
  }

  /**
   * `CREATED_TIME()` after the moment this trigger was first enabled (kept in its cursor), or
   * undefined when every record counts. Records created in the same second as the first poll count.
   */
  async #sinceEnabled(ctx: PollContext): Promise<string | undefined> {
    if (!this.#options.onlyNewSinceEnabled) return undefined;
    let enabledAt = (await ctx.cursor.get<{ enabledAt?: string }>())?.enabledAt;
    if (!enabledAt) {
      const ranBefore = await this.#firstRunRecordTime();
      if (ranBefore) {
        // The data folder was lost, not a first enable: keep the records that came in meanwhile.
        enabledAt = new Date(Date.parse(ranBefore) - 1000).toISOString();
        this.#log.info(
          { enabledAt },
          'no record of the first enable (data folder lost?): records created since the first one Baton ran are work',
        );
      } else {
        enabledAt = new Date(Math.floor(ctx.now() / 1000) * 1000 - 1000).toISOString();
        this.#log.info(
          { enabledAt },
          'first enabled: records created before now are not processed (backfill to process them)',
        );
      }
      await ctx.cursor.set({ enabledAt });
    }
    return `IS_AFTER(CREATED_TIME(), DATETIME_PARSE(${text(enabledAt)}))`;
  }

  /**
   * When the cursor is missing: the creation time of the oldest record carrying a run key (Baton
   * worked on this table before), or undefined on a true first enable. Read from the whole table,
   * not the view, whose filter may hide records already worked on; only the run field is fetched.
   */
  async #firstRunRecordTime(): Promise<string | undefined> {
    const { runField } = this.#source;
    if (!runField) return undefined;
    const ran = await this.#client.listAll(
      { base: this.#source.base, table: this.#source.table },
      { filterByFormula: `${field(runField)} != ''`, fields: [runField], pageSize: 100 },
    );
    return ran.map((r) => r.createdTime).sort()[0];
  }

  /**
   * Claims the record: checks it is still work (one listing of just that record), writes the claim
   * status (and the run key), waits `claimSettleMs`, and reads it back. Returns the item keyed
   * `<recordId>#<token>`, or undefined when the record is gone, no longer work, or holds another claim.
   */
  async claim(item: TriggerItem<AirtableItem>): Promise<TriggerItem<AirtableItem> | undefined> {
    if (item.claimed || item.payload.token) return item;
    const { recordId } = item.payload;
    const still = await this.#client.listPage(
      this.#source,
      this.#query(and(recordIdIs(recordId), isEmpty(this.#options.statusField))),
    );
    if (!still.records.some((r) => r.id === recordId)) return undefined;
    const token = randomBytes(4).toString('hex');
    const key = `${recordId}#${token}`;
    const { statusField, runField, claimStatus } = this.#source;
    await this.#client.updateRecords(
      this.#source,
      [{ id: recordId, fields: { [statusField]: claimStatus, ...(runField ? { [runField]: key } : {}) } }],
      { typecast: true },
    );
    const settle = this.#options.claimSettleMs ?? 1000;
    if (settle > 0) await this.#clock.sleep(settle);
    const after = await this.#client.getRecord(this.#source, recordId);
    const ours = runField ? after?.fields[runField] === key : after?.fields[statusField] === claimStatus;
    if (!after || !ours) {
      this.#log.info({ recordId }, 'claim not confirmed; leaving the record');
      return undefined;
    }
    return { key, payload: { ...this.#item(after), token } };
  }

  /** Marks the record skipped with the reason (in `reasonField`, or the status), if it is still ours or unclaimed. */
  async reject(item: TriggerItem<AirtableItem>, reason: string): Promise<void> {
    const current = await this.#client.getRecord(this.#source, item.payload.recordId);
    if (!current || !this.#holds(current, item.payload.token)) return;
    const why = reason.replace(/\s+/g, ' ').trim().slice(0, 500);
    const { statusField } = this.#source;
    const reasonField = this.#options.reasonField;
    const fields = reasonField
      ? { [statusField]: 'Skipped', [reasonField]: why }
      : await statusCells(this.#client, this.#source, `Skipped: ${why}`, this.#source);
    await this.#client.updateRecords(this.#source, [{ id: current.id, fields }], { typecast: true });
  }

  /** Empties the status (and run key) of a claim whose run never started, if the record still carries it. */
  async release(item: TriggerItem<AirtableItem>): Promise<void> {
    const { token, recordId } = item.payload;
    if (!token) return;
    const current = await this.#client.getRecord(this.#source, recordId);
    if (!current || !this.#holds(current, token)) return;
    const { statusField, runField } = this.#source;
    const fields = { [statusField]: null, ...(runField ? { [runField]: null } : {}) };
    await this.#client.updateRecords(this.#source, [{ id: recordId, fields }]);
  }

  /** True when the record is unclaimed (no token) or still carries this claim. */
  #holds(record: AirtableRecord, token: string | undefined): boolean {
    const { statusField, runField, claimStatus } = this.#source;
    const status = record.fields[statusField];
    if (!token) return status === undefined || status === '';
    if (runField) return record.fields[runField] === `${record.id}#${token}`;
    return status === claimStatus;
  }

  /** Records in an in-flight status (or matching `inFlightFormula`) that carry a run key: handed over as already claimed. */
  async #recover(): Promise<TriggerItem<AirtableItem>[]> {
    const { runField } = this.#source;
    const statuses = this.#options.inFlightStatuses ?? [];
    const { inFlightFormula } = this.#options;
    if (!runField || (statuses.length === 0 && !inFlightFormula)) return [];
    const inFlight = or(
      ...statuses.map((s) => `${field(this.#options.statusField)} = ${text(s)}`),
      inFlightFormula,
    );
    const found = await this.#client.listAll(
      this.#source,
      this.#query(and(inFlight, `${field(runField)} != ''`)),
    );
    const items: TriggerItem<AirtableItem>[] = [];
    for (const record of found) {
      const run = String(record.fields[runField] ?? '');
      const hash = run.lastIndexOf('#');
      if (run.slice(0, hash) !== record.id || hash === run.length - 1) continue;
      const token = run.slice(hash + 1);
      items.push({ key: run, payload: { ...this.#item(record), token }, claimed: true });
    }
    if (items.length > 0) this.#log.info({ count: items.length }, 'recovered in-flight airtable records');
    return items;
  }

  #query(extra: string) {
    const { view, formula, fields, pageSize, statusField, runField } = this.#options;
    const wanted = fields
      ? [...new Set([...fields, statusField, ...(runField ? [runField] : [])])]
      : undefined;
    return {
      filterByFormula: and(formula, extra),
      ...(view ? { view } : {}),
      ...(wanted ? { fields: wanted } : {}),
      pageSize: pageSize ?? 100,
    };
  }

  #item(record: AirtableRecord): AirtableItem {
    return {
      recordId: record.id,
      createdTime: record.createdTime,
      fields: record.fields,
      source: this.#source,
    };
  }
}
