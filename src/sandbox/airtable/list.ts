// List records: view, filterByFormula, fields[], sort, maxRecords and iterator-backed offset paging.
import type { Clock } from '../../clock.ts';
import { AirtableApiError, invalidFormula, invalidRequest } from './errors.ts';
import type { CellValue } from './fields.ts';
import { type Formula, parseFormula } from './formula.ts';
import { matches } from './formula-eval.ts';
import { isId, newId } from './ids.ts';
import type { SortSpec, StoredRecord, Table, View } from './state.ts';

export interface ListParams {
  view?: string;
  filterByFormula?: string;
  fields?: string[];
  sort?: SortSpec[];
  pageSize?: number;
  maxRecords?: number;
  offset?: string;
  returnFieldsByFieldId?: boolean;
}

/** Parameters of `GET /v0/{base}/{table}` (`fields[]=A&sort[0][field]=B&...`; bare repeated `fields` too). */
export function listParamsFromQuery(query: URLSearchParams): ListParams {
  const params: ListParams = {};
  const text = (key: string) => query.get(key) ?? undefined;
  const view = text('view');
  if (view !== undefined) params.view = view;
  const formula = text('filterByFormula');
  if (formula !== undefined) params.filterByFormula = formula;
  const fields = [...query.getAll('fields[]'), ...query.getAll('fields')];
  if (fields.length > 0) params.fields = fields;
  const sort: SortSpec[] = [];
  for (let i = 0; query.has(`sort[${i}][field]`); i++) {
    sort.push({
      field: query.get(`sort[${i}][field]`)!,
      direction: direction(text(`sort[${i}][direction]`)),
    });
  }
  if (sort.length > 0) params.sort = sort;
  for (const key of ['pageSize', 'maxRecords'] as const) {
    const value = text(key);
    if (value !== undefined) params[key] = integer(value);
  }
  const offset = text('offset');
  if (offset) params.offset = offset;
  if (text('returnFieldsByFieldId') === 'true' || text('returnFieldsByFieldId') === '1')
    params.returnFieldsByFieldId = true;
  if ((text('cellFormat') ?? 'json') !== 'json') throw invalidRequest();
  return params;
}

/** Parameters of `POST /v0/{base}/{table}/listRecords` (a JSON body, for queries too long for a URL). */
export function listParamsFromBody(body: unknown): ListParams {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidRequest();
  const b = body as Record<string, unknown>;
  const params: ListParams = {};
  if (b.view !== undefined) params.view = stringOr422(b.view);
  if (b.filterByFormula !== undefined) params.filterByFormula = stringOr422(b.filterByFormula);
  if (b.fields !== undefined) {
    if (!Array.isArray(b.fields)) throw invalidRequest();
    params.fields = b.fields.map(stringOr422);
  }
  if (b.sort !== undefined) {
    if (!Array.isArray(b.sort)) throw invalidRequest();
    params.sort = b.sort.map((s: unknown) => {
      const spec = (s ?? {}) as { field?: unknown; direction?: unknown };
      return { field: stringOr422(spec.field), direction: direction(spec.direction) };
    });
  }
  for (const key of ['pageSize', 'maxRecords'] as const) {
    if (b[key] !== undefined) params[key] = integer(b[key]);
  }
  if (b.offset !== undefined) params.offset = stringOr422(b.offset);
  if (b.returnFieldsByFieldId === true) params.returnFieldsByFieldId = true;
  if ((b.cellFormat ?? 'json') !== 'json') throw invalidRequest();
  return params;
}

function stringOr422(value: unknown): string {
  if (typeof value !== 'string') throw invalidRequest();
  return value;
}

function integer(value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw invalidRequest();
  return n;
}

function direction(value: unknown): 'asc' | 'desc' {
  if (value === undefined || value === 'asc') return 'asc';
  if (value === 'desc') return 'desc';
  throw invalidRequest();
}

interface Iterator {
  ids: string[];
  lastUsed: number;
}

/** Server-side list iterators: the record order of a listing, held between pages until they expire. */
export class Iterators {
  readonly #open = new Map<string, Iterator>();

  constructor(
    private readonly clock: Clock,
    /** Idle time after which an iterator is gone (LIST_RECORDS_ITERATOR_NOT_AVAILABLE). */
    public ttlMs: number,
  ) {}

  start(ids: string[]): string {
    const id = newId('itr');
    this.#open.set(id, { ids, lastUsed: this.clock.now() });
    return id;
  }

