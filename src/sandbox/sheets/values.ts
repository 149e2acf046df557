// The spreadsheets.values methods on the in-memory grid: get, update, append, clear (batch forms reuse them).
import { z } from 'zod';
import { columnLetters, formatRange } from './a1.ts';
import { GoogleApiError, missingInputOption } from './errors.ts';
import type { Cell, Spreadsheet, Tab, ValueRender } from './grid.ts';
import { exceedsGrid, type ResolvedRange, resolveRange } from './ranges.ts';

export type InputOption = 'RAW' | 'USER_ENTERED';
export type Dimension = 'ROWS' | 'COLUMNS';

const CellInput = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const ValueRangeInput = z.object({
  range: z.string().optional(),
  majorDimension: z.enum(['ROWS', 'COLUMNS', 'DIMENSION_UNSPECIFIED']).optional(),
  values: z.array(z.array(CellInput)).optional(),
});
export type ValueRangeInput = z.infer<typeof ValueRangeInput>;
type CellValue = z.infer<typeof CellInput>;

export interface ValueRange {
  range: string;
  majorDimension: Dimension;
  values?: string[][];
}

export interface UpdateValuesResponse {
  spreadsheetId: string;
  updatedRange: string;
  updatedRows?: number;
  updatedColumns?: number;
  updatedCells?: number;
}

/** `valueInputOption` as the API validates it. @throws GoogleApiError 400 when missing or unknown. */
export function parseInputOption(value: string | null | undefined): InputOption {
  if (!value || value === 'INPUT_VALUE_OPTION_UNSPECIFIED') throw missingInputOption();
  if (value === 'RAW' || value === 'USER_ENTERED') return value;
  throw new GoogleApiError(
    400,
    `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${value}"`,
  );
}

export function parseRender(value: string | null): ValueRender {
  if (!value) return 'FORMATTED_VALUE';
  if (value === 'FORMATTED_VALUE' || value === 'UNFORMATTED_VALUE' || value === 'FORMULA') return value;
  throw new GoogleApiError(
    400,
    `Invalid value at 'value_render_option' (type.googleapis.com/google.apps.sheets.v4.ValueRenderOption), "${value}"`,
  );
}

export function parseDimension(value: string | null | undefined): Dimension {
  if (!value || value === 'ROWS' || value === 'DIMENSION_UNSPECIFIED') return 'ROWS';
  if (value === 'COLUMNS') return 'COLUMNS';
  throw new GoogleApiError(
    400,
    `Invalid value at 'major_dimension' (type.googleapis.com/google.apps.sheets.v4.Dimension), "${value}"`,
  );
}

/**
 * What a cell stores for an input value. RAW keeps text as typed (`=1+2` stays text); USER_ENTERED
 * makes `=...` a formula and drops a leading apostrophe (`'=1+2` is the text `=1+2`), as the UI does.
 */
function toCell(value: string | number | boolean, option: InputOption): Cell {
  if (typeof value === 'number') return { text: String(value) };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (option === 'USER_ENTERED') {
    if (value.startsWith('=') && value.length > 1) return { text: value, formula: true };
    if (value.startsWith("'")) return { text: value.slice(1) };
  }
  return { text: value };
}

function transpose<T>(rows: T[][]): T[][] {
  const width = Math.max(0, ...rows.map((r) => r.length));
  return Array.from({ length: width }, (_, c) => rows.map((r) => r[c] as T));
}

function trimTrailing(lines: string[][]): string[][] {
  const out = lines.map((line) => {
    const copy = [...line];
    while (copy.length > 0 && (copy[copy.length - 1] ?? '') === '') copy.pop();
    return copy;
  });
  while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
  return out;
}

/** spreadsheets.values.get for one range: trailing empty rows and cells left out, `values` absent when empty. */
export function readValues(
  sheet: Spreadsheet,
  range: string | ResolvedRange,
  render: ValueRender,
  dim: Dimension,
): ValueRange {
  const r = typeof range === 'string' ? resolveRange(sheet, range) : range;
  let values = r.tab.read(r.r1, r.c1, r.r2, r.c2, render);
  if (dim === 'COLUMNS') {
    const padded = values.map((line) => [...line, ...Array<string>(r.c2 - r.c1 + 1 - line.length).fill('')]);
    values = trimTrailing(transpose(padded));
  }
  return { range: r.text, majorDimension: dim, ...(values.length > 0 ? { values } : {}) };
}

/** Writes `rows` with the top-left at (r1, c1); nulls leave a cell as it was. Returns what changed. */
function applyRows(tab: Tab, r1: number, c1: number, rows: CellValue[][], option: InputOption) {
  const touchedRows = new Set<number>();
  const touchedCols = new Set<number>();
  let cells = 0;
  rows.forEach((line, i) => {
    line.forEach((value, j) => {
      if (value === null) return;
      tab.set(r1 + i, c1 + j, toCell(value, option));
      touchedRows.add(i);
      touchedCols.add(j);
      cells++;
    });
  });
  return { updatedRows: touchedRows.size, updatedColumns: touchedCols.size, updatedCells: cells };
}

function rowsOf(input: ValueRangeInput): CellValue[][] {
  const values = input.values ?? [];
  return parseDimension(input.majorDimension) === 'COLUMNS' ? transpose(values) : values;
}

