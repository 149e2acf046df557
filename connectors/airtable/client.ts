// AirtableClient: the one gate to Airtable (5 requests/s per base, 30 s after a 429, clear errors).
import type Airtable from 'airtable';
import { z } from 'zod';
import type { Logger } from '../../src/log.ts';
import { lazyModule, NotFoundError, ServiceError, ServicePausedError, ServicePolicy } from '../core/index.ts';
import {
  AirtableFailure,
  classifyAirtable,
  describeAirtable,
  toFailure,
  unknownFieldOf,
} from './failures.ts';
import {
  BaseSchemaSchema,
  type FieldModel,
  FieldModelSchema,
  type NewField,
  type TableModel,
  TableModelSchema,
} from './schema.ts';
import type {
  AirtableClientOptions,
  AirtableConfigHints,
  AirtableRecord,
  ListQuery,
  RecordPage,
  TableRef,
  UpsertResult,
} from './types.ts';

// Loaded when a client is made (a recipe uses Airtable), not when Baton starts.
const airtableSdk = lazyModule<typeof Airtable>('airtable');

/** Airtable's limit on records per create, update or upsert request. */
export const MAX_RECORDS_PER_REQUEST = 10;
/**
 * Airtable allows 5 requests per second per base. Bursts of 5 are spread over 1.2 s rather than 1 s,
 * so that uneven network latency cannot squeeze 6 into one second at Airtable's end (which would cost
 * a 30-second penalty).
 */
const DEFAULT_PER_BASE = { limit: 5, intervalMs: 1200 };
/** airtable.js switches to `POST …/listRecords` past this URL length; so do we. */
const URL_LIMIT = 15_000;

const RecordSchema = z.object({
  id: z.string(),
  createdTime: z.string(),
  fields: z.record(z.string(), z.unknown()).default({}),
});
const PageSchema = z.object({ records: z.array(RecordSchema), offset: z.string().optional() });
const WriteSchema = z.object({
  records: z.array(RecordSchema),
  createdRecords: z.array(z.string()).optional(),
  updatedRecords: z.array(z.string()).optional(),
});

type SdkBase = ReturnType<Airtable['base']>;

/**
 * Airtable through airtable.js 0.12.2 with one ServicePolicy per base ('airtable': 5 requests per
 * second, retries with backoff on 5xx and dropped connections, a wait of at least `rateLimitedDelayMs`
 * (30 s) after a 429, and a breaker). The SDK's own 429 retries are off (`noRetryIfRateLimited`): its
 * full-jitter backoff starts at 5 s, below Airtable's 30-second penalty, and would be counted twice.
 * Requests go through the SDK's `base.makeRequest` (its auth, endpoint, query encoding and error
 * mapping), so that every page is one policed request and upserts keep `createdRecords`.
 *
 * Every method throws: AuthError (401, naming AIRTABLE_TOKEN), NotFoundError (unknown base, table,
 * view or field, naming the setting to check), ServicePausedError while the breaker is open, and
 * ServiceError otherwise. Error messages never contain the token.
 */
export class AirtableClient {
  readonly #sdk: Airtable;
  readonly #options: AirtableClientOptions;
  readonly #policies = new Map<string, ServicePolicy>();
  readonly #bases = new Map<string, SdkBase>();
  readonly #hints: AirtableConfigHints;
  readonly #log: Logger | undefined;
  /** Each base's tables from the metadata API, read once per process (see `tableSchema`). */
  readonly #schemas = new Map<string, Promise<TableModel[]>>();
  /** Per base: until when a 429 belongs to the penalty already logged. */
  readonly #penaltyUntil = new Map<string, number>();

