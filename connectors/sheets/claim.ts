// Claiming rows in one go: tag and verify, write through the tags, settle, read back; no cell written on a row that moved.
import type { Logger } from '../../src/log.ts';
import type { SheetsClient } from './client.ts';
import { ensureColumns } from './locate.ts';
import {
  type Header,
  holdsToken,
  isBlank,
  newToken,
  QUEUED,
  rowKeyOf,
  runKey,
  type SheetLocation,
  type SheetRow,
} from './row.ts';
import { readTagged, tagAndRead, untagRows, writeTagged } from './tagged.ts';

/** A row to claim: as a read saw it (its key tells whether a row is still the same one), and where. */
export interface ClaimTarget {
  row: SheetRow;
  rowNumber: number;
}

export interface ClaimRowsOptions {
  /** The tab's grid id, where the claims' tags go. */
  sheetId: number;
  /** Waits between the write and the read-back, so that a competing claim lands first. */
  settle: () => Promise<void>;
  log: Logger;
  /** This Baton instance's id, written into each token (see `newToken`). */
  owner?: string;
}

export interface ClaimRowsResult {
  /** The header as it now is. */
  header: Header;
  /** Aligned with the targets: the rows won, or undefined. */
  won: (SheetRow | undefined)[];
  /** Targets whose row was no longer at its number (rows moved): not claimed, a reconcile finds them. */
  moved: number;
}

/**
 * Claims every target at once, never writing a cell on a row it did not mean: (1) tags each target
 * row with a fresh token (row developer metadata, which moves with the row) and (2) reads those rows
 * and the header as the tagging left them, in the same write request (no read quota: at a 1 s poll
 * the poll alone spends Sheets' 60 reads a minute, so a read here waited a second): a tag that landed
 * on another row (rows were sorted or inserted since the poll) or on a row no longer free is
 * dropped, its row untouched; (3) writes
 * Status `Queued` and `<rowKey>#<token>` into the rows verified, through their tags, so rows moving
 * meanwhile do not matter, one request; (4) settles, then reads them back through their tags: a row
 * is won when its Run cell still holds its token (a competing claimer may have written last).
 * Dropped tags are removed (one more request, only then). Adds Status and Run columns when missing.
 * @throws the client's errors; a claim written before a failed read-back stays in the sheet.
 */
export async function claimRows(
  client: SheetsClient,
  loc: SheetLocation,
  header: Header,
  targets: ClaimTarget[],
  options: ClaimRowsOptions,
): Promise<ClaimRowsResult> {
  const ensured = await ensureColumns(client, loc, header, [loc.statusColumn, loc.runColumn]);
  const tokens = targets.map(() => newToken(options.owner));
  const tagged = await tagAndRead(
    client,
    loc,
    options.sheetId,
    targets.map((t, i) => ({ rowNumber: t.rowNumber, token: tokens[i]! })),
  );
  const statusCol = tagged.header.index(loc.statusColumn);
  const runCol = tagged.header.index(loc.runColumn);
  const dropped: string[] = [];
  const free: number[] = [];
  let moved = 0;
  targets.forEach((t, i) => {
    const at = tagged.rows.get(tokens[i]!);
    const same = at && !isBlank(at.cells) && rowKeyOf(loc, tagged.header, at.cells) === t.row.rowKey;
    if (!same) moved++;
    const open = statusCol !== undefined && (at?.cells[statusCol] ?? '').trim() === '';
    if (same && open) free.push(i);
    else dropped.push(tokens[i]!);
  });
  const won: (SheetRow | undefined)[] = targets.map(() => undefined);
  if (free.length > 0 && statusCol !== undefined && runCol !== undefined) {
    await writeTagged(
      client,
      loc,
      free.map((i) => ({
        token: tokens[i]!,
        cells: [
          [statusCol, QUEUED],
          [runCol, runKey(targets[i]!.row.rowKey, tokens[i]!)],
        ],
      })),
    );
    await options.settle();
    const now = await readTagged(
      client,
      loc,
      free.map((i) => tokens[i]!),
    );
    const nowRunCol = now.header.index(loc.runColumn);
    for (const i of free) {
      const at = now.rows.get(tokens[i]!);
      if (at && nowRunCol !== undefined && holdsToken(at.cells[nowRunCol], tokens[i]!)) {
        const values = now.header.record(at.cells);
        won[i] = {
          rowKey: targets[i]!.row.rowKey,
          rowNumber: at.rowNumber,
          values,
          token: tokens[i]!,
          sheet: loc,
        };
      } else dropped.push(tokens[i]!);
    }
  }
  if (moved > 0)
    options.log.warn({ moved }, 'rows moved before they were claimed: left for the next reconcile');
  if (dropped.length > 0) {
    // A leftover tag is harmless (no claim uses it), so failing to remove it fails nothing.
    await untagRows(client, loc, dropped).catch((err: unknown) =>
      options.log.warn({ err }, 'could not remove the tags of claims that did not stand'),
    );
  }
  return { header: ensured.header, won, moved };
}
