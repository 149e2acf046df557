// GET /v1/pages/{page_id}/properties/{property_id}: one property of a page, references paginated.
import { invalid, tooLong } from './errors.ts';
import { renderRichText } from './rich-text.ts';
import type { PropertySchema } from './schema.ts';
import type { PageRecord } from './state.ts';
import { emptyValue, type PlainValue, renderValue } from './values.ts';

/**
 * The property item of developers.notion.com/reference/retrieve-a-page-property: title, rich_text and
 * relation come as a paginated list of `property_item` objects (this is where a relation beyond the
 * page object's 25 references is read), every other type as one `property_item`.
 * @throws 400 validation_error for a bad page_size or start_cursor
 */
export function propertyItem(
  page: PageRecord,
  p: PropertySchema,
  inputs: Record<string, PlainValue>,
  url: URL,
): Record<string, unknown> {
  const value = page.values.get(p.id) ?? emptyValue(p);
  let items: Record<string, unknown>[];
  if (value.type === 'relation') items = value.ids.map((id) => ({ relation: { id } }));
  else if (value.type === 'title' || value.type === 'rich_text')
    items = renderRichText(value.items).map((item) => ({ [value.type]: item }));
  else return { object: 'property_item', ...renderValue(p, value, inputs) };

  const size = readSize(url.searchParams.get('page_size'));
  const from = readCursor(url.searchParams.get('start_cursor'), items.length);
  const next = from + size < items.length ? cursorOf(from + size) : null;
  const nextUrl = new URL(url.pathname, url.origin);
  if (next) nextUrl.searchParams.set('start_cursor', next);
  return {
    object: 'list',
    results: items
      .slice(from, from + size)
      .map((item) => ({ object: 'property_item', id: p.id, type: p.type, ...item })),
    next_cursor: next,
    has_more: next !== null,
    type: 'property_item',
    property_item: { id: p.id, next_url: next ? nextUrl.toString() : null, type: p.type, [p.type]: {} },
  };
}

function readSize(raw: string | null): number {
  const size = raw === null ? 100 : Number(raw);
  if (!Number.isInteger(size) || size < 1)
    throw invalid(
      `query failed validation: query.page_size should be a positive integer, instead was \`${raw}\`.`,
    );
  if (size > 100) throw tooLong('query.page_size', 100, size, 'query');
  return size;
}

/** Property-item cursors are opaque to clients; here an encoded offset. */
const cursorOf = (offset: number): string => Buffer.from(`item:${offset}`).toString('base64url');

function readCursor(raw: string | null, length: number): number {
  if (raw === null) return 0;
  const m = /^item:(\d+)$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  const offset = m ? Number(m[1]) : -1;
  if (offset < 0 || offset >= length)
    throw invalid(
      `query failed validation: query.start_cursor should be a valid cursor, instead was \`${raw}\`.`,
    );
  return offset;
}
