// Page properties read back as plain values: text, numbers, flags, option names, page ids, dates.
import type { NotionApi } from './api.ts';
import { short } from './body.ts';
import type { RawPage } from './schema.ts';
import type { NotionPage, PropertyValue } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function plainText(items: unknown): string {
  if (!Array.isArray(items)) return '';
  return items.map((i) => (isObject(i) && typeof i.plain_text === 'string' ? i.plain_text : '')).join('');
}

function name(option: unknown): string | null {
  return isObject(option) && typeof option.name === 'string' ? option.name : null;
}

/** A page property value (from a page object) as a plain value; undefined for types Baton does not read. */
export function fromNotionValue(value: Record<string, unknown>): PropertyValue | undefined {
  const type = value.type;
  const v = typeof type === 'string' ? value[type] : undefined;
  switch (type) {
    case 'title':
    case 'rich_text':
      return plainText(v);
    case 'number':
      return typeof v === 'number' ? v : null;
    case 'checkbox':
      return v === true;
    case 'url':
    case 'email':
    case 'phone_number':
    case 'created_time':
    case 'last_edited_time':
      return typeof v === 'string' ? v : null;
    case 'select':
    case 'status':
      return name(v);
    case 'multi_select':
      return Array.isArray(v) ? v.flatMap((o) => name(o) ?? []) : [];
    case 'date':
      return isObject(v) && typeof v.start === 'string' ? v.start : null;
    case 'relation':
      return Array.isArray(v)
        ? v.flatMap((r) => (isObject(r) && typeof r.id === 'string' ? [r.id] : []))
        : [];
    case 'unique_id':
      return isObject(v) && typeof v.number === 'number'
        ? `${typeof v.prefix === 'string' ? `${v.prefix}-` : ''}${v.number}`
        : null;
    case 'formula':
      return formulaResult(v);
    default:
      return undefined;
  }
}

/** A formula's result: `{type: string|number|boolean|date, …}` (null when empty or of another type). */
function formulaResult(v: unknown): PropertyValue {
  if (!isObject(v)) return null;
  const result = v[String(v.type)];
  switch (v.type) {
    case 'string':
      return typeof result === 'string' ? result : null;
    case 'number':
      return typeof result === 'number' ? result : null;
    case 'boolean':
      return typeof result === 'boolean' ? result : null;
    case 'date':
      return isObject(result) && typeof result.start === 'string' ? result.start : null;
    default:
      return null;
  }
}

/** Every readable property of a page, by name. */
export function fromNotionProperties(
  properties: Record<string, Record<string, unknown>>,
): Record<string, PropertyValue> {
  const out: Record<string, PropertyValue> = {};
  for (const [key, value] of Object.entries(properties)) {
    const plain = fromNotionValue(value);
    if (plain !== undefined) out[key] = plain;
  }
  return out;
}

/**
 * A page object as Baton returns it, with every relation complete: a page object lists at most 25
 * references per property (`has_more: true` beyond), so such a relation is read again from the
 * property-item endpoint, 100 references per request.
 */
export async function readPage(api: NotionApi, page: RawPage): Promise<NotionPage> {
  const read = toPage(page);
  for (const [name, value] of Object.entries(page.properties)) {
    if (value.type !== 'relation' || value.has_more !== true || typeof value.id !== 'string') continue;
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const items = await api.relationItems(
        page.id,
        value.id,
        cursor,
        `read relation ${name} of ${short(page.id)}`,
      );
      ids.push(...items.results.map((item) => item.relation.id));
      cursor = items.has_more ? (items.next_cursor ?? undefined) : undefined;
    } while (cursor);
    read.properties[name] = ids;
  }
  return read;
}

/** A page object as Notion sent it (relations cut at 25 references: see `readPage`). */
export function toPage(page: RawPage): NotionPage {
  return {
    id: page.id,
    url: page.url,
    createdTime: page.created_time,
    lastEditedTime: page.last_edited_time,
    properties: fromNotionProperties(page.properties),
  };
}
