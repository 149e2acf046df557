// Finding a row again after row numbers moved: an unclaimed row by its key, a claimed row by its token.
import { NotFoundError, ServiceError } from '../core/index.ts';
import { columnRange, rowRange, rowsRange } from './a1.ts';
import type { SheetsClient } from './client.ts';
import {
  Header,
  holdsToken,
  isBlank,
  normaliseKey,
  rowKeyOf,
  type SheetLocation,
  type SheetRow,
  type SheetRowRef,
} from './row.ts';
import { headerRange, readRowSpans } from './spans.ts';
import { readTagged } from './tagged.ts';

/** A row as found now: its current number, its cells, and the header read with it. */
export interface LocatedRow {
  rowNumber: number;
  cells: string[];
  header: Header;
}

/** A 400 about the range itself (past the grid after rows were deleted), not a missing tab. */
export function isRangeRejected(err: unknown): boolean {
  return err instanceof ServiceError && !(err instanceof NotFoundError) && err.status === 400;
}

/** The header and the row at `rowNumber` in one read; the row is undefined when it lies past the grid. */
async function headerAndRow(
  client: SheetsClient,
  loc: SheetLocation,
  rowNumber: number,
): Promise<{ header: Header; cells: string[] | undefined }> {
  try {
    const [head, row] = await client.readMany(loc.spreadsheetId, [
      headerRange(loc.tab),
      rowRange(loc.tab, rowNumber),
    ]);
    return { header: new Header(head?.values[0] ?? []), cells: row?.values[0] ?? [] };
  } catch (err) {
    if (!isRangeRejected(err)) throw err;
    const head = await client.read(loc.spreadsheetId, headerRange(loc.tab));
    return { header: new Header(head.values[0] ?? []), cells: undefined };
  }
}

function statusIsEmpty(header: Header, loc: SheetLocation, cells: readonly string[]): boolean {
  const col = header.index(loc.statusColumn);
  return col === undefined || (cells[col] ?? '').trim() === '';
}

/** Of the 1-based rows in `rows`, the one nearest `hint`. */
function nearest(rows: number[], hint: number): number | undefined {
  return rows.sort((a, b) => Math.abs(a - hint) - Math.abs(b - hint))[0];
}

async function readRow(client: SheetsClient, loc: SheetLocation, rowNumber: number): Promise<string[]> {
  return (await client.read(loc.spreadsheetId, rowRange(loc.tab, rowNumber))).values[0] ?? [];
}

/**
 * Finds the unclaimed row `row` describes: at its hinted number when the key still matches there,
 * otherwise the matching row with an empty Status nearest the hint (through the key column, or by
 * content within `searchRows` of the hint when rows have no key column).
 * Returns undefined when the row is gone, was changed, or already has a Status.
 */
export async function findUnclaimed(
  client: SheetsClient,
  row: SheetRow,
  searchRows: number,
): Promise<LocatedRow | undefined> {
  const { header, cells } = await headerAndRow(client, row.sheet, row.rowNumber);
  if (cells && !isBlank(cells) && rowKeyOf(row.sheet, header, cells) === row.rowKey) {
    return statusIsEmpty(header, row.sheet, cells) ? { rowNumber: row.rowNumber, cells, header } : undefined;
  }
  return searchUnclaimed(client, row, header, searchRows);
}

/**
 * The search half of `findUnclaimed`, for a row already known not to be at its hinted number:
 * the matching row with an empty Status nearest the hint, or undefined.
 */
export async function searchUnclaimed(
  client: SheetsClient,
  row: SheetRow,
  header: Header,
  searchRows: number,
): Promise<LocatedRow | undefined> {
  const loc = row.sheet;
  const keyCol = header.index(loc.keyColumn);
  const statusCol = header.index(loc.statusColumn);
  if (keyCol !== undefined && !row.rowKey.startsWith('row-')) {
    const ranges = [
      columnRange(loc.tab, keyCol),
      ...(statusCol !== undefined ? [columnRange(loc.tab, statusCol)] : []),
    ];
    const [keys, statuses] = await client.readMany(loc.spreadsheetId, ranges);
    const matches = (keys?.values ?? []).flatMap((line, i) =>
      normaliseKey(line[0] ?? '') === row.rowKey && (statuses?.values[i]?.[0] ?? '').trim() === ''
        ? [i + 2]
        : [],
    );
    const rowNumber = nearest(matches, row.rowNumber);
    if (rowNumber === undefined) return undefined;
    const found = await readRow(client, loc, rowNumber);
    const ok = rowKeyOf(loc, header, found) === row.rowKey && statusIsEmpty(header, loc, found);
    return ok ? { rowNumber, cells: found, header } : undefined;
  }
  const from = Math.max(2, row.rowNumber - searchRows);
  const lastCol = header.lastColumn(statusCol, header.index(loc.runColumn));
  let band: string[][];
  try {
    band = (
      await client.read(loc.spreadsheetId, rowsRange(loc.tab, from, row.rowNumber + searchRows, lastCol))
    ).values;
  } catch (err) {
    // An end past the grid is clamped; only a band starting past it (rows deleted) is refused.
    if (!isRangeRejected(err)) throw err;
    band = [];
  }
  const matches = band.flatMap((line, i) =>
    !isBlank(line) && rowKeyOf(loc, header, line) === row.rowKey && statusIsEmpty(header, loc, line)
      ? [from + i]
      : [],
  );
  const rowNumber = nearest(matches, row.rowNumber);
  return rowNumber === undefined ? undefined : { rowNumber, cells: band[rowNumber - from] ?? [], header };
}

