// Page properties read back as plain values: text, numbers, flags, option names, page ids, dates.
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
      if (!isObject(v)) return null;
      return fromNotionValue({ type: v.type, [String(v.type)]: v[String(v.type)] }) ?? null;
    default:
      return undefined;
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

/** A page object as Baton returns it. */
export function toPage(page: RawPage): NotionPage {
  return {
    id: page.id,
    url: page.url,
    createdTime: page.created_time,
    lastEditedTime: page.last_edited_time,
    properties: fromNotionProperties(page.properties),
  };
}
