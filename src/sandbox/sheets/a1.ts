// A1 notation as the Sheets API reads it: `Tab!A1:B2`, `Tab!A:A`, `Tab!2:40`, `'My Tab'!A1`, a bare tab.

/**
 * A parsed range before it meets a sheet. Rows are 1-based, columns 0-based; an absent bound is
 * open (a whole column, a whole row, or to the end of the grid).
 */
export interface A1Range {
  /** Tab title as written (unquoted); undefined means the first tab. */
  sheet: string | undefined;
  startRow?: number;
  endRow?: number;
  startCol?: number;
  endCol?: number;
}

const CELL = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/;

/** Column index (0-based) to letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Letters to a 0-based column index: A → 0, AA → 26. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A tab title as it appears in a range: quoted when it holds anything but letters, digits and `_`. */
export function quoteSheet(title: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title);
  return plain ? title : `'${title.replaceAll("'", "''")}'`;
}

interface CellPart {
  col?: number;
  row?: number;
}

function parseCell(text: string): CellPart | undefined {
  const m = CELL.exec(text);
  if (!m || (!m[1] && !m[2])) return undefined;
  const part: CellPart = {};
  if (m[1]) part.col = columnIndex(m[1]);
  if (m[2]) {
    const row = Number(m[2]);
    if (row < 1) return undefined;
    part.row = row;
  }
  return part;
}

/** Parses the part after `!`; undefined when it is not a cell, column, row or rectangle reference. */
function parseCells(text: string): Omit<A1Range, 'sheet'> | undefined {
  const [left, right, extra] = text.split(':');
  if (extra !== undefined || left === undefined) return undefined;
  const a = parseCell(left);
  if (!a) return undefined;
  if (right === undefined) {
    // A lone reference must be a cell (A1); `A` or `5` alone is not a range.
    if (a.col === undefined || a.row === undefined) return undefined;
    return { startRow: a.row, endRow: a.row, startCol: a.col, endCol: a.col };
  }
  const b = parseCell(right);
  if (!b) return undefined;
  const cols = a.col !== undefined && b.col !== undefined;
  const rows = a.row !== undefined && b.row !== undefined;
  // Accepted shapes: A1:B2, A:B, 2:40, and A2:B (rows open at the end).
  const shape =
    (cols && rows) ||
    (cols && a.row === undefined && b.row === undefined) ||
    (rows && a.col === undefined && b.col === undefined) ||
    (cols && a.row !== undefined && b.row === undefined);
  if (!shape) return undefined;
  const out: Omit<A1Range, 'sheet'> = {};
  if (a.col !== undefined && b.col !== undefined) {
    out.startCol = Math.min(a.col, b.col);
    out.endCol = Math.max(a.col, b.col);
  }
  if (a.row !== undefined) out.startRow = a.row;
  if (b.row !== undefined) out.endRow = b.row;
  if (out.startRow !== undefined && out.endRow !== undefined && out.startRow > out.endRow) {
    [out.startRow, out.endRow] = [out.endRow, out.startRow];
  }
  return out;
}

/** Parses a range string; undefined when the API would answer `Unable to parse range`. */
export function parseA1(input: string): A1Range | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  if (text.startsWith("'")) {
    let i = 1;
    let name = '';
    for (; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === "'") {
        if (text[i + 1] === "'") {
          name += "'";
          i++;
          continue;
        }
        break;
      }
      name += ch;
    }
    if (i >= text.length || name === '') return undefined;
    const rest = text.slice(i + 1);
    if (rest === '') return { sheet: name };
    if (!rest.startsWith('!')) return undefined;
    const cells = parseCells(rest.slice(1));
    return cells ? { sheet: name, ...cells } : undefined;
  }
  const bang = text.lastIndexOf('!');
  if (bang === -1) {
    const cells = parseCells(text);
    return cells ? { sheet: undefined, ...cells } : { sheet: text };
  }
  const sheet = text.slice(0, bang);
  const cells = parseCells(text.slice(bang + 1));
  return sheet && cells ? { sheet, ...cells } : undefined;
}

/** A resolved rectangle (all bounds known) as the API echoes it: `Tab!A1:D5`, or `Tab!B3` for one cell. */
export function formatRange(title: string, r1: number, c1: number, r2: number, c2: number): string {
  const start = `${columnLetters(c1)}${r1}`;
  const end = `${columnLetters(c2)}${r2}`;
  return `${quoteSheet(title)}!${start === end ? start : `${start}:${end}`}`;
}
