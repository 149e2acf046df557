// Finding a row again after row numbers moved: an unclaimed row by its key, a claimed row by its token.
import { NotFoundError, ServiceError } from '../core/index.ts';
import { columnRange, quoteTab, rowRange, rowsRange } from './a1.ts';
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

const headerRange = (tab: string) => `${quoteTab(tab)}!1:1`;

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
  const loc = row.sheet;
  const { header, cells } = await headerAndRow(client, loc, row.rowNumber);
  if (cells && !isBlank(cells) && rowKeyOf(loc, header, cells) === row.rowKey) {
    return statusIsEmpty(header, loc, cells) ? { rowNumber: row.rowNumber, cells, header } : undefined;
  }
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
    if (!isRangeRejected(err)) throw err;
    band = (await client.read(loc.spreadsheetId, rowsRange(loc.tab, from, undefined, lastCol))).values;
  }
  const matches = band.flatMap((line, i) =>
    !isBlank(line) && rowKeyOf(loc, header, line) === row.rowKey && statusIsEmpty(header, loc, line)
      ? [from + i]
      : [],
  );
  const rowNumber = nearest(matches, row.rowNumber);
  return rowNumber === undefined ? undefined : { rowNumber, cells: band[rowNumber - from] ?? [], header };
}

/**
 * Finds the row holding `ref.token` in its Run cell: at the hinted number, else by scanning the Run
 * column (the token is unique, so edits to the row's other cells do not matter).
 * Returns undefined when no row holds the token any more (deleted, or cleared to run again).
 */
export async function findClaimed(client: SheetsClient, ref: SheetRowRef): Promise<LocatedRow | undefined> {
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
