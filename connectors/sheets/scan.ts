// Finding work in a tab cheaply: windows after the last known row, and a periodic reconcile of the bookkeeping columns.
import { z } from 'zod';
import type { TriggerItem } from '../../src/triggers/trigger.ts';
import { NotFoundError, ServiceError } from '../core/index.ts';
import { columnRange, endRowOf, rowsRange } from './a1.ts';
import type { RangeValues, SheetsClient } from './client.ts';
import {
  Header,
  holdsToken,
  isBlank,
  ownerOfToken,
  parseRunCell,
  rowKeyOf,
  type SheetLocation,
  type SheetRow,
} from './row.ts';
import { headerRange, readRowSpans } from './spans.ts';
import { CLAIM_TAG, untagRows } from './tagged.ts';

/** What the trigger keeps in its cursor between polls (and across restarts). */
export const CursorState = z.object({
  v: z.literal(1),
  /** The header row as last read. */
  header: z.array(z.string()),
  /** The tab's grid rows when last learned (reads must not ask past it). */
  rowCount: z.number().int().min(1),
  /** The last row seen holding data: the next poll reads from the row after it. */
  lastRow: z.number().int().min(1),
  reconciledAt: z.number(),
  /** The tab's grid id (where claims put their tags); absent in cursors saved before tags. */
  sheetId: z.number().int().optional(),
});
export type CursorState = z.infer<typeof CursorState>;

export interface ScanConfig {
  location: SheetLocation;
  windowRows: number;
  inFlightStatuses: string[];
  /**
   * This Baton instance, and the ids of the live other ones (one read, made only when an in-flight
   * row carries another instance's token): their claims are never handed over at reconcile.
   */
  instances?: { self(): string | undefined; liveOthers(): Promise<Set<string>> };
}

/** A new row as a poll saw it: an empty Status, this key, at this row number, at this time. */
export interface RowSighting {
  rowKey: string;
  readAt: number;
}

/**
 * The items of one poll. A rowKey seen twice in one poll (duplicate key values, or identical rows
 * without a key column) gets `~2`, `~3`… on its item key: each such row is still its own work, and
 * each claim gets its own token. Claimed (recovered) items with the same run key are reported once.
 */
