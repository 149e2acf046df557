// Data source query filters: property and timestamp conditions combined with `and`/`or`.
import { invalid } from './errors.ts';
import { normalizeId } from './ids.ts';
import { plainTextOf } from './rich-text.ts';
import { findProperty, type PropertySchema } from './schema.ts';
import type { PageRecord } from './state.ts';
import type { StoredValue } from './values.ts';

type Predicate = (page: PageRecord) => boolean;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const DAY = 86_400_000;
const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;

/**
 * Compiles a filter object into a predicate over pages.
 * @throws 400 validation_error for unknown properties, a condition that does not fit the property's
 *   type, compound filters nested more than two levels deep, or malformed values.
 */
export function compileFilter(
  filter: unknown,
  schema: readonly PropertySchema[],
  now: number,
  path = 'body.filter',
  depth = 0,
): Predicate {
  if (!isObject(filter)) throw invalid(`body failed validation: ${path} should be an object.`);
  for (const op of ['and', 'or'] as const) {
    if (!(op in filter)) continue;
    const parts = filter[op];
    if (!Array.isArray(parts)) throw invalid(`body failed validation: ${path}.${op} should be an array.`);
    if (depth >= 2)
      throw invalid(
        `body failed validation: ${path}.${op} is nested too deeply; compound filters allow two levels.`,
      );
    const compiled = parts.map((f, i) => compileFilter(f, schema, now, `${path}.${op}[${i}]`, depth + 1));
    return op === 'and' ? (p) => compiled.every((c) => c(p)) : (p) => compiled.some((c) => c(p));
  }
  if (filter.timestamp === 'created_time' || filter.timestamp === 'last_edited_time') {
    const key = filter.timestamp;
    const test = dateCondition(condition(filter[key], `${path}.${key}`), `${path}.${key}`, now);
    return (p) => test(minute(key === 'created_time' ? p.createdTime : p.lastEditedTime));
  }
  if (typeof filter.property !== 'string')
    throw invalid(`body failed validation: ${path}.property should be defined, instead was \`undefined\`.`);
  const property = findProperty(schema, filter.property);
  if (!property) throw invalid(`Could not find property with name or id: ${filter.property}`);
  const key = conditionKey(filter, property, path);
  const test = valueCondition(property, condition(filter[key], `${path}.${key}`), `${path}.${key}`, now);
  return (p) => {
    const value = p.values.get(property.id);
    return value !== undefined && test(value);
  };
}

function conditionKey(filter: Record<string, unknown>, p: PropertySchema, path: string): string {
  const text = p.type === 'title' || p.type === 'rich_text';
  const allowed = text ? ['title', 'rich_text'] : [p.type];
  const key = allowed.find((k) => k in filter);
  if (key) return key;
  const used = Object.keys(filter).find((k) => k !== 'property' && k !== 'type') ?? 'nothing';
  throw invalid(
    `body failed validation: ${path}.${used} does not match the type of property "${p.name}", which is ${p.type}.`,
  );
}

/** Exactly one operator per condition, as Notion requires. */
function condition(raw: unknown, path: string): [string, unknown] {
  if (!isObject(raw)) throw invalid(`body failed validation: ${path} should be an object.`);
  const entries = Object.entries(raw);
  if (entries.length !== 1)
    throw invalid(
      `body failed validation: ${path} should have exactly one condition, instead had ${entries.length}.`,
    );
  return entries[0]!;
}

function valueCondition(
  p: PropertySchema,
  [op, arg]: [string, unknown],
  path: string,
  now: number,
): (v: StoredValue) => boolean {
  switch (p.type) {
    case 'title':
    case 'rich_text':
    case 'url':
    case 'email': {
      const test = textCondition(op, arg, path);
      return (v) =>
        test(
          v.type === 'title' || v.type === 'rich_text'
            ? plainTextOf(v.items)
            : 'value' in v && typeof v.value === 'string'
              ? v.value
              : '',
        );
    }
    case 'number': {
      const test = numberCondition(op, arg, path);
      return (v) => test(v.type === 'number' ? v.value : null);
    }
    case 'checkbox': {
      if (typeof arg !== 'boolean' || (op !== 'equals' && op !== 'does_not_equal'))
        throw badCondition(path, op, arg);
      return (v) => v.type === 'checkbox' && (v.value === arg) === (op === 'equals');
    }
    case 'select':
    case 'status': {
      const name = (v: StoredValue) =>
        v.type === 'select' || v.type === 'status' ? (v.option?.name ?? null) : null;
      if (op === 'is_empty' || op === 'is_not_empty')
        return (v) => (name(v) === null) === (op === 'is_empty');
      if (typeof arg !== 'string' || (op !== 'equals' && op !== 'does_not_equal'))
        throw badCondition(path, op, arg);
      return (v) => (name(v) === arg) === (op === 'equals');
    }
    case 'multi_select':
    case 'relation': {
      const items = (v: StoredValue) =>
        v.type === 'multi_select' ? v.options.map((o) => o.name) : v.type === 'relation' ? v.ids : [];
      if (op === 'is_empty' || op === 'is_not_empty')
        return (v) => (items(v).length === 0) === (op === 'is_empty');
      if (typeof arg !== 'string' || (op !== 'contains' && op !== 'does_not_contain'))
        throw badCondition(path, op, arg);
      const wanted = p.type === 'relation' ? normalizeId(arg) : arg;
      if (wanted === undefined) throw badCondition(path, op, arg);
      return (v) => items(v).includes(wanted) === (op === 'contains');
    }
    case 'date': {
      const test = dateCondition([op, arg], path, now);
      return (v) => test(v.type === 'date' && v.value ? Date.parse(v.value.start) : null);
    }
    case 'formula':
      throw invalid(`body failed validation: ${path}: filters on formula properties are not emulated.`);
  }
}

