// Actions a recipe takes on a claimed row: read it again, and write its Status (plus result cells).
import { NotFoundError } from '../core/index.ts';
import { cellRange } from './a1.ts';
import type { SheetsClient } from './client.ts';
import { shortId } from './errors.ts';
import { ensureColumns, findClaimed } from './locate.ts';
import type { SheetRow, SheetRowRef } from './row.ts';

function noLongerClaimed(ref: SheetRowRef): NotFoundError {
  return new NotFoundError(
    'sheets',
    `No row in tab '${ref.sheet.tab}' of spreadsheet ${shortId(ref.sheet.spreadsheetId)} carries run ${ref.rowKey}#${ref.token} any more`,
    { hint: 'the row was deleted, or its Status was cleared so it runs again; nothing was written' },
  );
}

/**
 * Writes `status` into the claimed row's Status cell, and `extraCells` (header → text) into the same
 * row, as text (RAW) in one request. Columns named in `extraCells` that the header lacks are added.
 * Finds the row by its claim token, so sorting or inserting rows meanwhile does not matter.
 * Idempotent: writing the same values again changes nothing.
 * @throws NotFoundError when no row carries the token any more (deleted or re-queued by the user).
 */
export async function setRowStatus(
  client: SheetsClient,
  ref: SheetRowRef,
  status: string,
  extraCells: Record<string, string> = {},
): Promise<{ rowNumber: number }> {
  const found = await findClaimed(client, ref);
  if (!found) throw noLongerClaimed(ref);
  const names = [ref.sheet.statusColumn, ...Object.keys(extraCells)];
  const { columns } = await ensureColumns(client, ref.sheet, found.header, names);
  const texts = [status, ...Object.values(extraCells)];
  await client.writeMany(
    ref.sheet.spreadsheetId,
    columns.map((col, i) => ({
      range: cellRange(ref.sheet.tab, found.rowNumber, col),
      values: [[texts[i] ?? '']],
    })),
  );
  return { rowNumber: found.rowNumber };
}

/**
 * The claimed row as it is now (values by header, current row number).
 * @throws NotFoundError when no row carries the token any more.
 */
export async function readRow(client: SheetsClient, ref: SheetRowRef): Promise<SheetRow> {
  const found = await findClaimed(client, ref);
  if (!found) throw noLongerClaimed(ref);
  return {
    rowKey: ref.rowKey,
    rowNumber: found.rowNumber,
    values: found.header.record(found.cells),
    token: ref.token,
    sheet: ref.sheet,
  };
}
