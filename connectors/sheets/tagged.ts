// Claimed rows carry a tag (row developer metadata holding the claim token): reads and writes follow the row wherever it moves.
import { endRowOf, rowRange } from './a1.ts';
import type { SheetsClient } from './client.ts';
import type { LocatedRow } from './locate.ts';
import { Header, type SheetLocation } from './row.ts';
import { headerRange } from './spans.ts';

/** The metadata key of a claim's tag; its value is the claim token. */
export const CLAIM_TAG = 'baton.claim';

/** The header and the rows tagged with `tokens`, in ONE read; tokens tagging no row are absent. */
export async function readTagged(
  client: SheetsClient,
  loc: SheetLocation,
  tokens: string[],
): Promise<{ header: Header; rows: Map<string, LocatedRow> }> {
  const read = await client.readTagged(loc.spreadsheetId, [headerRange(loc.tab)], CLAIM_TAG, tokens);
  const header = new Header(read.ranges[0]?.values[0] ?? []);
  const rows = new Map<string, LocatedRow>();
  for (const [token, ranges] of read.tagged) {
    // A token is fresh per claim, so it tags one row; two would mean the tag was copied: trust neither.
    const rowNumber = ranges.length === 1 ? endRowOf(ranges[0]!.range) : undefined;
    if (rowNumber !== undefined) rows.set(token, { rowNumber, cells: ranges[0]!.values[0] ?? [], header });
  }
  return { header, rows };
}

/**
 * Writes `cells` (column → text) into each tagged row in ONE request, wherever the row is by then.
 * Returns the row number each token's cells landed on; tokens tagging no row any more are absent.
 */
export async function writeTagged(
  client: SheetsClient,
  loc: SheetLocation,
  writes: { token: string; cells: [col: number, text: string][] }[],
): Promise<Map<string, number>> {
  const data = writes.map(({ token, cells }) => {
    const line: (string | null)[] = Array(Math.max(...cells.map(([col]) => col)) + 1).fill(null);
    for (const [col, text] of cells) line[col] = text;
    return { value: token, values: [line] };
  });
  const written = await client.writeTagged(loc.spreadsheetId, CLAIM_TAG, data);
  const out = new Map<string, number>();
  for (const [token, range] of written) {
    const rowNumber = /\d+/.exec(range.slice(range.lastIndexOf('!') + 1))?.[0];
    if (rowNumber) out.set(token, Number(rowNumber));
  }
  return out;
}

/**
 * Tags each row with its claim token and reads the header and those rows as the tagging left them,
 * in ONE write request (no read quota): a token's cells are those of the row its tag landed on.
 */
export async function tagAndRead(
  client: SheetsClient,
  loc: SheetLocation,
  sheetId: number,
  rows: { rowNumber: number; token: string }[],
): Promise<{ header: Header; rows: Map<string, LocatedRow> }> {
  const read = await client.tagRows(
    loc.spreadsheetId,
    sheetId,
    CLAIM_TAG,
    rows.map((r) => ({ rowNumber: r.rowNumber, value: r.token })),
    [headerRange(loc.tab), ...rows.map((r) => rowRange(loc.tab, r.rowNumber))],
  );
  const header = new Header(read[0]?.[0] ?? []);
  const tagged = new Map<string, LocatedRow>();
  rows.forEach((r, i) => {
    tagged.set(r.token, { rowNumber: r.rowNumber, cells: read[i + 1]?.[0] ?? [], header });
  });
  return { header, rows: tagged };
}

/** Removes the tags of claims that did not stand or are over (one request). */
export function untagRows(client: SheetsClient, loc: SheetLocation, tokens: string[]): Promise<void> {
  return client.untagRows(loc.spreadsheetId, CLAIM_TAG, tokens);
}