/**
 * spreadsheets.values.update: writes within `range` (a single cell is only the top-left anchor).
 * Nothing changes when it throws.
 * @throws GoogleApiError 400 when the data overflows a bounded range or the tab's grid.
 */
export function writeValues(
  sheet: Spreadsheet,
  range: string | ResolvedRange,
  input: ValueRangeInput,
  option: InputOption,
): UpdateValuesResponse {
  const target = typeof range === 'string' ? resolveRange(sheet, range) : range;
  if (input.range !== undefined && resolveRange(sheet, input.range).text !== target.text) {
    throw new GoogleApiError(
      400,
      `Requested writing within range [${target.text}], but the ValueRange's range is [${input.range}]`,
    );
  }
  const rows = rowsOf(input);
  const width = Math.max(0, ...rows.map((r) => r.length));
  if (rows.length === 0 || width === 0) return { spreadsheetId: sheet.id, updatedRange: target.text };
  const lastRow = target.r1 + rows.length - 1;
  const lastCol = target.c1 + width - 1;
  if (!target.singleCell && !target.openRows && lastRow > target.r2) {
    throw new GoogleApiError(
      400,
      `Requested writing within range [${target.text}], but tried writing to row [${lastRow}]`,
    );
  }
  if (!target.singleCell && !target.openCols && lastCol > target.c2) {
    throw new GoogleApiError(
      400,
      `Requested writing within range [${target.text}], but tried writing to column [${columnLetters(lastCol)}]`,
    );
  }
  const { tab } = target;
  if (lastRow > tab.rowCount || lastCol >= tab.columnCount) {
    throw exceedsGrid(tab, `${columnLetters(target.c1)}${target.r1}:${columnLetters(lastCol)}${lastRow}`);
  }
  const counts = applyRows(tab, target.r1, target.c1, rows, option);
  return {
    spreadsheetId: sheet.id,
    updatedRange: formatRange(tab.title, target.r1, target.c1, lastRow, lastCol),
    ...counts,
  };
}

export interface AppendValuesResponse {
  spreadsheetId: string;
  tableRange?: string;
  updates: UpdateValuesResponse;
}

/**
 * spreadsheets.values.append: finds the table in `range` (here: the last row holding data within the
 * range's columns) and writes after it, starting at the range's first column. OVERWRITE grows the
 * grid when the rows run past it; INSERT_ROWS inserts new rows, shifting rows below down.
 * Not idempotent: every call adds rows.
 */
export function appendValues(
  sheet: Spreadsheet,
  range: string,
  input: ValueRangeInput,
  option: InputOption,
  insert: 'OVERWRITE' | 'INSERT_ROWS',
): AppendValuesResponse {
  const target = resolveRange(sheet, range);
  const { tab } = target;
  const searchLastCol = target.singleCell || target.openCols ? tab.columnCount - 1 : target.c2;
  const searchLastRow = target.singleCell || target.openRows ? tab.rowCount : target.r2;
  let first = 0;
  let last = 0;
  let maxCol = target.c1;
  for (let r = target.r1; r <= Math.min(searchLastRow, tab.cells.length); r++) {
    for (let c = target.c1; c <= searchLastCol; c++) {
      const cell = tab.get(r, c);
      if (cell && (cell.text !== '' || cell.formula)) {
        if (!first) first = r;
        last = r;
        maxCol = Math.max(maxCol, c);
      }
    }
  }
  const rows = rowsOf(input);
  const width = Math.max(0, ...rows.map((r) => r.length));
  const startRow = last ? last + 1 : target.r1;
  const lastCol = target.c1 + Math.max(width, 1) - 1;
  if (lastCol >= tab.columnCount) {
    throw exceedsGrid(tab, `${columnLetters(target.c1)}${startRow}:${columnLetters(lastCol)}${startRow}`);
  }
  const tableRange = last ? formatRange(tab.title, first, target.c1, last, maxCol) : undefined;
  if (rows.length === 0 || width === 0) {
    return {
      spreadsheetId: sheet.id,
      ...(tableRange ? { tableRange } : {}),
      updates: { spreadsheetId: sheet.id, updatedRange: target.text },
    };
  }
  if (insert === 'INSERT_ROWS') tab.insertRows(startRow, rows.length);
  else tab.rowCount = Math.max(tab.rowCount, startRow + rows.length - 1);
  const counts = applyRows(tab, startRow, target.c1, rows, option);
  return {
    spreadsheetId: sheet.id,
    ...(tableRange ? { tableRange } : {}),
    updates: {
      spreadsheetId: sheet.id,
      updatedRange: formatRange(tab.title, startRow, target.c1, startRow + rows.length - 1, lastCol),
      ...counts,
    },
  };
}

/** spreadsheets.values.clear: empties every cell in the range (formatting is not modelled). */
export function clearValues(
  sheet: Spreadsheet,
  range: string,
): { spreadsheetId: string; clearedRange: string } {
  const r = resolveRange(sheet, range);
  for (let row = r.r1; row <= Math.min(r.r2, r.tab.cells.length); row++) {
    for (let col = r.c1; col <= r.c2; col++) if (r.tab.get(row, col)) r.tab.set(row, col, { text: '' });
  }
  return { spreadsheetId: sheet.id, clearedRange: r.text };
}
