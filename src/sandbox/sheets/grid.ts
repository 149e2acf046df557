// The emulated spreadsheet: tabs holding a grid of cells (text or formula) with a fixed row/column count.
import { evaluateFormula } from './formula.ts';

/** One cell as stored. A formula keeps the text the user entered (`=1+2`); text is stored as is. */
export interface Cell {
  text: string;
  formula?: boolean;
}

export type ValueRender = 'FORMATTED_VALUE' | 'UNFORMATTED_VALUE' | 'FORMULA';

/**
 * Developer metadata on rows `start`..`end - 1` (0-based, half-open) of a tab. It stays with its rows
 * when rows are inserted, deleted, moved or sorted, and is deleted with them (Sheets reference,
 * DeveloperMetadata: developers.google.com/sheets/api/reference/rest/v4/spreadsheets.developerMetadata).
 */
export interface RowMetadata {
  metadataId: number;
  metadataKey: string;
  metadataValue?: string;
  visibility: 'DOCUMENT' | 'PROJECT';
  start: number;
  end: number;
}

/** Developer metadata located on the spreadsheet itself (not on rows): it never moves. */
export interface SpreadsheetMetadata {
  metadataId: number;
  metadataKey: string;
  metadataValue?: string;
  visibility: 'DOCUMENT' | 'PROJECT';
}

export class Tab {
  /** Rows of cells, 0-based; shorter than the grid where the rest is empty. */
  cells: Cell[][] = [];
  /** Developer metadata located on rows of this tab. */
  rowMetadata: RowMetadata[] = [];

  constructor(
    public sheetId: number,
    public title: string,
    public rowCount: number,
    public columnCount: number,
  ) {}

  /** 1-based number of the last row holding any non-empty cell (0 when the tab is empty). */
  lastRow(): number {
    for (let r = this.cells.length - 1; r >= 0; r--)
      if (this.cells[r]!.some((c) => !isEmpty(c))) return r + 1;
    return 0;
  }

  get(row: number, col: number): Cell | undefined {
    return this.cells[row - 1]?.[col];
  }

  set(row: number, col: number, cell: Cell): void {
    while (this.cells.length < row) this.cells.push([]);
    const line = this.cells[row - 1]!;
    while (line.length <= col) line.push({ text: '' });
    line[col] = cell;
  }

  /** Text a read returns for the cell: formulas are shown computed unless FORMULA rendering is asked. */
  render(row: number, col: number, mode: ValueRender): string {
    const cell = this.get(row, col);
    if (!cell) return '';
    if (!cell.formula || mode === 'FORMULA') return cell.text;
    return evaluateFormula(cell.text);
  }

  /** The rectangle's values with trailing empty cells and rows left out, as the API returns them. */
  read(r1: number, c1: number, r2: number, c2: number, mode: ValueRender): string[][] {
    const out: string[][] = [];
    const last = Math.min(r2, this.cells.length);
    for (let r = r1; r <= last; r++) {
      const line: string[] = [];
      for (let c = c1; c <= c2; c++) line.push(this.render(r, c, mode));
      while (line.length > 0 && line[line.length - 1] === '') line.pop();
      out.push(line);
    }
    while (out.length > 0 && out[out.length - 1]!.length === 0) out.pop();
    return out;
  }

  /** Inserts `count` empty rows before 1-based `row`; the grid grows by as many rows. */
  insertRows(row: number, count: number): void {
    const at = Math.min(row - 1, this.cells.length);
    this.cells.splice(at, 0, ...Array.from({ length: count }, () => []));
    this.rowCount += count;
    for (const m of this.rowMetadata) {
      if (m.start >= row - 1) m.start += count;
      if (m.end > row - 1) m.end += count;
    }
  }