function textCondition(op: string, arg: unknown, path: string): (s: string) => boolean {
  if (op === 'is_empty' || op === 'is_not_empty') return (s) => (s === '') === (op === 'is_empty');
  if (typeof arg !== 'string') throw badCondition(path, op, arg);
  const lower = arg.toLowerCase();
  const tests: Record<string, (s: string) => boolean> = {
    equals: (s) => s === arg,
    does_not_equal: (s) => s !== arg,
    contains: (s) => s.toLowerCase().includes(lower),
    does_not_contain: (s) => !s.toLowerCase().includes(lower),
    starts_with: (s) => s.toLowerCase().startsWith(lower),
    ends_with: (s) => s.toLowerCase().endsWith(lower),
  };
  const test = tests[op];
  if (!test) throw badCondition(path, op, arg);
  return test;
}

function numberCondition(op: string, arg: unknown, path: string): (n: number | null) => boolean {
  if (op === 'is_empty' || op === 'is_not_empty') return (n) => (n === null) === (op === 'is_empty');
  if (typeof arg !== 'number') throw badCondition(path, op, arg);
  const tests: Record<string, (n: number) => boolean> = {
    equals: (n) => n === arg,
    does_not_equal: (n) => n !== arg,
    greater_than: (n) => n > arg,
    less_than: (n) => n < arg,
    greater_than_or_equal_to: (n) => n >= arg,
    less_than_or_equal_to: (n) => n <= arg,
  };
  const test = tests[op];
  if (!test) throw badCondition(path, op, arg);
  return (n) => n !== null && test(n);
}

/** Date conditions; a date without a time names the whole (UTC) day. */
function dateCondition(
  [op, arg]: [string, unknown],
  path: string,
  now: number,
): (ms: number | null) => boolean {
  if (op === 'is_empty' || op === 'is_not_empty') return (ms) => (ms === null) === (op === 'is_empty');
  const relative: Record<string, [number, number]> = {
    past_week: [now - 7 * DAY, now],
    past_month: [now - 30 * DAY, now],
    past_year: [now - 365 * DAY, now],
    next_week: [now, now + 7 * DAY],
    next_month: [now, now + 30 * DAY],
    next_year: [now, now + 365 * DAY],
    this_week: weekOf(now),
  };
  const range = relative[op];
  if (range) return (ms) => ms !== null && ms >= range[0] && ms <= range[1];
  if (typeof arg !== 'string' || Number.isNaN(Date.parse(arg))) throw badCondition(path, op, arg);
  const start = Date.parse(arg);
  const end = /^\d{4}-\d{2}-\d{2}$/.test(arg) ? start + DAY : start + 1;
  const tests: Record<string, (ms: number) => boolean> = {
    equals: (ms) => ms >= start && ms < end,
    before: (ms) => ms < start,
    after: (ms) => ms >= end,
    on_or_before: (ms) => ms < end,
    on_or_after: (ms) => ms >= start,
  };
  const test = tests[op];
  if (!test) throw badCondition(path, op, arg);
  return (ms) => ms !== null && test(ms);
}

function weekOf(now: number): [number, number] {
  const day = new Date(now).getUTCDay();
  const monday = Math.floor(now / DAY) * DAY - ((day + 6) % 7) * DAY;
  return [monday, monday + 7 * DAY - 1];
}

function badCondition(path: string, op: string, arg: unknown) {
  return invalid(
    `body failed validation: ${path}.${op} is not a valid condition for this property, or \`${JSON.stringify(arg)}\` is not a valid value.`,
  );
}
