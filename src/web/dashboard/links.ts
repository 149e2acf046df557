// Links from a run to what it belongs to: the sheet row, the Airtable record, the Trello card, the
// Notion page, the Gmail draft — found in its input and in what its finished steps returned.
import type { RunRecord } from '../../engine/run-record.ts';

export interface RunLink {
  label: string;
  href: string;
}

/** Keys under which connectors return a web address (Trello `url`/`shortUrl`, Gmail `link`, …). */
const URL_KEYS = new Set(['url', 'shortUrl', 'link', 'webViewLink', 'permalink', 'htmlLink']);
const MAX_DEPTH = 4;

/** Every distinct web link the run holds, labelled by service; only http(s) addresses. */
export function runLinks(run: RunRecord): RunLink[] {
  const found = new Map<string, RunLink>();
  const add = (href: string) => {
    if (!found.has(href) && /^https?:\/\//i.test(href)) found.set(href, { label: labelOf(href), href });
  };
  const row = sheetRowLink(run.input);
  if (row) add(row);
  collect(run.input, add, 0);
  for (const entry of run.journal)
    if (entry.kind === 'step' && entry.status === 'done') collect(entry.value, add, 0);
  return [...found.values()];
}

function collect(value: unknown, add: (href: string) => void, depth: number): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 20)) collect(item, add, depth + 1);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string' && URL_KEYS.has(key)) add(inner);
    else collect(inner, add, depth + 1);
  }
}

/** A claimed sheet row (`{ row: { rowNumber, sheet: { spreadsheetId } } }`) links to its row. */
function sheetRowLink(input: unknown): string | undefined {
  const row = (input as { row?: { rowNumber?: unknown; sheet?: { spreadsheetId?: unknown } } } | null)?.row;
  const id = row?.sheet?.spreadsheetId;
  if (typeof id !== 'string' || typeof row?.rowNumber !== 'number') return undefined;
  return `https://docs.google.com/spreadsheets/d/${encodeURIComponent(id)}/edit#range=${row.rowNumber}:${row.rowNumber}`;
}

function labelOf(href: string): string {
  const { hostname, pathname } = new URL(href);
  if (hostname === 'docs.google.com' && pathname.startsWith('/spreadsheets')) return 'Sheet row';
  if (hostname === 'mail.google.com') return 'Gmail';
  if (hostname.endsWith('trello.com')) return 'Trello card';
  if (hostname.endsWith('notion.so') || hostname.endsWith('notion.site')) return 'Notion page';
  if (hostname.endsWith('airtable.com')) return 'Airtable record';
  return hostname;
}
