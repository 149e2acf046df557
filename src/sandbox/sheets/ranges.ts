// Resolves an A1 range against a spreadsheet's grid: the rectangle it covers and the text the API echoes.
import { formatRange, parseA1 } from './a1.ts';
import { GoogleApiError, invalidRange } from './errors.ts';
import type { Spreadsheet, Tab } from './grid.ts';

/** A range with every bound filled in from the grid. Rows 1-based, columns 0-based, inclusive. */
export interface ResolvedRange {
  tab: Tab;
  r1: number;
  c1: number;
  r2: number;
  c2: number;
  /** True for `A1`: a write may run past it (the cell is only the top-left anchor). */
  singleCell: boolean;
  /** Bounds the caller left open (`A:A` has open rows, `2:40` open columns). */
  openRows: boolean;
  openCols: boolean;
  /** The range as the API echoes it, e.g. `Leads!A1:F1000`. */
  text: string;
}

export function exceedsGrid(tab: Tab, shown: string): GoogleApiError {
  return new GoogleApiError(
    400,
    `Range ('${tab.title.replaceAll("'", "''")}'!${shown}) exceeds grid limits. Max rows: ${tab.rowCount}, max columns: ${tab.columnCount}`,
  );
}

/**
 * Resolves `range` on `sheet`; an end past the grid is clamped to it (the echoed text shows the clamp).
 * @throws GoogleApiError 400 `Unable to parse range` for bad syntax or an unknown tab, and 400
 * `exceeds grid limits` when the range starts outside the tab's rows or columns.
 */
export function resolveRange(sheet: Spreadsheet, range: string): ResolvedRange {
  const a1 = parseA1(range);
  if (!a1) throw invalidRange(range);
  const tab = sheet.tab(a1.sheet);
  if (!tab) throw invalidRange(range);
  const r1 = a1.startRow ?? 1;
  const c1 = a1.startCol ?? 0;
  const cellsPart = range.slice(range.lastIndexOf('!') + 1);
  // Only a start outside the grid is an error; an end past it is clamped to the grid, as Google does
  // (googlesheets4 reads `2:5000000` and `B2:ZZZ` on any sheet: googlesheets4.tidyverse.org/articles/
  // articles/range-specification.html; a start past it fails: googleapis/sloth#1096).
  if (r1 > tab.rowCount || c1 >= tab.columnCount) throw exceedsGrid(tab, cellsPart);
  const r2 = Math.min(a1.endRow ?? tab.rowCount, tab.rowCount);
  const c2 = Math.min(a1.endCol ?? tab.columnCount - 1, tab.columnCount - 1);
  return {
    tab,
    r1,
    c1,
    r2,
    c2,
    singleCell: a1.startRow !== undefined && a1.startRow === a1.endRow && a1.startCol === a1.endCol,
    openRows: a1.endRow === undefined,
    openCols: a1.endCol === undefined,
    text: formatRange(tab.title, r1, c1, r2, c2),
  };
}