  /** The remaining ids from the offset `itr…/rec…` on. @throws 422 for a malformed, stale or unknown offset */
  resume(offset: string): { iteratorId: string; ids: string[] } {
    const [iteratorId = '', recordId = ''] = offset.split('/');
    if (!isId('itr', iteratorId) || !isId('rec', recordId)) {
      throw new AirtableApiError(422, 'INVALID_OFFSET_VALUE', `The value of offset ${offset} is invalid`);
    }
    const it = this.#open.get(iteratorId);
    const at = it?.ids.indexOf(recordId) ?? -1;
    if (!it || at < 0 || this.clock.now() - it.lastUsed > this.ttlMs) {
      this.#open.delete(iteratorId);
      throw new AirtableApiError(
        422,
        'LIST_RECORDS_ITERATOR_NOT_AVAILABLE',
        'The list records iterator is no longer available. Restart the listing from the beginning.',
      );
    }
    it.lastUsed = this.clock.now();
    return { iteratorId, ids: it.ids.slice(at) };
  }

  /** What a server restart does: every open iterator is lost. */
  clear(): void {
    this.#open.clear();
  }
}

export interface ListAnswer {
  records: { id: string; createdTime: string; fields: Record<string, CellValue> }[];
  offset?: string;
}

/**
 * One page of a listing.
 * @throws 422 VIEW_NAME_NOT_FOUND, UNKNOWN_FIELD_NAME, INVALID_FILTER_BY_FORMULA, INVALID_REQUEST_UNKNOWN,
 *   INVALID_OFFSET_VALUE or LIST_RECORDS_ITERATOR_NOT_AVAILABLE
 */
export function listRecords(table: Table, params: ListParams, iterators: Iterators, now: number): ListAnswer {
  const pageSize = params.pageSize ?? 100;
  if (pageSize > 100) throw invalidRequest();
  const fieldIds = params.fields?.map((name) => table.fieldOr422(name).id);
  let iteratorId: string;
  let ids: string[];
  if (params.offset) {
    ({ iteratorId, ids } = iterators.resume(params.offset));
  } else {
    ids = selectIds(table, params, now);
    iteratorId = iterators.start(ids);
  }
  const page = ids
    .map((id) => table.records.get(id))
    .filter((r): r is StoredRecord => r !== undefined)
    .slice(0, pageSize);
  const last = page[page.length - 1];
  const rest = last ? ids.slice(ids.indexOf(last.id) + 1).filter((id) => table.records.has(id)) : [];
  const records = page.map((r) => render(table, r, fieldIds, params.returnFieldsByFieldId === true));
  return rest[0] ? { records, offset: `${iteratorId}/${rest[0]}` } : { records };
}

/** The ids a new listing returns, in order, after the view, the formula, the sort and maxRecords. */
export function selectIds(table: Table, params: ListParams, now: number): string[] {
  let view: View | undefined;
  if (params.view !== undefined) {
    view = table.view(params.view);
    if (!view) throw new AirtableApiError(422, 'VIEW_NAME_NOT_FOUND', `View ${params.view} not found`);
  }
  const formula = params.filterByFormula ? checkedFormula(table, params.filterByFormula) : undefined;
  const sort = (params.sort ?? view?.sort ?? []).map((s) => ({
    field: table.fieldOr422(s.field),
    sign: s.direction === 'desc' ? -1 : 1,
  }));
  let records = [...table.records.values()];
  if (view?.filter) {
    const filter = view.filter;
    records = records.filter((r) =>
      typeof filter === 'function' ? filter(table.viewOf(r)) : matches(filter, table, r, now),
    );
  }
  if (formula) records = records.filter((r) => matches(formula, table, r, now));
  if (sort.length > 0) {
    records.sort((a, b) => {
      for (const { field, sign } of sort) {
        const c = compareCells(a.cells.get(field.id), b.cells.get(field.id));
        if (c !== 0) return c * sign;
      }
      return 0;
    });
  }
  const ids = records.map((r) => r.id);
  return params.maxRecords !== undefined ? ids.slice(0, params.maxRecords) : ids;
}

/** Parses a formula and checks its field names. @throws 422 INVALID_FILTER_BY_FORMULA */
export function checkedFormula(table: Table, source: string): Formula {
  const formula = parseFormula(source);
  const unknown = formula.fields.filter((name) => !table.field(name));
  if (unknown.length > 0) throw invalidFormula(`Unknown field names: ${unknown.join(', ')}`);
  return formula;
}

function compareCells(a: CellValue | undefined, b: CellValue | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = Array.isArray(a) ? a.join(', ') : String(a);
  const y = Array.isArray(b) ? b.join(', ') : String(b);
  return x.localeCompare(y);
}

/** A record as the API returns it: empty cells left out, optionally only some fields, keyed by name or id. */
export function render(
  table: Table,
  record: StoredRecord,
  fieldIds?: string[],
  byId = false,
): { id: string; createdTime: string; fields: Record<string, CellValue> } {
  const fields: Record<string, CellValue> = {};
  for (const field of table.fields) {
    if (fieldIds && !fieldIds.includes(field.id)) continue;
    const value = record.cells.get(field.id);
    if (value !== undefined) fields[byId ? field.id : field.name] = Array.isArray(value) ? [...value] : value;
  }
  return { id: record.id, createdTime: new Date(record.createdTime).toISOString(), fields };
}
