// Page property values: parsed from requests against the schema, rendered for responses, and as plain values.
import { invalid, NotionApiError, notFound, tooLong } from './errors.ts';
import { formulaValue } from './formula.ts';
import { normalizeId } from './ids.ts';
import {
  parseRichText,
  plainRichText,
  plainTextOf,
  RICH_TEXT_LIMITS,
  type RichTextItem,
  renderRichText,
} from './rich-text.ts';
import { newOption, type PropertySchema, type SelectOption } from './schema.ts';

export interface DateValue {
  start: string;
  end: string | null;
  time_zone: string | null;
}

/** One stored value, tagged with its property type. */
export type StoredValue =
  | { type: 'title' | 'rich_text'; items: RichTextItem[] }
  | { type: 'number'; value: number | null }
  | { type: 'select' | 'status'; option: SelectOption | null }
  | { type: 'multi_select'; options: SelectOption[] }
  | { type: 'date'; value: DateValue | null }
  | { type: 'url' | 'email'; value: string | null }
  | { type: 'checkbox'; value: boolean }
  | { type: 'relation'; ids: string[] }
  /** Nothing stored: the value is derived when the page is read (see formula.ts). */
  | { type: 'formula' };

/** A value as a person reads or types it: text, a number, a flag, option names, page ids, a date string. */
export type PlainValue = string | number | boolean | null | string[];

/** What parsing may need from the store: does a related page exist. */
export interface ValueContext {
  pageExists(id: string): boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function emptyValue(p: PropertySchema): StoredValue {
  switch (p.type) {
    case 'title':
    case 'rich_text':
      return { type: p.type, items: [] };
    case 'number':
      return { type: 'number', value: null };
    case 'select':
      return { type: 'select', option: null };
    case 'status':
      return { type: 'status', option: p.options?.[0] ?? null };
    case 'multi_select':
      return { type: 'multi_select', options: [] };
    case 'date':
      return { type: 'date', value: null };
    case 'url':
    case 'email':
      return { type: p.type, value: null };
    case 'checkbox':
      return { type: 'checkbox', value: false };
    case 'relation':
      return { type: 'relation', ids: [] };
    case 'formula':
      return { type: 'formula' };
  }
}

/**
 * Parses a request's value for property `p` at `path` (e.g. `body.properties.Name`).
 * Unknown select and multi_select options are added to the schema, as Notion does; status options must exist.
 * @throws 400 validation_error naming the property when the value does not fit its type or a limit.
 */
export function parseValue(p: PropertySchema, raw: unknown, path: string, ctx: ValueContext): StoredValue {
  if (p.type === 'formula') throw invalid(`${p.name} is a formula property and cannot be written.`);
  if (!isObject(raw) || !(p.type in raw) || (raw.type !== undefined && raw.type !== p.type)) {
    throw invalid(`${p.name} is expected to be ${p.type}.`);
  }
  const value = raw[p.type];
  const at = `${path}.${p.type}`;
  switch (p.type) {
    case 'title':
    case 'rich_text':
      return { type: p.type, items: parseRichText(value, at) };
    case 'number':
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value)))
        throw typeError(at, 'a number', value);
      return { type: 'number', value };
    case 'url':
    case 'email':
      if (value !== null && typeof value !== 'string') throw typeError(at, 'a string', value);
      if (typeof value === 'string' && value.length > RICH_TEXT_LIMITS.url)
        throw tooLong(`${at}.length`, RICH_TEXT_LIMITS.url, value.length);
      return { type: p.type, value };
    case 'checkbox':
      if (typeof value !== 'boolean') throw typeError(at, 'a boolean', value);
      return { type: 'checkbox', value };
    case 'date':
      return { type: 'date', value: parseDate(value, at) };
    case 'select':
    case 'status':
      return { type: p.type, option: value === null ? null : option(p, value, at) };
    case 'multi_select': {
      if (!Array.isArray(value)) throw typeError(at, 'an array', value);
      if (value.length > 100) throw tooLong(`${at}.length`, 100, value.length);
      const options = value.map((v, i) => option(p, v, `${at}[${i}]`));
      return { type: 'multi_select', options: [...new Map(options.map((o) => [o.id, o])).values()] };
    }
    case 'relation': {
      if (!Array.isArray(value)) throw typeError(at, 'an array', value);
      if (value.length > 100) throw tooLong(`${at}.length`, 100, value.length);
      const ids = value.map((v, i) => {
        const id = isObject(v) && typeof v.id === 'string' ? normalizeId(v.id) : undefined;
        if (!id)
          throw invalid(
            `body failed validation: ${at}[${i}].id should be a valid uuid, instead was \`${JSON.stringify(v)}\`.`,
          );
        if (!ctx.pageExists(id)) throw notFound('page', id);
        return id;
      });
      return { type: 'relation', ids: [...new Set(ids)] };
    }
  }
}

function typeError(path: string, expected: string, value: unknown): NotionApiError {
  return invalid(
    `body failed validation: ${path} should be ${expected}, instead was \`${JSON.stringify(value)}\`.`,
  );
}

