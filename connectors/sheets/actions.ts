// Actions a recipe takes on a claimed row: read it again, and write its Status (plus result cells).
import { NotFoundError } from '../core/index.ts';
import { cellRange } from './a1.ts';
import type { SheetsClient } from './client.ts';
import { shortId } from './errors.ts';
import { type ClaimedRow, ensureColumns, findClaimed } from './locate.ts';
import type { SheetRow, SheetRowRef } from './row.ts';
import { writeTagged } from './tagged.ts';

function noLongerClaimed(ref: SheetRowRef): NotFoundError {
  return new NotFoundError(
    'sheets',
    `No row in tab '${ref.sheet.tab}' of spreadsheet ${shortId(ref.sheet.spreadsheetId)} carries run ${ref.rowKey}#${ref.token} any more`,
    { hint: 'the row was deleted, or its Status was cleared so it runs again; nothing was written' },
  );
}

/**
 * Writes `cells` (column → text, RAW) into the claimed row `found`, in one request. A tagged row is
 * written through its tag, so it lands on that row even if rows moved since it was found; a claim
 * made before tags existed is written by row number. Returns the row number written, or undefined
 * when the row was deleted in between.
 */
export async function writeClaimed(
  client: SheetsClient,
  ref: SheetRowRef,
  found: ClaimedRow,
  cells: [col: number, text: string][],
): Promise<number | undefined> {
  if (found.tagged)
    return (await writeTagged(client, ref.sheet, [{ token: ref.token, cells }])).get(ref.token);
  await client.writeMany(
    ref.sheet.spreadsheetId,
    cells.map(([col, text]) => ({ range: cellRange(ref.sheet.tab, found.rowNumber, col), values: [[text]] })),
  );
  return found.rowNumber;
}

/**
 * Writes `status` into the claimed row's Status cell, and `extraCells` (header → text) into the same
 * row, as text (RAW) in one request. Columns named in `extraCells` that the header lacks are added.
 * Finds and writes the row by its claim's tag, so sorting or inserting rows meanwhile, even between
 * the read and the write, does not matter. Idempotent: writing the same values again changes nothing.
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
  const rowNumber = await writeClaimed(
    client,
    ref,
    found,
    columns.map((col, i) => [col, texts[i] ?? '']),
  );
  if (rowNumber === undefined) throw noLongerClaimed(ref);
  return { rowNumber };
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
