// Claiming rows in one go: one write of Status and run keys, one settle, one read-back checking key and token.
import type { Logger } from '../../src/log.ts';
import { cellRange } from './a1.ts';
import type { SheetsClient } from './client.ts';
import { ensureColumns, findTokens, isRangeRejected, type LocatedRow } from './locate.ts';
import {
  Header,
  holdsToken,
  isBlank,
  newToken,
  QUEUED,
  rowKeyOf,
  runKey,
  type SheetLocation,
  type SheetRow,
} from './row.ts';
import { headerRange, readRowSpans } from './spans.ts';

/** A row to claim: as a read saw it (its key tells whether a row is still the same one), and where. */
export interface ClaimTarget {
  row: SheetRow;
  rowNumber: number;
}

/**
 * The Status left on a row a claim landed on by mistake: the rows moved between the read that placed
 * the claim and its write, so this row's own Status was overwritten and only a person can restore it.
 */
export const MISPLACED_CLAIM =
  'Check: Baton wrote a claim here by mistake while rows were moving; restore this Status';

export interface ClaimRowsOptions {
  /** Waits between the write and the read-back, so that a competing claim lands first. */
  settle: () => Promise<void>;
  log: Logger;
}

/**
 * Claims every target at once: adds the Status and Run columns when missing, writes Status `Queued`
 * and a fresh `<rowKey>#<token>` per row in ONE request (RAW), settles once, then reads the rows back
 * with the header in one batchGet. A row is won when its Run cell holds its token and it is still the
 * same row (same key). A row that holds the token of another claimer is left alone. When the rows
 * moved, tokens not found where written are looked up in the Run column (two more reads): found on the
 * right row, the claim stands; a token found on another row means the write hit that row, whose
 * Status then says so (`MISPLACED_CLAIM`) rather than being cleared, which could run it twice.
 * Returns the header as it now is and, aligned with `targets`, the won rows or undefined.
 * @throws the client's errors; a claim written before a failed read-back stays in the sheet.
 */
export async function claimRows(
  client: SheetsClient,
  loc: SheetLocation,
  header: Header,
  targets: ClaimTarget[],
  options: ClaimRowsOptions,
): Promise<{ header: Header; won: (SheetRow | undefined)[] }> {
  const ensured = await ensureColumns(client, loc, header, [loc.statusColumn, loc.runColumn]);
  const [statusCol, runCol] = ensured.columns as [number, number];
  const tokens = targets.map(() => newToken());
  await client.writeMany(
    loc.spreadsheetId,
    targets.flatMap((t, i) => [
      { range: cellRange(loc.tab, t.rowNumber, statusCol), values: [[QUEUED]] },
      { range: cellRange(loc.tab, t.rowNumber, runCol), values: [[runKey(t.row.rowKey, tokens[i]!)]] },
    ]),
  );
  await options.settle();
  const now = await readBack(client, loc, targets);
  const same = (t: ClaimTarget, cells: string[]) =>
    !isBlank(cells) && rowKeyOf(loc, now.header, cells) === t.row.rowKey;
  const nowRunCol = now.header.index(loc.runColumn);
  const found = new Map<number, LocatedRow>();
  const moved: number[] = [];
  targets.forEach((t, i) => {
    const cells = now.rows.get(t.rowNumber);
    const mine = cells !== undefined && nowRunCol !== undefined && holdsToken(cells[nowRunCol], tokens[i]!);
    if (mine) found.set(i, { rowNumber: t.rowNumber, cells, header: now.header });
    else if (!cells || !same(t, cells)) moved.push(i);
  });
  if (moved.length > 0) {
    const where = await findTokens(
      client,
      loc,
      now.header,
      moved.map((i) => tokens[i]!),
    );
    for (const i of moved) {
      const at = where.get(tokens[i]!);
      if (at) found.set(i, at);
    }
  }
  const misplaced: LocatedRow[] = [];
  const won = targets.map((t, i) => {
    const at = found.get(i);
    if (!at) return undefined;
    if (!same(t, at.cells)) {
      misplaced.push(at);
      return undefined;
    }
    const values = now.header.record(at.cells);
    return { rowKey: t.row.rowKey, rowNumber: at.rowNumber, values, token: tokens[i]!, sheet: loc };
  });
  if (misplaced.length > 0) await markMisplaced(client, loc, now.header, misplaced, options.log);
  return { header: ensured.header, won };
}

/** The header and the targets' rows as they are now; no rows when some lie past the grid (deleted). */
async function readBack(
  client: SheetsClient,
  loc: SheetLocation,
  targets: ClaimTarget[],
): Promise<{ header: Header; rows: Map<number, string[]> }> {
  try {
    const read = await readRowSpans(
      client,
      loc,
      targets.map((t) => t.rowNumber),
      'all',
      { maxSpan: 500, withHeader: true },
    );
    return { header: new Header(read.header ?? []), rows: read.rows };
  } catch (err) {
    if (!isRangeRejected(err)) throw err;
    const head = await client.read(loc.spreadsheetId, headerRange(loc.tab));
    return { header: new Header(head.values[0] ?? []), rows: new Map() };
  }
}

async function markMisplaced(
  client: SheetsClient,
  loc: SheetLocation,
  header: Header,
  rows: LocatedRow[],
  log: Logger,
): Promise<void> {
  const statusCol = header.index(loc.statusColumn);
  const runCol = header.index(loc.runColumn);
  if (statusCol === undefined || runCol === undefined) return;
  log.warn({ rows: rows.map((r) => r.rowNumber) }, 'rows moved under a claim: marked them for a person');
  await client.writeMany(
    loc.spreadsheetId,
    rows.flatMap((r) => [
      { range: cellRange(loc.tab, r.rowNumber, statusCol), values: [[MISPLACED_CLAIM]] },
      { range: cellRange(loc.tab, r.rowNumber, runCol), values: [['']] },
    ]),
  );
}