function parseDate(value: unknown, path: string): DateValue | null {
  if (value === null) return null;
  if (!isObject(value) || typeof value.start !== 'string')
    throw typeError(`${path}.start`, 'a string', isObject(value) ? value.start : value);
  const check = (s: string, at: string) => {
    if (!ISO_DATE.test(s) || Number.isNaN(Date.parse(s))) {
      throw invalid(
        `body failed validation: ${at} should be a valid ISO 8601 date string, instead was \`"${s}"\`.`,
      );
    }
    return s;
  };
  const end = typeof value.end === 'string' ? check(value.end, `${path}.end`) : null;
  const timeZone = typeof value.time_zone === 'string' ? value.time_zone : null;
  return { start: check(value.start, `${path}.start`), end, time_zone: timeZone };
}

/** The option named (or with the id) in `value`; select and multi_select options are created on the fly. */
function option(p: PropertySchema, value: unknown, path: string): SelectOption {
  if (!isObject(value)) throw typeError(path, 'an object', value);
  p.options ??= [];
  const options = p.options;
  if (typeof value.id === 'string') {
    const byId = options.find((o) => o.id === value.id);
    if (byId) return byId;
    throw invalid(`Invalid ${p.type} option id: ${value.id}.`);
  }
  if (typeof value.name !== 'string' || value.name.trim() === '')
    throw typeError(`${path}.name`, 'a non-empty string', value.name);
  const name = value.name.trim();
  if (name.length > 100) throw tooLong(`${path}.name.length`, 100, name.length);
  if (name.includes(',')) throw invalid(`Invalid ${p.type} option, commas not allowed: ${name}`);
  const found = options.find((o) => o.name === name);
  if (found) return found;
  if (p.type === 'status') throw invalid(`Invalid status option. Status option "${name}" does not exist.`);
  const created = newOption(name, options.length);
  options.push(created);
  return created;
}

/**
 * A page object lists at most 25 references per property; the rest only through the property-item
 * endpoint (developers.notion.com/reference/retrieve-a-page: "Page properties are limited to up to 25
 * references per page property").
 */
export const PAGE_REFERENCE_LIMIT = 25;

/** The value in a page object's `properties`; a formula is derived from `inputs` (the page's plain values). */
export function renderValue(
  p: PropertySchema,
  v: StoredValue,
  inputs: Record<string, PlainValue> = {},
): Record<string, unknown> {
  const base = { id: p.id, type: p.type };
  switch (v.type) {
    case 'title':
    case 'rich_text':
      return { ...base, [v.type]: renderRichText(v.items) };
    case 'number':
    case 'url':
    case 'email':
    case 'checkbox':
    case 'date':
      return { ...base, [v.type]: v.value };
    case 'select':
    case 'status':
      return { ...base, [v.type]: v.option };
    case 'multi_select':
      return { ...base, multi_select: v.options };
    case 'relation':
      return {
        ...base,
        relation: v.ids.slice(0, PAGE_REFERENCE_LIMIT).map((id) => ({ id })),
        has_more: v.ids.length > PAGE_REFERENCE_LIMIT,
      };
    case 'formula':
      return { ...base, formula: formulaValue(p, inputs) };
  }
}

/** The value as a person reads it in the app. */
export function plainValue(v: StoredValue): PlainValue {
  switch (v.type) {
    case 'title':
    case 'rich_text':
      return plainTextOf(v.items);
    case 'number':
    case 'url':
    case 'email':
    case 'checkbox':
      return v.value;
    case 'date':
      return v.value?.start ?? null;
    case 'select':
    case 'status':
      return v.option?.name ?? null;
    case 'multi_select':
      return v.options.map((o) => o.name);
    case 'relation':
      return v.ids;
    case 'formula':
      return null;
  }
}

/** A person's edit in the app, turned into a request-shaped value and parsed like one. */
export function valueFromPlain(p: PropertySchema, plain: PlainValue | Date, ctx: ValueContext): StoredValue {
  const text = (v: unknown) => (v === null ? '' : String(v));
  let raw: unknown;
  switch (p.type) {
    case 'title':
    case 'rich_text':
      raw = plainRichText(text(plain)).map((i) => ({ ...i }));
      break;
    case 'date':
      raw = plain === null ? null : { start: plain instanceof Date ? plain.toISOString() : String(plain) };
      break;
    case 'select':
    case 'status':
      raw = plain === null || plain === '' ? null : { name: String(plain) };
      break;
    case 'multi_select':
      raw = (Array.isArray(plain) ? plain : plain === null ? [] : [String(plain)]).map((name) => ({ name }));
      break;
    case 'relation':
      raw = (Array.isArray(plain) ? plain : []).map((id) => ({ id }));
      break;
    default:
      raw = plain;
  }
  try {
    return parseValue(p, { [p.type]: raw }, `properties.${p.name}`, ctx);
  } catch (err) {
    if (err instanceof NotionApiError) throw new Error(`Notion emulator: ${err.message}`);
    throw err;
  }
}
