// Reading scattered rows in few requests: contiguous spans, many ranges per batchGet, the header alongside.
import { quoteTab, rowRange, rowsRange } from './a1.ts';
import type { SheetsClient } from './client.ts';
import type { SheetLocation } from './row.ts';

/** Ranges per batchGet request: keeps the URL well below Google's length limit. */
const RANGES_PER_READ = 40;

export const headerRange = (tab: string) => `${quoteTab(tab)}!1:1`;

/** Rows grouped into spans of at most `maxSpan` rows; a gap of a few rows is read rather than split. */
function spansOf(rows: number[], maxSpan: number): { from: number; to: number }[] {
  const spans: { from: number; to: number }[] = [];
  for (const r of [...new Set(rows)].sort((a, b) => a - b)) {
    const span = spans[spans.length - 1];
    // Reading a few rows in between costs less than another range.
    if (span && r - span.to <= 4 && r - span.from < maxSpan) span.to = r;
    else spans.push({ from: r, to: r });
  }
  return spans;
}

/**
 * Cells (columns A..`lastCol`, or every column) of the given 1-based rows, in one request per 40 spans of contiguous
 * rows; with `withHeader`, row 1 rides along in the first request (same quota cost).
 * Rows past the data come back empty. @throws ServiceError 400 when a row lies past the grid.
 */
export async function readRowSpans(
  client: SheetsClient,
  loc: SheetLocation,
  rows: number[],
  lastCol: number | 'all',
  options: { maxSpan: number; withHeader?: boolean },
): Promise<{ header: string[] | undefined; rows: Map<number, string[]> }> {
  const spans = spansOf(rows, Math.max(1, options.maxSpan));
  const chunks: { from: number; to: number }[][] = [];
  for (let i = 0; i < spans.length; i += RANGES_PER_READ) chunks.push(spans.slice(i, i + RANGES_PER_READ));
  if (options.withHeader && chunks.length === 0) chunks.push([]);
  const out = new Map<number, string[]>();
  let header: string[] | undefined;
  for (const [n, chunk] of chunks.entries()) {
    const head = n === 0 && options.withHeader ? 1 : 0;
    const ranges = chunk.map((s) =>
      lastCol === 'all' ? rowRange(loc.tab, s.from, s.to) : rowsRange(loc.tab, s.from, s.to, lastCol),
    );
    const read = await client.readMany(loc.spreadsheetId, head ? [headerRange(loc.tab), ...ranges] : ranges);
    if (head) header = read[0]?.values[0] ?? [];
    chunk.forEach((span, j) => {
      for (let r = span.from; r <= span.to; r++) out.set(r, read[head + j]?.values[r - span.from] ?? []);
    });
  }
  return { header, rows: out };
}
