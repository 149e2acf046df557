// queryPages' filter: plain `where` values and a creation time, typed by the schema, as a Notion filter.
import type { QueryDataSourceParameters } from '@notionhq/client';
import { ServiceError } from '../core/index.ts';
import { toValue } from './properties.ts';
import type { PropertyConfig } from './schema.ts';
import type { DataSourceInfo, PageFilter, PropertyInput } from './types.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The Notion filter for `filter` (all parts must hold), or undefined when it asks for nothing.
 * @throws ServiceError naming the property when it does not exist or a value does not fit its type.
 */
export function pageFilter(
  source: DataSourceInfo,
  filter: PageFilter,
): QueryDataSourceParameters['filter'] | undefined {
  const parts: Record<string, unknown>[] = [];
  for (const [name, value] of Object.entries(filter.where ?? {})) {
    const property = source.properties.get(name);
    if (!property) {
      throw new ServiceError('notion', `Notion database '${source.name}' has no property '${name}'`, {
        hint: `use one of: ${[...source.properties.keys()].join(', ')}`,
      });
    }
    parts.push(...equalsCondition(source, property, value));
  }
  if (filter.createdOnOrAfter !== undefined) {
    const at =
      filter.createdOnOrAfter instanceof Date
        ? filter.createdOnOrAfter.toISOString()
        : filter.createdOnOrAfter;
    parts.push({ timestamp: 'created_time', created_time: { on_or_after: at } });
  }
  if (filter.notionFilter) parts.push(filter.notionFilter as Record<string, unknown>);
  if (parts.length === 0) return undefined;
  return (parts.length === 1 ? parts[0] : { and: parts }) as QueryDataSourceParameters['filter'];
}

/**
 * A filter condition saying property `p` equals `value` (multi_select and relation: contains every item).
 * @throws ServiceError naming the property when the value does not fit its type.
 */
function equalsCondition(
  source: DataSourceInfo,
  p: PropertyConfig,
  value: PropertyInput,
): Record<string, unknown>[] {
  const typed = toValue(source, p, value);
  const property = p.name;
  switch (p.type) {
    case 'title':
    case 'rich_text': {
      const text = typeof value === 'string' ? value : '';
      return [{ property, [p.type]: text === '' ? { is_empty: true } : { equals: text } }];
    }
    case 'select':
    case 'status':
    case 'date':
    case 'url':
    case 'email':
    case 'phone_number':
    case 'number': {
      if (typed === null) return [{ property, [p.type]: { is_empty: true } }];
      const equals = isObject(typed) ? (typed.name ?? typed.start) : typed;
      return [{ property, [p.type]: { equals } }];
    }
    case 'checkbox':
      return [{ property, checkbox: { equals: typed } }];
    case 'multi_select':
    case 'relation': {
      const items = Array.isArray(typed) ? typed : [];
      if (items.length === 0) return [{ property, [p.type]: { is_empty: true } }];
      return items.map((item) => ({
        property,
        [p.type]: { contains: isObject(item) ? (item.name ?? item.id) : item },
      }));
    }
    default:
      return [];
  }
}