  /** Deletes `count` rows from 1-based `row`; metadata on those rows only is deleted with them. */
  deleteRows(row: number, count: number): void {
    this.cells.splice(row - 1, count);
    this.rowCount -= count;
    const [d0, d1] = [row - 1, row - 1 + count];
    const shift = (i: number) => (i <= d0 ? i : i >= d1 ? i - count : d0);
    this.rowMetadata = this.rowMetadata.filter((m) => {
      [m.start, m.end] = [shift(m.start), shift(m.end)];
      return m.end > m.start;
    });
  }

  /**
   * Reorders rows from 0-based `first`: the row at `first + k` becomes the one that was at
   * `first + order[k]`. Cells move, and so does metadata of one row (a sort or move).
   */
  permuteRows(first: number, order: number[]): void {
    while (this.cells.length < first + order.length) this.cells.push([]);
    const old = this.cells.slice(first, first + order.length);
    order.forEach((from, k) => {
      this.cells[first + k] = old[from]!;
    });
    const now = new Map(order.map((from, k) => [first + from, first + k]));
    for (const m of this.rowMetadata) {
      const to = m.end - m.start === 1 ? now.get(m.start) : undefined;
      if (to !== undefined) [m.start, m.end] = [to, to + 1];
    }
  }

  /** Sorts 1-based rows `from`..`to` with `compare` (stable), moving their metadata along. */
  sortRows(from: number, to: number, compare: (a: Cell[], b: Cell[]) => number): void {
    const order = Array.from({ length: Math.max(0, to - from + 1) }, (_, k) => k);
    const line = (k: number) => this.cells[from - 1 + k] ?? [];
    order.sort((a, b) => compare(line(a), line(b)) || a - b);
    this.permuteRows(from - 1, order);
  }

  insertColumns(col: number, count: number): void {
    for (const line of this.cells) {
      if (line.length > col) line.splice(col, 0, ...Array.from({ length: count }, () => ({ text: '' })));
    }
    this.columnCount += count;
  }

  deleteColumns(col: number, count: number): void {
    for (const line of this.cells) line.splice(col, count);
    this.columnCount -= count;
  }

  clone(): Tab {
    const copy = new Tab(this.sheetId, this.title, this.rowCount, this.columnCount);
    copy.cells = this.cells.map((line) => line.map((c) => ({ ...c })));
    copy.rowMetadata = this.rowMetadata.map((m) => ({ ...m }));
    return copy;
  }
}

export function isEmpty(cell: Cell | undefined): boolean {
  return !cell || (cell.text === '' && !cell.formula);
}

export class Spreadsheet {
  tabs: Tab[] = [];
  /** Developer metadata located on the spreadsheet (`location.spreadsheet: true`). */
  metadata: SpreadsheetMetadata[] = [];

  constructor(
    public readonly id: string,
    public title: string,
    /** Principal emails allowed in; undefined means anyone with a valid token. */
    public sharedWith: string[] | undefined,
  ) {}

  /** Finds a tab by title: exact match first, then case-insensitively (as Sheets resolves A1 ranges). */
  tab(title: string | undefined): Tab | undefined {
    if (title === undefined) return this.tabs[0];
    return (
      this.tabs.find((t) => t.title === title) ??
      this.tabs.find((t) => t.title.toLowerCase() === title.toLowerCase())
    );
  }

  tabById(sheetId: number): Tab | undefined {
    return this.tabs.find((t) => t.sheetId === sheetId);
  }

  canAccess(email: string): boolean {
    return (
      this.sharedWith === undefined || this.sharedWith.some((e) => e.toLowerCase() === email.toLowerCase())
    );
  }

  /** A deep copy to apply a batch to; `commit` it back only when every request succeeded. */
  draft(): Spreadsheet {
    const copy = new Spreadsheet(this.id, this.title, this.sharedWith);
    copy.tabs = this.tabs.map((t) => t.clone());
    copy.metadata = this.metadata.map((m) => ({ ...m }));
    return copy;
  }

  commit(draft: Spreadsheet): void {
    this.tabs = draft.tabs;
    this.metadata = draft.metadata;
    this.title = draft.title;
  }
}