export class ItemBatch {
  readonly items: TriggerItem<SheetRow>[] = [];
  /** Each new row's number → its key and when its cells were read: what a claim may trust without a read. */
  readonly seen = new Map<number, RowSighting>();
  /** In-flight rows left alone at reconcile because a live other instance claimed them. */
  leftToOthers = 0;
  readonly #keys = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  addNew(row: SheetRow): void {
    const n = (this.#keys.get(row.rowKey) ?? 0) + 1;
    this.#keys.set(row.rowKey, n);
    this.items.push({ key: n === 1 ? row.rowKey : `${row.rowKey}~${n}`, payload: row });
    this.seen.set(row.rowNumber, { rowKey: row.rowKey, readAt: this.#now() });
  }

  addClaimed(row: SheetRow & { token: string }): void {
    const key = `${row.rowKey}#${row.token}`;
    if (this.#keys.has(key)) return;
    this.#keys.set(key, 1);
    this.items.push({ key, payload: row, claimed: true });
  }
}

/** Adds the row to the batch when it is work: an empty Status, or (when `recover`) an in-flight claim. */
function consider(
  rowNumber: number,
  cells: string[],
  header: Header,
  cfg: ScanConfig,
  batch: ItemBatch,
  recover: boolean,
  leaveAlone: ReadonlySet<string> = new Set(),
): void {
  const loc = cfg.location;
  const statusCol = header.index(loc.statusColumn);
  const status = statusCol === undefined ? '' : (cells[statusCol] ?? '').trim();
  const base = { rowNumber, values: header.record(cells), sheet: loc };
  if (status === '') {
    batch.addNew({ rowKey: rowKeyOf(loc, header, cells), ...base });
    return;
  }
  if (!recover || !cfg.inFlightStatuses.some((s) => s.trim().toLowerCase() === status.toLowerCase())) return;
  const runCol = header.index(loc.runColumn);
  const run = runCol === undefined ? undefined : parseRunCell(cells[runCol]);
  if (!run) return;
  const owner = ownerOfToken(run.token);
  if (owner !== undefined && leaveAlone.has(owner)) batch.leftToOthers++;
  else batch.addClaimed({ rowKey: run.rowKey, token: run.token, ...base });
}

/**
 * The full check, run on the first poll of a process and every `reconcileEveryMs`: reads the tab's
 * size, its header, and only the key, Status and Run columns (one batchGet); then the full contents
 * of rows with an empty Status (inserted above, or cleared by the user) and of in-flight claims.
 * Also removes the tags of claims that are over (one search, and one write when there are any).
 * Returns the new cursor: later polls read from the last row holding any of those columns.
 * @throws NotFoundError for a missing tab or key column; ServiceError when row 1 is empty.
 */
export async function reconcile(
  client: SheetsClient,
  cfg: ScanConfig,
  now: number,
  batch: ItemBatch,
): Promise<CursorState> {
  const { spreadsheetId, tab, keyColumn, statusColumn, runColumn } = cfg.location;
  const info = await client.tab(spreadsheetId, tab);
  const headerCells = (await client.read(spreadsheetId, headerRange(tab))).values[0] ?? [];
  if (isBlank(headerCells)) {
    throw new ServiceError('sheets', `Tab '${tab}' has no header row`, {
      hint: 'put the column names in row 1 (for example Name, Email, Status)',
    });
  }
  const header = new Header(headerCells);
  const keyCol = header.index(keyColumn);
  if (keyColumn && keyCol === undefined) {
    throw new NotFoundError('sheets', `Column '${keyColumn}' not found in the header row of tab '${tab}'`, {
      hint: 'add that column to row 1, or change keyColumn',
    });
  }
  const statusCol = header.index(statusColumn);
  const runCol = header.index(runColumn);
  const cols = [...new Set([keyCol, statusCol, runCol].filter((c): c is number => c !== undefined))];
  const read = await client.readMany(
    spreadsheetId,
    cols.map((c) => columnRange(tab, c)),
  );
  const columns = new Map(cols.map((c, i) => [c, (read[i]?.values ?? []).map((line) => line[0] ?? '')]));
  const cellAt = (col: number | undefined, row: number) =>
    col === undefined ? '' : (columns.get(col)?.[row - 2] ?? '').trim();
  const bound = 1 + Math.max(0, ...[...columns.values()].map((v) => v.length));
  const inFlight = new Set(cfg.inFlightStatuses.map((s) => s.trim().toLowerCase()));
  const wanted: number[] = [];
  for (let r = 2; r <= bound; r++) {
    const status = cellAt(statusCol, r);
    if (status === '' || (inFlight.has(status.toLowerCase()) && parseRunCell(cellAt(runCol, r))))
      wanted.push(r);
  }
  // A claim adds the Run column before it tags rows: without the column there are no tags.
  if (runCol !== undefined) {
    await dropStaleTags(client, cfg, info.sheetId, (col, row) =>
      cellAt(col === 'run' ? runCol : statusCol, row),
    );
  }
  const { rows } = await readRowSpans(
    client,
    cfg.location,
    wanted,
    header.lastColumn(statusCol, runCol, keyCol),
    {
      maxSpan: cfg.windowRows,
    },
  );
  const leaveAlone = await othersClaims(cfg, wanted, (r) => cellAt(runCol, r));
  for (const r of wanted) {
    const cells = rows.get(r) ?? [];
    if (!isBlank(cells)) consider(r, cells, header, cfg, batch, true, leaveAlone);
  }
  return {
    v: 1,
    header: headerCells,
    rowCount: info.rowCount,
    lastRow: bound,
    reconciledAt: now,
    sheetId: info.sheetId,
  };
}

/**
 * The instances whose in-flight claims must not be handed over: asks `liveOthers` only when a row
 * carries a token of an instance other than this one. When that read fails, every such owner counts
 * as live (leaving a row for the next reconcile is safe; taking over a live run is not).
 */
async function othersClaims(
  cfg: ScanConfig,
  rows: number[],
  runCell: (row: number) => string,
): Promise<ReadonlySet<string>> {
  const instances = cfg.instances;
  if (!instances) return new Set();
  const self = instances.self();
  const owners = new Set(
    rows.flatMap((r) => {
      const run = parseRunCell(runCell(r));
      const owner = run ? ownerOfToken(run.token) : undefined;
      return owner && owner !== self ? [owner] : [];
    }),
  );
  if (owners.size === 0) return owners;
  try {
    const live = await instances.liveOthers();
    return new Set([...owners].filter((o) => live.has(o)));
  } catch {
    return owners;
  }
}

/**
 * Removes the tags of claims that are over, so tags do not pile up in the spreadsheet: a tag stays
 * while its row's Run cell holds its token and, when in-flight statuses are configured, the row's
 * Status is one of them. One read; one write only when some are stale. A failure changes nothing
 * that matters (a stale tag is never used), so it is ignored until the next reconcile.
 */
async function dropStaleTags(
  client: SheetsClient,
  cfg: ScanConfig,
  sheetId: number,
  cell: (col: 'run' | 'status', row: number) => string,
): Promise<void> {
  const inFlight = new Set(cfg.inFlightStatuses.map((s) => s.trim().toLowerCase()));
  try {
    const tags = await client.searchTags(cfg.location.spreadsheetId, CLAIM_TAG);
    const stale = tags.filter(
      (t) =>
        t.sheetId === sheetId &&
        (!holdsToken(cell('run', t.rowNumber), t.value) ||
          (inFlight.size > 0 && !inFlight.has(cell('status', t.rowNumber).toLowerCase()))),
    );
    await untagRows(client, cfg.location, [...new Set(stale.map((t) => t.value))]);
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
  }
}

/** The header's column names, case-folded, without trailing empty cells. */
function headerNames(cells: readonly string[]): string[] {
  const out = new Header(cells).names.map((n) => n.toLowerCase());
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** Two reads of the header row name the same columns in the same places. */
export function sameHeader(a: readonly string[], b: readonly string[]): boolean {
  return headerNames(a).join('\u0000') === headerNames(b).join('\u0000');
}

/** `longer` is `shorter` with columns added after its last one (what a claim's added columns look like). */
export function extendsHeader(longer: readonly string[], shorter: readonly string[]): boolean {
  const [a, b] = [headerNames(longer), headerNames(shorter)];
  return b.every((name, i) => a[i] === name);
}

/**
 * Reads the rows after `state.lastRow` in windows of `windowRows`, another window only when one came
 * back full. An idle poll is one request whose answer is empty (bar the header row), however long the
 * sheet. The first window is read with the header row in one batchGet: when the header no longer
 * matches `state.header` (columns inserted, moved or renamed), nothing is considered and
 * `'header-changed'` is returned, so the caller reconciles. Near the end of the grid the read is
 * open-ended, and the range Google echoes tells the grid's current size; a bounded read echoed
 * shorter than asked returns `'grid-shrank'` (the caller reconciles).
 * Mutates `state` (lastRow, rowCount).
 * @throws ServiceError 400 when the grid shrank below the read's first row (the caller reconciles).
 */
export async function readNewRows(
  client: SheetsClient,
  cfg: ScanConfig,
  state: CursorState,
  batch: ItemBatch,
): Promise<'read' | 'header-changed' | 'grid-shrank'> {
  const { spreadsheetId, tab, keyColumn, statusColumn, runColumn } = cfg.location;
  const header = new Header(state.header);
  const lastCol = header.lastColumn(
    header.index(statusColumn),
    header.index(runColumn),
    header.index(keyColumn),
  );
  for (let first = true; ; first = false) {
    const from = state.lastRow + 1;
    const to = from + cfg.windowRows - 1;
    const bounded = to <= state.rowCount;
    const start = bounded ? from : Math.min(from, state.rowCount);
    const range = rowsRange(tab, start, bounded ? to : undefined, lastCol);
    let res: RangeValues;
    if (first) {
      const [head, rows] = await client.readMany(spreadsheetId, [headerRange(tab), range]);
      if (!sameHeader(head?.values[0] ?? [], state.header)) return 'header-changed';
      res = rows ?? { range, values: [] };
    } else {
      res = await client.read(spreadsheetId, range);
    }
    const end = endRowOf(res.range);
    // Google clamps a range whose end runs past the grid (only a start past it is a 400): a bounded
    // read echoed shorter than asked means rows were deleted, and rows above the cursor moved up.
    if (bounded && end !== undefined && end < to) return 'grid-shrank';
    if (!bounded) state.rowCount = end ?? state.rowCount;
    res.values.forEach((cells, i) => {
      const rowNumber = start + i;
      if (rowNumber <= state.lastRow || isBlank(cells)) return;
      state.lastRow = rowNumber;
      consider(rowNumber, cells, header, cfg, batch, false);
    });
    if (!bounded || res.values.length < cfg.windowRows) return 'read';
  }
}
