// Routes one authenticated request on a table to the list, read, write and delete operations.
import { AirtableApiError, notFoundResponse } from './errors.ts';
import { isId } from './ids.ts';
import { type Iterators, listParamsFromBody, listParamsFromQuery, listRecords, render } from './list.ts';
import type { Table } from './state.ts';
import { createRecords, deleteRecords, updateOne, updateRecords } from './write.ts';

export interface TableRequest {
  method: string;
  /** Path segments after the table: [] or [recordId] or ['listRecords']. */
  rest: string[];
  query: URLSearchParams;
  /** The parsed JSON body (undefined for GET and DELETE). */
  body: unknown;
  table: Table;
  iterators: Iterators;
  now: number;
  /** The token's user is a Creator of the base (may add select options through typecast). */
  creator: boolean;
}

/** Whether the request only reads (needs `data.records:read`) rather than writes. */
export function isRead(method: string, rest: string[]): boolean {
  return method === 'GET' || (method === 'POST' && rest[0] === 'listRecords');
}

/** The JSON answer for a table request. @throws AirtableApiError, or a 404 Response for unknown routes */
export function answerTable(req: TableRequest): unknown {
  const { method, rest, table, now, creator } = req;
  const [first, ...extra] = rest;
  if (extra.length > 0) throw notFoundResponse();
  if (first === undefined) {
    switch (method) {
      case 'GET':
        return listRecords(table, listParamsFromQuery(req.query), req.iterators, now);
      case 'POST':
        return createRecords(table, req.body, now, creator);
      case 'PATCH':
      case 'PUT':
        return updateRecords(table, req.body, method === 'PUT', now, creator);
      case 'DELETE':
        return {
          records: deleteRecords(table, [...req.query.getAll('records[]'), ...req.query.getAll('records')]),
        };
    }
    throw notFoundResponse();
  }
  if (first === 'listRecords' && method === 'POST') {
    return listRecords(table, listParamsFromBody(req.body ?? {}), req.iterators, now);
  }
  if (!isId('rec', first)) throw notFoundResponse();
  switch (method) {
    case 'GET': {
      const record = table.records.get(first);
      if (!record) throw notFoundResponse();
      return render(table, record);
    }
    case 'PATCH':
    case 'PUT':
      return updateOne(table, first, req.body, method === 'PUT', now, creator);
    case 'DELETE':
      if (!table.records.has(first)) throw notFoundResponse();
      return deleteRecords(table, [first])[0];
  }
  throw notFoundResponse();
}

/** The request body as JSON. @throws 400 for a body that cannot be parsed as JSON */
export function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new AirtableApiError(400, 'INVALID_REQUEST_BODY', 'The request body could not be parsed as JSON');
  }
}
