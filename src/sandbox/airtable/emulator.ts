// Emulates Airtable's Web API (api.airtable.com/v0) for airtable.js: records, views, formulas, limits, errors.
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import { droppedConnection, Emulator, RateWindow } from '../kit/index.ts';
import { answerTable, isRead, parseBody } from './api.ts';
import {
  AirtableApiError,
  authenticationRequired,
  errorBody,
  invalidToken,
  modelNotFound,
  notFoundResponse,
  rateLimited,
  renderError,
} from './errors.ts';
import type { FieldSpec } from './fields.ts';
import { isId, newId } from './ids.ts';
import { checkedFormula, Iterators, selectIds } from './list.ts';
import { baseSchema, createField, createTable, fieldModel } from './meta.ts';
import { Base, type RecordView, type SortSpec, Table } from './state.ts';

export const AIRTABLE_API = 'https://api.airtable.com';

export type AirtableScope =
  | 'data.records:read'
  | 'data.records:write'
  | 'schema.bases:read'
  | 'schema.bases:write';

/**
 * The token's user's role on its bases, as Airtable's `permissionLevel` names it: `create` (Creator:
 * may change fields, so typecast may add select options) or `edit` (Editor: records only).
 */
export type PermissionLevel = 'create' | 'edit';

export interface AirtableEmulatorOptions {
  clock?: Clock;
  /** Requests per second per base (Airtable: 5). */
  perBaseLimit?: number;
  /** Requests per second per token, all bases together (Airtable: 50). */
  perTokenLimit?: number;
  /** How long every request to a base is refused after it went over its limit (Airtable: 30 s). */
  penaltyMs?: number;
  /** Idle time after which a list iterator (an `offset`) expires (default 60 s). */
  iteratorTtlMs?: number;
  /** Largest request body accepted; larger gets 413 (default 5 MB). */
  maxBodyBytes?: number;
}

export interface ViewDefinition {
  /** Which records the view shows: a function of the record, or an Airtable formula. All when absent. */
  filter?: ((record: RecordView) => boolean) | string;
  sort?: SortSpec[];
}

interface Grant {
  bases: Set<string> | 'all';
  scopes: Set<AirtableScope>;
  permission: PermissionLevel;
}

/**
 * A stateful Airtable. Callers authenticate with `Authorization: Bearer <token>` registered through
 * `addToken`; each base allows 5 requests per second, and a base that goes over answers every request
 * with 429 for the next 30 seconds of the emulator's clock. People (tests, the sandbox page) create
 * bases, tables and views and edit records through the methods below.
 */
export class AirtableEmulator extends Emulator {
  readonly #bases = new Map<string, Base>();
  readonly #tokens = new Map<string, Grant>();
  readonly #perBase: RateWindow;
  readonly #perToken: RateWindow;
  readonly #penaltyUntil = new Map<string, number>();
  readonly #iterators: Iterators;
  readonly #penaltyMs: number;
  readonly #maxBodyBytes: number;
  #lostResponses = 0;
  #expireOnNextPage = 0;