  constructor(options: AirtableClientOptions) {
    this.#options = options;
    this.#hints = options.configHints ?? {};
    this.#log = options.log;
    const Sdk = airtableSdk();
    this.#sdk = new Sdk({
      apiKey: options.token,
      endpointUrl: options.endpointUrl ?? 'https://api.airtable.com',
      noRetryIfRateLimited: true,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
    });
  }

  /** True while any base's breaker is open (pollers skip their turn). */
  get paused(): boolean {
    return [...this.#policies.values()].some((p) => p.paused);
  }

  /** True while calls to this base are paused after repeated failures. */
  pausedFor(base: string): boolean {
    return this.#policies.get(base)?.paused ?? false;
  }

  get stats(): Readonly<{ calls: number; failures: number; rateLimited: number }> {
    const total = { calls: 0, failures: 0, rateLimited: 0 };
    for (const p of this.#policies.values()) {
      total.calls += p.stats.calls;
      total.failures += p.stats.failures;
      total.rateLimited += p.stats.rateLimited;
    }
    return total;
  }

  /**
   * One page of records (one request). Pass the previous page's `offset` for the next one; an offset
   * expires after a while (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE, a ServiceError): start again.
   */
  async listPage(table: TableRef, query: ListQuery = {}, offset?: string): Promise<RecordPage> {
    const params: Record<string, unknown> = {};
    for (const [key, value] of Object.entries({ ...query, offset })) {
      if (value !== undefined) params[key] = value;
    }
    if (query.sort)
      params.sort = query.sort.map((s) => ({ field: s.field, direction: s.direction ?? 'asc' }));
    const path = `/${encodeURIComponent(table.table)}`;
    const long = JSON.stringify(params).length + path.length > URL_LIMIT;
    const ctx = { table, ...(query.view ? { view: query.view } : {}) };
    const body = await this.#call('list records', ctx, (sdk) =>
      long
        ? sdk.makeRequest({ method: 'POST', path: `${path}/listRecords`, body: params })
        : sdk.makeRequest({ method: 'GET', path, qs: params }),
    );
    const page = parse(PageSchema, body, 'list records');
    return page.offset ? { records: page.records, offset: page.offset } : { records: page.records };
  }

  /**
   * Every record the query selects, page after page (up to `maxRecords` when set). When Airtable
   * drops the listing midway (LIST_RECORDS_ITERATOR_NOT_AVAILABLE), it starts over once.
   */
  async listAll(table: TableRef, query: ListQuery = {}): Promise<AirtableRecord[]> {
    for (let attempt = 0; ; attempt++) {
      const out: AirtableRecord[] = [];
      try {
        let offset: string | undefined;
        do {
          const page = await this.listPage(table, query, offset);
          out.push(...page.records);
          offset = page.offset;
        } while (offset);
        return out;
      } catch (err) {
        if (attempt > 0 || !iteratorLost(err)) throw err;
        this.#log?.info({ table: table.table }, 'airtable listing expired midway; starting over');
      }
    }
  }

  /** The record as it is now, or undefined when it was deleted. One request. */
  async getRecord(table: TableRef, id: string): Promise<AirtableRecord | undefined> {
    try {
      const body = await this.#call('read a record', { table }, (sdk) =>
        sdk.makeRequest({ method: 'GET', path: `/${encodeURIComponent(table.table)}/${id}` }),
      );
      return parse(RecordSchema, body, 'read a record');
    } catch (err) {
      if (err instanceof NotFoundError && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * Creates records, 10 per request. Not idempotent: a retry after a lost answer can create a batch
   * twice. Use `upsert` when the records have a key.
   */
  async createRecords(
    table: TableRef,
    records: Record<string, unknown>[],
    options: { typecast?: boolean } = {},
  ): Promise<AirtableRecord[]> {
    const out: AirtableRecord[] = [];
    for (const batch of batches(records)) {
      const body = await this.#call('create records', { table }, (sdk) =>
        sdk.makeRequest({
          method: 'POST',
          path: `/${encodeURIComponent(table.table)}`,
          body: { records: batch.map((fields) => ({ fields })), typecast: options.typecast === true },
        }),
      );
      out.push(...parse(WriteSchema, body, 'create records').records);
    }
    return out;
  }

  /**
   * Changes the named cells of records (PATCH; `replace` clears every other cell: PUT), 10 records per
   * request. Idempotent: the same update again changes nothing.
   */
  async updateRecords(
    table: TableRef,
    updates: { id: string; fields: Record<string, unknown> }[],
    options: { typecast?: boolean; replace?: boolean } = {},
  ): Promise<AirtableRecord[]> {
    const out: AirtableRecord[] = [];
    for (const batch of batches(updates)) {
      const body = await this.#call('update records', { table }, (sdk) =>
        sdk.makeRequest({
          method: options.replace ? 'PUT' : 'PATCH',
          path: `/${encodeURIComponent(table.table)}`,
          body: { records: batch, typecast: options.typecast === true },
        }),
      );
      out.push(...parse(WriteSchema, body, 'update records').records);
    }
    return out;
  }

  /**
   * Deletes records, 10 per request (`DELETE ?records[]=…`). Idempotent in effect: a record already
   * gone is not an error worth acting on, so callers may delete what they last listed.
   */
  async deleteRecords(table: TableRef, ids: string[]): Promise<void> {
    for (const batch of batches([...new Set(ids)])) {
      await this.#call('delete records', { table }, (sdk) =>
        sdk.makeRequest({
          method: 'DELETE',
          path: `/${encodeURIComponent(table.table)}`,
          qs: { records: batch },
        }),
      );
    }
  }

  /**
   * Creates or updates records by a key (`mergeOn`, 1 to 3 fields, e.g. `['Email']`) with Airtable's
   * `performUpsert`, 10 records per request. Idempotent by that key: running it again (after a crash,
   * or a retry whose answer was lost) updates the same records instead of adding copies.
   * @throws ServiceError when a key matches more than one record (that batch is left unchanged) or a
   *   record lacks a key field; NotFoundError for an unknown field.
   */
  async upsert(
    table: TableRef,
    records: Record<string, unknown>[],
    options: { mergeOn: string[]; typecast?: boolean },
  ): Promise<UpsertResult> {
    if (options.mergeOn.length < 1 || options.mergeOn.length > 3) {
      throw new ServiceError('airtable', 'upsert needs 1 to 3 mergeOn fields', {
        hint: 'name the field(s) that identify a record, e.g. mergeOn: ["Email"]',
      });
    }
    for (const fields of records) {
      const missing = options.mergeOn.filter((name) => fields[name] === undefined || fields[name] === null);
      if (missing.length > 0) {
        throw new ServiceError('airtable', `upsert: a record has no value for ${missing.join(', ')}`, {
          hint: 'every record must carry its key fields (mergeOn)',
        });
      }
    }
    const result: UpsertResult = { records: [], created: [], updated: [] };
    for (const batch of batches(records)) {
      const body = await this.#call('upsert records', { table }, (sdk) =>
        sdk.makeRequest({
          method: 'PATCH',
          path: `/${encodeURIComponent(table.table)}`,
          body: {
            performUpsert: { fieldsToMergeOn: options.mergeOn },
            records: batch.map((fields) => ({ fields })),
            typecast: options.typecast === true,
          },
        }),
      );
      const written = parse(WriteSchema, body, 'upsert records');
      result.records.push(...written.records);
      result.created.push(...(written.createdRecords ?? []));
      result.updated.push(...(written.updatedRecords ?? []));
    }
    return result;
  }

  /**
   * The names in `names` the table has no field for (exact, case-sensitive), found the way
   * `validateFields` finds them: one one-record listing per missing field plus one. Needs only
   * data.records:read.
   * @throws AuthError / NotFoundError for the token, base or table
   */
  async missingFields(table: TableRef, names: string[]): Promise<string[]> {
    const wanted = [...new Set(names)];
    const missing: string[] = [];
    while (wanted.length > 0) {
      try {
        await this.listPage(table, { fields: wanted, pageSize: 1, maxRecords: 1 });
        break;
      } catch (err) {
        const field = err instanceof ServiceError ? unknownFieldOf(err.cause) : undefined;
        if (field === undefined || !wanted.includes(field)) throw err;
        missing.push(field);
        wanted.splice(wanted.indexOf(field), 1);
      }
    }
    return missing;
  }

  /**
   * Checks at start-up that the table has every field in `names` (exact, case-sensitive names), with
   * a one-record listing that asks for those fields: Airtable answers 422 UNKNOWN_FIELD_NAME for the
   * first unknown one, which is dropped and the check repeated, so one error names them all. Needs only
   * data.records:read (the schema API would need schema.bases:read as well). Also proves the token,
   * base and table are right.
   * @throws NotFoundError naming every missing field; AuthError / NotFoundError for the token, base or table
   */
  async validateFields(table: TableRef, names: string[]): Promise<void> {
    const missing = await this.missingFields(table, names);
    if (missing.length === 0) return;
    const list = missing.map((m) => `"${m}"`).join(', ');
    throw new NotFoundError(
      'airtable',
      `Airtable table '${table.table}' has no field${missing.length > 1 ? 's' : ''} ${list}`,
      {
        hint: `add ${missing.length > 1 ? 'them' : 'it'} in Airtable (names are case-sensitive), or change the field names Baton is given`,
      },
    );
  }

  /**
   * The table's fields and their types, from the metadata API (`GET /v0/meta/bases/{base}/tables`, one
   * request per base, then cached for the life of the client: a field type changed in Airtable is seen
   * after a restart). Needs the `schema.bases:read` scope.
   * @throws NotFoundError for a table the base lacks, or a token without schema.bases:read
   */
  async tableSchema(table: TableRef): Promise<TableModel> {
    let tables = this.#schemas.get(table.base);
    if (!tables) {
      tables = this.#readSchema(table);
      this.#schemas.set(table.base, tables);
      tables.catch(() => this.#schemas.delete(table.base));
    }
    const found = (await tables).find((t) => t.id === table.table || t.name === table.table);
    if (!found) {
      throw new NotFoundError('airtable', `Airtable base ${table.base} has no table '${table.table}'`, {
        hint: `check ${this.#hints.table ?? 'the table name'} (case-sensitive) or use the table id (tbl…)`,
      });
    }
    return found;
  }

  /**
   * Adds a field to the table (`POST /v0/meta/bases/{base}/tables/{tableId}/fields`). Needs the
   * `schema.bases:write` scope and a token whose user is a Creator of the base. Not idempotent on its
   * own: a second call with the same name fails (DUPLICATE_OR_EMPTY_FIELD_NAME); `setupTable` checks first.
   */
  async createField(table: TableRef, field: NewField): Promise<FieldModel> {
    const { id } = await this.tableSchema(table);
    const body = await this.#call(
      'create a field',
      { table, scopes: 'schema.bases:write, as a Creator of the base' },
      (sdk) =>
        sdk.makeRequest({ method: 'POST', path: `/bases/${table.base}/tables/${id}/fields`, body: field }),
      'meta',
    );
    this.#schemas.delete(table.base);
    return parse(FieldModelSchema, body, 'create a field');
  }

  /**
   * Creates a table (`POST /v0/meta/bases/{base}/tables`, https://airtable.com/developers/web/api/create-table);
   * the first field is the primary one and must be a text-like type. Needs `schema.bases:write` and a
   * Creator of the base. Not idempotent: check with `tableSchema` (or a listing) first.
   */
  async createTable(
    base: string,
    table: { name: string; description?: string; fields: NewField[] },
  ): Promise<TableModel> {
    const body = await this.#call(
      'create a table',
      { table: { base, table: table.name }, scopes: 'schema.bases:write, as a Creator of the base' },
      (sdk) => sdk.makeRequest({ method: 'POST', path: `/bases/${base}/tables`, body: table }),
      'meta',
    );
    this.#schemas.delete(base);
    return parse(TableModelSchema, body, 'create a table');
  }

  async #readSchema(table: TableRef): Promise<TableModel[]> {
    const body = await this.#call(
      'read the base schema',
      { table, scopes: 'schema.bases:read' },
      (sdk) => sdk.makeRequest({ method: 'GET', path: `/bases/${table.base}/tables` }),
      'meta',
    );
    return parse(BaseSchemaSchema, body, 'read the base schema').tables;
  }

  /**
   * Runs one SDK request under the base's policy; turns failures into typed errors with the fix.
   * `sdkBase` 'meta' sends it to `/v0/meta…` (airtable.js builds `/v0/{baseId}{path}`; the metadata
   * API has no SDK method), still counted against the table's base.
   */
  async #call(
    operation: string,
    ctx: { table: TableRef; view?: string; scopes?: string },
    fn: (sdk: SdkBase) => Promise<{ body: unknown }>,
    sdkBase: string = ctx.table.base,
  ): Promise<unknown> {
    const sdk = this.#base(sdkBase);
    try {
      return await this.#policy(ctx.table.base).call(operation, async () => {
        // Here, once per attempt after the rate gate: a retried request is another call to Airtable.
        this.#options.budget?.count(ctx.table.base);
        try {
          return (await fn(sdk)).body;
        } catch (err) {
          const failure = toFailure(err);
          if (failure.status === 429) this.#penalised(ctx.table.base);
          throw failure;
        }
      });
    } catch (err) {
      if (err instanceof ServicePausedError) throw err;
      const raw = err instanceof ServiceError && err.cause instanceof AirtableFailure ? err.cause : undefined;
      if (!raw) throw err;
      throw describeAirtable(raw, { operation, hints: this.#hints, ...ctx });
    }
  }

  /**
   * One warning when a base starts refusing with 429 (Airtable's 30-second penalty), none for the
   * requests refused while the client waits it out; a later penalty gets its own line.
   */
  #penalised(base: string): void {
    const waitMs = this.#options.rateLimitedDelayMs ?? 30_000;
    const now = Date.now();
    if (now >= (this.#penaltyUntil.get(base) ?? 0)) {
      this.#log?.warn(
        { service: 'airtable', base, waitMs },
        'Airtable is refusing requests to the base (over 5 requests per second; another app may share it): waiting before retrying',
      );
    }
    // A refusal while waiting belongs to the same penalty; the window runs from the latest one.
    this.#penaltyUntil.set(base, now + waitMs * 2);
  }

  #base(id: string): SdkBase {
    let base = this.#bases.get(id);
    if (!base) {
      base = this.#sdk.base(id);
      this.#bases.set(id, base);
    }
    return base;
  }

  #policy(base: string): ServicePolicy {
    let policy = this.#policies.get(base);
    if (!policy) {
      const delay = this.#options.rateLimitedDelayMs ?? 30_000;
      policy = new ServicePolicy({
        service: 'airtable',
        limits: { requests: this.#options.perBase ?? DEFAULT_PER_BASE },
        classify: (err) => classifyAirtable(err, delay),
        // Airtable counts its 5 per second per base: processes sharing a limiter share it per base.
        limitScope: base,
        ...this.#options.policy,
        ...(this.#log ? { log: this.#log.child({ base }) } : {}),
      });
      this.#policies.set(base, policy);
    }
    return policy;
  }
}

function iteratorLost(err: unknown): boolean {
  return err instanceof ServiceError && toFailure(err.cause).type === 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE';
}

function* batches<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += MAX_RECORDS_PER_REQUEST) {
    yield items.slice(i, i + MAX_RECORDS_PER_REQUEST);
  }
}

/** @throws ServiceError when Airtable's answer does not have the documented shape */
function parse<S extends z.ZodType>(schema: S, body: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new ServiceError('airtable', `Airtable answered ${operation} with an unexpected shape`, {
    hint: z.prettifyError(result.error).replace(/\n+/g, '; '),
  });
}
