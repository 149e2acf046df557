// A sheet row as Baton sees it: its values by header, its stable key, and the claim written into it.
import { createHash, randomBytes } from 'node:crypto';

/** Where a row lives and which columns carry Baton's bookkeeping. */
export interface SheetLocation {
  spreadsheetId: string;
  tab: string;
  statusColumn: string;
  runColumn: string;
  /** Column whose value identifies the row (e.g. Email); rows are identified by content when absent. */
  keyColumn?: string;
}

/**
 * One data row. `rowKey` is stable while row numbers move (insertions, sorting): the key column's
 * value, trimmed and lower-cased, or a hash of the row's content without the Status and Run cells.
 * `rowNumber` is only a hint of where it was last seen. `token` is set once the row is claimed.
 */
export interface SheetRow {
  rowKey: string;
  rowNumber: number;
  values: Record<string, string>;
  token?: string;
  sheet: SheetLocation;
}

/** A claimed row: what actions such as `setRowStatus` use to find it again. */
export type SheetRowRef = Pick<SheetRow, 'rowKey' | 'rowNumber' | 'sheet'> & { token: string };

/** The status a claim writes. */
export const QUEUED = 'Queued';

/** The header row, with case-insensitive lookup of column names. */
export class Header {
  readonly names: string[];

  constructor(cells: readonly string[]) {
    this.names = cells.map((c) => c.trim());
  }

  /** 0-based column of `name` (first match, case-insensitive), or undefined. */
  index(name: string | undefined): number | undefined {
    if (name === undefined) return undefined;
    const wanted = name.trim().toLowerCase();
    const i = this.names.findIndex((n) => n.toLowerCase() === wanted);
    return i === -1 ? undefined : i;
  }

  /** Columns a row read must cover to see every header and the bookkeeping columns. */
  lastColumn(...extra: (number | undefined)[]): number {
    return Math.max(this.names.length - 1, ...extra.filter((n): n is number => n !== undefined), 0);
  }

  /** Cells as a record keyed by header name (first column wins on duplicate names; unnamed columns dropped). */
  record(cells: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    this.names.forEach((name, i) => {
      if (name !== '' && !(name in out)) out[name] = cells[i] ?? '';
    });
    return out;
  }
}

export function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

export function normaliseKey(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * The row's stable key. With a key column: its normalised value (when non-empty). Otherwise a hash
 * of the non-empty cells by header name, leaving out Status and Run, so that Baton's own writes and
 * added empty columns do not change it.
 */
export function rowKeyOf(location: SheetLocation, header: Header, cells: readonly string[]): string {
  const keyCol = header.index(location.keyColumn);
  const keyValue = keyCol === undefined ? '' : normaliseKey(cells[keyCol] ?? '');
  if (keyValue !== '') return keyValue;
  const skip = new Set([header.index(location.statusColumn), header.index(location.runColumn)]);
  const pairs = header.names
    .map((name, i) => [name.toLowerCase(), (cells[i] ?? '').trim()] as const)
    .filter(([name, value], i) => !skip.has(i) && name !== '' && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `row-${createHash('sha256').update(JSON.stringify(pairs)).digest('hex').slice(0, 16)}`;
}

/**
 * A fresh claim token: 8 hex digits, then `-<instance id>` when the claimer announced itself as a
 * Baton instance, so recovery can tell a live instance's claims from those of a dead one.
 */
export function newToken(owner?: string): string {
  const random = randomBytes(4).toString('hex');
  return owner ? `${random}-${owner}` : random;
}

/** The instance id a claim token carries (undefined for tokens of claimers that did not announce). */
export function ownerOfToken(token: string): string | undefined {
  return /^[0-9a-f]{8}-([0-9a-f]{8})$/.exec(token)?.[1];
}

/** What the Run cell holds for a claim: the run key `<rowKey>#<token>`. */
export function runKey(rowKey: string, token: string): string {
  return `${rowKey}#${token}`;
}

/** Reads a Run cell back into the key and token it was written with (undefined when it holds no claim). */
export function parseRunCell(cell: string | undefined): { rowKey: string; token: string } | undefined {
  const text = (cell ?? '').trim();
  const hash = text.lastIndexOf('#');
  if (hash <= 0 || hash === text.length - 1) return undefined;
  return { rowKey: text.slice(0, hash), token: text.slice(hash + 1) };
}

/** True when a Run cell carries this token. */
export function holdsToken(cell: string | undefined, token: string): boolean {
  return parseRunCell(cell)?.token === token;
}
