// A page's body as plain text (what a model may read about a lead): the rich text of its blocks.
import type { NotionApi } from './api.ts';
import { short } from './body.ts';

/** Characters kept when the caller sets no cap: a dossier, not a book. */
export const DEFAULT_PAGE_TEXT_CHARS = 6000;
/** Pages of 100 blocks read at most: past the cap nothing more is needed. */
const MAX_PAGES = 5;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The plain text of one block (its `rich_text`, or a title), with a marker for list items and headings. */
function blockText(block: Record<string, unknown>): string {
  const type = typeof block.type === 'string' ? block.type : '';
  const content = block[type];
  if (!isObject(content)) return '';
  const rich = Array.isArray(content.rich_text) ? content.rich_text : [];
  const text = rich
    .map((r) => (isObject(r) && typeof r.plain_text === 'string' ? r.plain_text : ''))
    .join('')
    .trim();
  if (!text) return '';
  if (type === 'bulleted_list_item' || type === 'numbered_list_item' || type === 'to_do') return `- ${text}`;
  if (type.startsWith('heading_')) return `${'#'.repeat(Number(type.slice(-1)) || 1)} ${text}`;
  return text;
}

/**
 * The top-level blocks of `pageId` as plain text, one block a line, cut at `maxChars` (ending in `…`).
 * Nested blocks (a toggle's inside) are not read.
 * @throws NotFoundError when the page is gone or not shared with the integration; AuthError, ServiceError
 */
export async function pageText(api: NotionApi, pageId: string, maxChars: number): Promise<string> {
  const lines: string[] = [];
  let length = 0;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES && length <= maxChars; page++) {
    const list = await api.listChildren(pageId, cursor, `read page ${short(pageId)}`);
    for (const block of list.results) {
      const text = blockText(block);
      if (!text) continue;
      lines.push(text);
      length += text.length + 1;
    }
    cursor = list.has_more ? (list.next_cursor ?? undefined) : undefined;
    if (!cursor) break;
  }
  const all = lines.join('\n');
  return all.length > maxChars ? `${all.slice(0, maxChars - 1).trimEnd()}…` : all;
}
