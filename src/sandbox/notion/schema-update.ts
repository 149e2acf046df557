// PATCH /v1/data_sources/{id}: properties added, changed, renamed or removed, as
// https://developers.notion.com/reference/update-data-source-properties describes them.
import { invalid } from './errors.ts';
import { newPropertyId } from './ids.ts';
import { parseRichText, plainTextOf } from './rich-text.ts';
import {
  findProperty,
  newOption,
  type PropertySchema,
  type PropertyType,
  type SelectOption,
} from './schema.ts';
import type { DataSourceRecord, NotionState } from './state.ts';
import { emptyValue } from './values.ts';

/** The type keys an update may carry that the emulator can store (the reference lists more). */
const WRITABLE_TYPES = [
  'title',
  'rich_text',
  'number',
  'select',
  'multi_select',
  'date',
  'url',
  'email',
  'checkbox',
] as const satisfies readonly PropertyType[];
type WritableType = (typeof WRITABLE_TYPES)[number];

/** Type keys the reference accepts but the emulator cannot hold (it answers 400 rather than pretend). */
const UNSUPPORTED_TYPES = [
  'people',
  'files',
  'phone_number',
  'formula',
  'relation',
  'rollup',
  'created_time',
  'created_by',
  'last_edited_time',
  'last_edited_by',
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Applies an update body to the data source. Checked before anything changes, so a refused request
 * changes nothing. What the reference rules out is refused with 400 validation_error: changing the
 * title property's type, a second title, and any change to a `status` property's options ("not
 * possible to update the name or options values of a status property via the API"). A select's
 * `options` is the whole new list: existing options omitted are removed (and cleared from pages),
 * new names added; an existing option's name and color cannot change. A type change clears the
 * property's values on every page (Notion converts them; the emulator does not).
 */
export function updateDataSource(
  state: NotionState,
  source: DataSourceRecord,
  body: Record<string, unknown>,
  now: number,
): void {
  const schema = source.schema.map((p) => ({ ...p, ...(p.options ? { options: [...p.options] } : {}) }));
  const changedTypes = new Set<string>();
  const removed = new Set<string>();
  let name = source.name;
  if (body.title !== undefined) name = plainTextOf(parseRichText(body.title, 'body.title'));
  if (body.properties !== undefined) {
    if (!isObject(body.properties))
      throw invalid('body failed validation: body.properties should be an object.');
    for (const [key, change] of Object.entries(body.properties)) {
      const at = `body.properties.${key}`;
      const existing = findProperty(schema, key);
      if (change === null) {
        if (!existing) throw invalid(`${key} is not a property that exists.`);
        if (existing.type === 'title') throw invalid('Cannot delete the title property.');
        schema.splice(schema.indexOf(existing), 1);
        removed.add(existing.id);
        continue;
      }
      if (!isObject(change)) throw invalid(`body failed validation: ${at} should be an object or \`null\`.`);
      const type = typeKey(change, at);
      const newName = change.name;
      if (newName !== undefined && (typeof newName !== 'string' || newName.trim() === '')) {
        throw invalid(`body failed validation: ${at}.name should be a non-empty string.`);
      }
      const finalName = (newName as string | undefined) ?? existing?.name ?? key;
      const clash = schema.find((p) => p.name === finalName && p !== existing);
      if (clash)
        throw invalid(`Cannot create a property named ${finalName}: a property with that name exists.`);
      if (!existing) {
        if (!type) throw invalid(`${key} is not a property that exists.`);
        if (type === 'title') throw invalid('A data source can have only one title property.');
        schema.push(configured({ id: newPropertyId(), name: finalName, type }, change[type], at, []));
        continue;
      }
      existing.name = finalName;
      if (!type) continue;
      if (existing.type === 'status') {
        throw invalid(
          `${existing.name} is a status property: it is not possible to update the name or options values of a status property via the API.`,
        );
      }
      if (type !== existing.type) {
        if (existing.type === 'title') throw invalid('The title property cannot be changed to another type.');
        if (type === 'title') throw invalid('A data source can have only one title property.');
        changedTypes.add(existing.id);
      }
      const previous = type === existing.type ? (existing.options ?? []) : [];
      const updated = configured({ id: existing.id, name: existing.name, type }, change[type], at, previous);
      schema.splice(schema.indexOf(existing), 1, updated);
    }
  }
  commit(state, source, { schema, name, now }, changedTypes, removed);
}

/** The one type key in a property change, if any. @throws 400 for several, or a type the emulator lacks. */
function typeKey(change: Record<string, unknown>, at: string): WritableType | undefined {
  const unsupported = Object.keys(change).find((k) => UNSUPPORTED_TYPES.includes(k));
  if (unsupported) throw invalid(`Notion emulator: ${at}.${unsupported} properties are not emulated.`);
  if ('status' in change) {
    throw invalid(
      `body failed validation: ${at}.status is not supported: it is not possible to update the name or options values of a status property via the API.`,
    );
  }
  const keys = WRITABLE_TYPES.filter((t) => t in change);
  if (keys.length > 1) throw invalid(`body failed validation: ${at} should have only one type key.`);
  return keys[0];
}

/** The property with its type's configuration from the request (options for selects). */
function configured(
  base: { id: string; name: string; type: WritableType },
  config: unknown,
  at: string,
  previous: readonly SelectOption[],
): PropertySchema {
  if (config !== undefined && !isObject(config)) {
    throw invalid(`body failed validation: ${at}.${base.type} should be an object.`);
  }
  if (base.type !== 'select' && base.type !== 'multi_select') return { ...base };
  const raw = config?.options;
  if (raw === undefined) return { ...base, options: [...previous] };
  if (!Array.isArray(raw))
    throw invalid(`body failed validation: ${at}.${base.type}.options should be an array.`);
  const options = raw.map((o, i) => selectOption(o, `${at}.${base.type}.options[${i}]`, previous, i));
  const names = options.map((o) => o.name);
  if (new Set(names).size !== names.length) throw invalid(`${at}: select option names must be unique.`);
  return { ...base, options };
}

function selectOption(
  raw: unknown,
  at: string,
  previous: readonly SelectOption[],
  index: number,
): SelectOption {
  if (!isObject(raw)) throw invalid(`body failed validation: ${at} should be an object.`);
  const { id, name, color } = raw;
  const known = previous.find((o) => (typeof id === 'string' ? o.id === id : o.name === name));
  if (known) {
    if ((name !== undefined && name !== known.name) || (color !== undefined && color !== known.color)) {
      throw invalid(`${at}: the name and color of an existing select option cannot be updated.`);
    }
    return known;
  }
  if (typeof id === 'string') throw invalid(`${at}: there is no option with id ${id}.`);
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalid(`body failed validation: ${at}.name should be defined, instead was \`undefined\`.`);
  }
  if (name.includes(',')) throw invalid(`${at}: select option names cannot contain commas.`);
  const option = newOption(name, previous.length + index);
  return typeof color === 'string' ? { ...option, color } : option;
}

/** Stores the new schema and brings every page of the source in line with it. */
function commit(
  state: NotionState,
  source: DataSourceRecord,
  { schema, name, now }: { schema: PropertySchema[]; name: string; now: number },
  changedTypes: Set<string>,
  removed: Set<string>,
): void {
  source.schema = schema;
  source.name = name;
  source.lastEditedTime = now;
  for (const page of state.pages.values()) {
    if (page.dataSourceId !== source.id) continue;
    for (const id of removed) page.values.delete(id);
    for (const p of schema) {
      const value = page.values.get(p.id);
      if (!value || changedTypes.has(p.id)) {
        page.values.set(p.id, emptyValue(p));
      } else if (
        value.type === 'select' &&
        value.option &&
        !p.options?.some((o) => o.id === value.option?.id)
      ) {
        page.values.set(p.id, { type: 'select', option: null });
      } else if (value.type === 'multi_select') {
        const kept = value.options.filter((o) => p.options?.some((k) => k.id === o.id));
        page.values.set(p.id, { type: 'multi_select', options: kept });
      }
    }
  }
}