  constructor(options: AirtableEmulatorOptions = {}) {
    super(options.clock ? { clock: options.clock } : {});
    this.#perBase = new RateWindow(this.clock, options.perBaseLimit ?? 5, 1000);
    this.#perToken = new RateWindow(this.clock, options.perTokenLimit ?? 50, 1000);
    this.#penaltyMs = options.penaltyMs ?? 30_000;
    this.#iterators = new Iterators(this.clock, options.iteratorTtlMs ?? 60_000);
    this.#maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  }

  /**
   * Accepts `token` (a personal access token) for the given bases (all by default), scopes (records
   * read and write by default; the schema scopes only when named) and role (Creator by default).
   */
  addToken(
    token: string,
    grant: { bases?: string[]; scopes?: AirtableScope[]; permission?: PermissionLevel } = {},
  ): void {
    this.#tokens.set(token, {
      bases: grant.bases ? new Set(grant.bases) : 'all',
      scopes: new Set(grant.scopes ?? ['data.records:read', 'data.records:write']),
      permission: grant.permission ?? 'create',
    });
  }

  /** The token answers 401 from now on. */
  revokeToken(token: string): void {
    this.#tokens.delete(token);
  }

  /** A new base; returns its id (`app…`). */
  createBase(name = 'Base', id: string = newId('app')): string {
    if (!isId('app', id)) throw new Error(`Airtable emulator: ${id} is not a base id (app + 14 characters)`);
    this.#bases.set(id, new Base(id, name));
    return id;
  }

  /** A new table with its fields (the first is the primary field); returns its id (`tbl…`). */
  createTable(base: string, name: string, fields: FieldSpec[]): string {
    const b = this.#base(base);
    if (b.table(name)) throw new Error(`Airtable emulator: base ${base} already has a table ${name}`);
    const table = new Table(newId('tbl'), name, fields);
    b.tables.push(table);
    return table.id;
  }

  /** Adds a field to a table, as a person adding a column; returns its id (`fld…`). */
  addField(base: string, table: string, spec: FieldSpec): string {
    return this.#table(base, table).addField(spec).id;
  }

  /** The table's fields as the metadata API describes them (name, type, options), in column order. */
  fields(base: string, table: string): { name: string; type: string; options?: Record<string, unknown> }[] {
    return this.#table(base, table).fields.map(
      (f) => fieldModel(f) as { name: string; type: string; options?: Record<string, unknown> },
    );
  }

  /** A person renames a field (formulas and API calls must use the new name). */
  renameField(base: string, table: string, from: string, to: string): void {
    const field = this.#table(base, table).field(from);
    if (!field) throw new Error(`Airtable emulator: no field ${from}`);
    field.name = to;
  }

  /** A saved view: a filter (a function or a formula) and a sort. Returns its id (`viw…`). */
  defineView(base: string, table: string, name: string, definition: ViewDefinition = {}): string {
    const t = this.#table(base, table);
    if (t.view(name)) throw new Error(`Airtable emulator: table ${table} already has a view ${name}`);
    const { filter } = definition;
    const view = {
      id: newId('viw'),
      name,
      sort: definition.sort ?? [],
      ...(filter ? { filter: typeof filter === 'string' ? checkedFormula(t, filter) : filter } : {}),
    };
    for (const s of view.sort) t.fieldOr422(s.field);
    t.views.push(view);
    return view.id;
  }

  /** A person adds a record (select options they type are created). Returns its id (`rec…`). */
  addRecord(base: string, table: string, fields: Record<string, unknown>): string {
    const t = this.#table(base, table);
    return t.create(t.changes(fields, true), this.clock.now()).id;
  }

  /** A person edits cells of a record; `''` or `null` empties a cell. */
  updateRecord(base: string, table: string, id: string, fields: Record<string, unknown>): void {
    const t = this.#table(base, table);
    const record = t.records.get(id);
    if (!record) throw new Error(`Airtable emulator: no record ${id} in ${table}`);
    t.write(record, t.changes(fields, true), false, this.clock.now());
  }

  deleteRecord(base: string, table: string, id: string): void {
    this.#table(base, table).records.delete(id);
  }

  /** The table's records as a person sees them: all in creation order, or a view's in its order. */
  records(base: string, table: string, view?: string): RecordView[] {
    const t = this.#table(base, table);
    const ids = selectIds(t, view === undefined ? {} : { view }, this.clock.now());
    return ids.map((id) => t.viewOf(t.records.get(id)!));
  }

  record(base: string, table: string, id: string): RecordView | undefined {
    const t = this.#table(base, table);
    const record = t.records.get(id);
    return record && t.viewOf(record);
  }

  /** Every open list iterator is lost, as after an Airtable server restart. */
  expireIterators(): void {
    this.#iterators.clear();
  }

  /** The next `count` listings that continue from an offset find their iterator gone (a server restart). */
  expireIteratorsOnNextPage(count = 1): void {
    this.#expireOnNextPage += count;
  }

  /** The next `count` writes are carried out but their answers are lost (the connection drops). */
  loseNextResponses(count: number): void {
    this.#lostResponses += count;
  }

  /** True while `base` is serving its 30-second penalty for going over its rate limit. */
  inPenalty(base: string): boolean {
    return (this.#penaltyUntil.get(base) ?? 0) > this.clock.now();
  }

  handlers() {
    return [
      http.all(`${AIRTABLE_API}/v0/*`, ({ request }) => this.serve(request, () => this.#handle(request))),
    ];
  }

  protected errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
    if (status === 429) return rateLimited(headers);
    if (status === 404) return notFoundResponse(headers);
    if (status === 401) return errorBody(401, 'AUTHENTICATION_REQUIRED', 'Authentication required', headers);
    if (status === 500) return errorBody(500, 'SERVER_ERROR', message, headers);
    if (status === 503) return errorBody(503, 'SERVICE_UNAVAILABLE', message, headers);
    return errorBody(status, status >= 500 ? 'SERVER_ERROR' : 'INVALID_REQUEST_UNKNOWN', message, headers);
  }

  async #handle(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      const [baseId = '', tableName, ...rest] = url.pathname
        .replace(/^\/v0\/?/, '')
        .split('/')
        .filter(Boolean)
        .map((s) => decodeURIComponent(s));
      if (baseId === 'meta') return await this.#handleMeta(request, [tableName ?? '', ...rest]);
      if (!isId('app', baseId) || tableName === undefined) return notFoundResponse();
      const token = this.#authenticate(request);
      this.#throttle(baseId, token);
      const grant = this.#tokens.get(token)!;
      const base = this.#bases.get(baseId);
      const table = base?.table(tableName);
      if (!base || !table || (grant.bases !== 'all' && !grant.bases.has(baseId))) throw modelNotFound();
      const read = isRead(request.method, rest);
      if (!grant.scopes.has(read ? 'data.records:read' : 'data.records:write')) throw modelNotFound();
      const text = request.method === 'GET' || request.method === 'DELETE' ? '' : await request.text();
      if (Buffer.byteLength(text) > this.#maxBodyBytes) {
        return errorBody(413, 'REQUEST_TOO_LARGE', 'Request body is too large');
      }
      const body = parseBody(text);
      if (read && this.#expireOnNextPage > 0 && continuesListing(url.searchParams, body)) {
        this.#expireOnNextPage--;
        this.#iterators.clear();
      }
      const answer = answerTable({
        method: request.method,
        rest,
        query: url.searchParams,
        body,
        table,
        iterators: this.#iterators,
        now: this.clock.now(),
        creator: grant.permission === 'create',
      });
      if (!read && this.#lostResponses > 0) {
        this.#lostResponses--;
        return droppedConnection();
      }
      return Response.json(answer);
    } catch (err) {
      if (err instanceof AirtableApiError) return renderError(err);
      throw err;
    }
  }

  /**
   * The metadata API: `GET meta/bases/{baseId}/tables` needs schema.bases:read; `POST
   * meta/bases/{baseId}/tables` and `POST meta/bases/{baseId}/tables/{tableId}/fields` need
   * schema.bases:write and a Creator
   * (https://airtable.com/developers/web/api/get-base-schema, …/create-table, …/create-field). Both count against
   * the base's rate limit.
   */
  async #handleMeta(request: Request, path: string[]): Promise<Response> {
    const [bases, baseId = '', tables, tableId, fields, ...extra] = path;
    if (bases !== 'bases' || tables !== 'tables' || !isId('app', baseId) || extra.length > 0) {
      return notFoundResponse();
    }
    const token = this.#authenticate(request);
    this.#throttle(baseId, token);
    const grant = this.#tokens.get(token)!;
    const base = this.#bases.get(baseId);
    if (!base || (grant.bases !== 'all' && !grant.bases.has(baseId))) throw modelNotFound();
    if (tableId === undefined && request.method === 'GET') {
      if (!grant.scopes.has('schema.bases:read')) throw modelNotFound();
      return Response.json(baseSchema(base));
    }
    if (tableId === undefined && request.method === 'POST') {
      if (!grant.scopes.has('schema.bases:write') || grant.permission !== 'create') throw modelNotFound();
      return Response.json(createTable(base, parseBody(await request.text())));
    }
    if (tableId === undefined || fields !== 'fields' || request.method !== 'POST') return notFoundResponse();
    const table = base.tables.find((t) => t.id === tableId);
    if (!table || !grant.scopes.has('schema.bases:write') || grant.permission !== 'create') {
      throw modelNotFound();
    }
    return Response.json(createField(table, parseBody(await request.text())));
  }

  /** The bearer token, when registered. @throws 401 */
  #authenticate(request: Request): string {
    const header = request.headers.get('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) throw authenticationRequired();
    if (!this.#tokens.has(m[1]!)) throw invalidToken();
    return m[1]!;
  }

  /** @throws the 429 body when the base is in its penalty, or goes over its (or the token's) limit now */
  #throttle(base: string, token: string): void {
    const tokenKey = `token:${token}`;
    if (this.inPenalty(base) || this.inPenalty(tokenKey)) throw rateLimited();
    for (const [window, key] of [
      [this.#perBase, base],
      [this.#perToken, tokenKey],
    ] as const) {
      if (window.take(key)) continue;
      this.#penaltyUntil.set(key, this.clock.now() + this.#penaltyMs);
      throw rateLimited();
    }
  }

  #base(id: string): Base {
    const base = this.#bases.get(id);
    if (!base) throw new Error(`Airtable emulator: no base ${id}`);
    return base;
  }

  #table(base: string, table: string): Table {
    const t = this.#base(base).table(table);
    if (!t) throw new Error(`Airtable emulator: no table ${table} in base ${base}`);
    return t;
  }
}

function continuesListing(query: URLSearchParams, body: unknown): boolean {
  return query.has('offset') || (typeof body === 'object' && body !== null && 'offset' in body);
}