/** A claimed row as found now; `tagged` when it carries the claim's tag, so writes can follow it. */
export interface ClaimedRow extends LocatedRow {
  tagged: boolean;
}

/**
 * Finds the row holding `ref.token` in its Run cell: by the claim's tag (one read, wherever the row
 * moved); for a claim made before rows were tagged, at the hinted number, else by scanning the Run
 * column. Returns undefined when no row holds the token any more (deleted, or cleared to run again).
 */
export async function findClaimed(client: SheetsClient, ref: SheetRowRef): Promise<ClaimedRow | undefined> {
  const loc = ref.sheet;
  const tagged = await readTagged(client, loc, [ref.token]);
  const at = tagged.rows.get(ref.token);
  if (at) {
    const col = tagged.header.index(loc.runColumn);
    return col !== undefined && holdsToken(at.cells[col], ref.token) ? { ...at, tagged: true } : undefined;
  }
  const found = await findUntagged(client, ref);
  return found && { ...found, tagged: false };
}

/** `findClaimed` for a claim without a tag: by row number, then by the Run column. */
async function findUntagged(client: SheetsClient, ref: SheetRowRef): Promise<LocatedRow | undefined> {
  const loc = ref.sheet;
  const { header, cells } = await headerAndRow(client, loc, ref.rowNumber);
  const runCol = header.index(loc.runColumn);
  if (runCol === undefined) return undefined;
  if (cells && holdsToken(cells[runCol], ref.token)) return { rowNumber: ref.rowNumber, cells, header };
  const column = await client.read(loc.spreadsheetId, columnRange(loc.tab, runCol));
  const index = column.values.findIndex((line) => holdsToken(line[0], ref.token));
  if (index === -1) return undefined;
  const rowNumber = index + 2;
  const found = await readRow(client, loc, rowNumber);
  return holdsToken(found[runCol], ref.token) ? { rowNumber, cells: found, header } : undefined;
}

/**
 * `findUnclaimed` for many rows: their hinted rows and the header in one batchGet; only rows no longer
 * at their hint are searched for one by one. Returns the header and, in the order of `rows`, where
 * each unclaimed row is now (undefined when gone, changed or taken); no row number twice.
 */
export async function locateUnclaimed(
  client: SheetsClient,
  loc: SheetLocation,
  rows: SheetRow[],
  searchRows: number,
): Promise<{ header: Header; found: (LocatedRow | undefined)[] }> {
  let read: { header: string[] | undefined; rows: Map<number, string[]> };
  try {
    read = await readRowSpans(
      client,
      loc,
      rows.map((r) => r.rowNumber),
      'all',
      { maxSpan: searchRows, withHeader: true },
    );
  } catch (err) {
    if (!isRangeRejected(err)) throw err;
    // Some hinted rows lie past the grid (rows were deleted): search for every row instead.
    const head = await client.read(loc.spreadsheetId, headerRange(loc.tab));
    read = { header: head.values[0] ?? [], rows: new Map() };
  }
  const header = new Header(read.header ?? []);
  const taken = new Set<number>();
  const found: (LocatedRow | undefined)[] = [];
  for (const row of rows) {
    const cells = read.rows.get(row.rowNumber);
    const atHint = cells && !isBlank(cells) && rowKeyOf(loc, header, cells) === row.rowKey;
    let located: LocatedRow | undefined;
    if (atHint)
      located = statusIsEmpty(header, loc, cells) ? { rowNumber: row.rowNumber, cells, header } : undefined;
    else located = await searchUnclaimed(client, row, header, searchRows);
    if (located && taken.has(located.rowNumber)) located = undefined;
    if (located) taken.add(located.rowNumber);
    found.push(located);
  }
  return { header, found };
}

/**
 * Column indexes of `names` in `header`, adding missing ones to the sheet's header row first
 * (idempotent). Returns the header as it now is, and the indexes in the order of `names`.
 */
export async function ensureColumns(
  client: SheetsClient,
  loc: SheetLocation,
  header: Header,
  names: string[],
): Promise<{ header: Header; columns: number[] }> {
  let current = header;
  if (names.some((n) => current.index(n) === undefined)) {
    current = new Header(await client.ensureHeaders(loc.spreadsheetId, loc.tab, names));
  }
  const columns = names.map((n) => {
    const col = current.index(n);
    if (col === undefined) throw new Error(`column '${n}' missing after it was added`);
    return col;
  });
  return { header: current, columns };
}
