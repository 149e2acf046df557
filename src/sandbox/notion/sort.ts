// Data source query sorts: by property (empty values last) or timestamp; newest first without sorts.
import { invalid, tooLong } from './errors.ts';
import { plainTextOf } from './rich-text.ts';
import { findProperty, type PropertySchema } from './schema.ts';
import type { PageRecord } from './state.ts';
import type { StoredValue } from './values.ts';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/**
 * Sorts pages by `sorts` (properties or timestamps, empty values last); without sorts, newest first.
 * @throws 400 validation_error for an unknown property or direction.
 */
export function sortPages(
  pages: PageRecord[],
  sorts: unknown,
  schema: readonly PropertySchema[],
): PageRecord[] {
  const byDefault = (a: PageRecord, b: PageRecord) => b.seq - a.seq;
  if (sorts === undefined) return [...pages].sort(byDefault);
  if (!Array.isArray(sorts)) throw invalid('body failed validation: body.sorts should be an array.');
  if (sorts.length > 100) throw tooLong('body.sorts.length', 100, sorts.length);
  const keys = sorts.map((s, i) => sortKey(s, schema, `body.sorts[${i}]`));
  return [...pages].sort((a, b) => {
    for (const key of keys) {
      const order = key(a, b);
      if (order !== 0) return order;
    }
    return byDefault(a, b);
  });
}

type SortValue = string | number | null;

function sortKey(
  sort: unknown,
  schema: readonly PropertySchema[],
  path: string,
): (a: PageRecord, b: PageRecord) => number {
  if (!isObject(sort) || (sort.direction !== 'ascending' && sort.direction !== 'descending')) {
    throw invalid(`body failed validation: ${path}.direction should be \`"ascending"\` or \`"descending"\`.`);
  }
  const sign = sort.direction === 'ascending' ? 1 : -1;
  let read: (p: PageRecord) => SortValue;
  if (sort.timestamp === 'created_time' || sort.timestamp === 'last_edited_time') {
    const key = sort.timestamp;
    read = (p) => minute(key === 'created_time' ? p.createdTime : p.lastEditedTime);
  } else {
    const property = typeof sort.property === 'string' ? findProperty(schema, sort.property) : undefined;
    if (!property) throw invalid(`Could not find sort property with name or id: ${String(sort.property)}`);
    read = (p) => sortValue(property, p.values.get(property.id));
  }
  return (a, b) => {
    const x = read(a);
    const y = read(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (
      (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * sign
    );
  };
}

function sortValue(p: PropertySchema, v: StoredValue | undefined): SortValue {
  if (!v) return null;
  switch (v.type) {
    case 'title':
    case 'rich_text': {
      const text = plainTextOf(v.items);
      return text === '' ? null : text;
    }
    case 'number':
      return v.value;
    case 'url':
    case 'email':
      return v.value || null;
    case 'checkbox':
      return v.value ? 1 : 0;
    case 'date':
      return v.value ? Date.parse(v.value.start) : null;
    case 'select':
    case 'status':
      return v.option ? (p.options ?? []).findIndex((o) => o.id === v.option?.id) : null;
    case 'multi_select':
      return v.options[0]?.name ?? null;
    case 'relation':
      return v.ids.length || null;
    case 'formula':
      return null;
  }
}
