// Create, update (PATCH partial / PUT destructive), upsert by fieldsToMergeOn, and delete: at most 10 records a request.
import { AirtableApiError, invalidRecords, invalidRequest } from './errors.ts';
import { render } from './list.ts';
import { type CellChanges, type StoredRecord, sameCell, type Table } from './state.ts';

export const MAX_RECORDS_PER_REQUEST = 10;

type Json = Record<string, unknown>;

function object(value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest();
  return value as Json;
}

/** How to convert the cells: `typecast` from the body; new select options only for a Creator. */
function modeOf(body: Json, creator: boolean): [typecast: boolean, addOptions: boolean] {
  if (body.typecast !== undefined && typeof body.typecast !== 'boolean') throw invalidRequest();
  return [body.typecast === true, body.typecast === true && creator];
}

function recordList(body: Json, verb: string): Json[] {
  if (!Array.isArray(body.records)) throw invalidRequest();
  const n = body.records.length;
  if (n === 0) throw invalidRecords(`You must provide at least one record to be ${verb}`);
  if (n > MAX_RECORDS_PER_REQUEST) {
    throw invalidRecords(
      `A maximum of ${MAX_RECORDS_PER_REQUEST} records can be ${verb} per request but you have provided ${n}.`,
    );
  }
  return body.records.map(object);
}

function rowDoesNotExist(id: string): AirtableApiError {
  return new AirtableApiError(422, 'ROW_DOES_NOT_EXIST', `Record ID ${id} does not exist in this table`);
}

/** `POST /v0/{base}/{table}`: `{fields}` for one record or `{records:[{fields}]}` for up to 10. Atomic. */
export function createRecords(table: Table, rawBody: unknown, now: number, creator: boolean): unknown {
  const body = object(rawBody);
  const mode = modeOf(body, creator);
  if (body.records === undefined) {
    const changes = table.changes(object(body.fields ?? {}), ...mode);
    return render(table, table.create(changes, now));
  }
  const all = recordList(body, 'created').map((r) => table.changes(object(r.fields ?? {}), ...mode));
  return { records: all.map((changes) => render(table, table.create(changes, now))) };
}

/** `PATCH|PUT /v0/{base}/{table}/{recordId}` with `{fields}`. @throws 404 when no such record */
export function updateOne(
  table: Table,
  id: string,
  rawBody: unknown,
  destructive: boolean,
  now: number,
  creator: boolean,
) {
  const record = table.records.get(id);
  if (!record) throw new AirtableApiError(404, 'NOT_FOUND', 'Could not find what you are looking for');
  const body = object(rawBody);
  table.write(record, table.changes(object(body.fields ?? {}), ...modeOf(body, creator)), destructive, now);
  return render(table, record);
}

interface Planned {
  record?: StoredRecord;
  changes: CellChanges;
}

/**
 * `PATCH|PUT /v0/{base}/{table}` with `{records:[{id?, fields}], typecast?, performUpsert?}`. Checks every
 * record before changing any. With `performUpsert.fieldsToMergeOn` (1–3 fields), a record without an
 * id updates the one record whose merge fields equal its own, or is created when none does.
 * @throws 422 INVALID_RECORDS (more than 10, or an upsert key matching several records), ROW_DOES_NOT_EXIST,
 *   UNKNOWN_FIELD_NAME, INVALID_VALUE_FOR_COLUMN
 */
export function updateRecords(
  table: Table,
  rawBody: unknown,
  destructive: boolean,
  now: number,
  creator: boolean,
): unknown {
  const body = object(rawBody);
  const mode = modeOf(body, creator);
  const mergeOn = mergeFields(table, body.performUpsert);
  const seenKeys = new Set<string>();
  const planned: Planned[] = recordList(body, 'updated').map((r) => {
    const changes = table.changes(object(r.fields ?? {}), ...mode);
    if (typeof r.id === 'string') {
      const record = table.records.get(r.id);
      if (!record) throw rowDoesNotExist(r.id);
      return { record, changes };
    }
    if (r.id !== undefined || !mergeOn) throw invalidRequest();
    const key = mergeOn.map((fieldId) => {
      if (!changes.has(fieldId)) {
        throw invalidRecords('Each record to upsert must include a value for every field in fieldsToMergeOn');
      }
      return changes.get(fieldId);
    });
    const found = [...table.records.values()].filter((rec) =>
      mergeOn.every((fieldId, i) => sameCell(rec.cells.get(fieldId), key[i])),
    );
    if (found.length > 1) {
      throw invalidRecords(
        `Cannot upsert: ${found.length} records match the values of fieldsToMergeOn; at most one may`,
      );
    }
    const signature = JSON.stringify(key);
    if (!found[0] && seenKeys.has(signature)) {
      throw invalidRecords('Cannot upsert: two records in this request have the same fieldsToMergeOn values');
    }
    seenKeys.add(signature);
    return found[0] ? { record: found[0], changes } : { changes };
  });
  const created: string[] = [];
  const updated: string[] = [];
  const records = planned.map(({ record, changes }) => {
    if (record) {
      table.write(record, changes, destructive, now);
      updated.push(record.id);
      return render(table, record);
    }
    const fresh = table.create(changes, now);
    created.push(fresh.id);
    return render(table, fresh);
  });
  return mergeOn ? { records, createdRecords: created, updatedRecords: updated } : { records };
}

/** The field ids of `performUpsert.fieldsToMergeOn`, or undefined when the request is not an upsert. */
function mergeFields(table: Table, performUpsert: unknown): string[] | undefined {
  if (performUpsert === undefined) return undefined;
  const names = object(performUpsert).fieldsToMergeOn;
  if (!Array.isArray(names) || names.length < 1 || names.length > 3) throw invalidRequest();
  return names.map((name) => {
    if (typeof name !== 'string') throw invalidRequest();
    return table.fieldOr422(name).id;
  });
}

/** `DELETE /v0/{base}/{table}?records[]=rec…` (up to 10) or `/{recordId}`. */
export function deleteRecords(table: Table, ids: string[]): { id: string; deleted: true }[] {
  if (ids.length === 0) throw invalidRequest();
  if (ids.length > MAX_RECORDS_PER_REQUEST) {
    throw invalidRecords(
      `A maximum of ${MAX_RECORDS_PER_REQUEST} records can be deleted per request but you have provided ${ids.length}.`,
    );
  }
  for (const id of ids) if (!table.records.has(id)) throw rowDoesNotExist(id);
  for (const id of ids) table.records.delete(id);
  return ids.map((id) => ({ id, deleted: true }));
}
