// Airtable's metadata API on emulated bases: the base schema (tables, fields, views) and field creation.
import { z } from 'zod';
import { AirtableApiError, invalidRequest } from './errors.ts';
import { FIELD_TYPES, type Field, type FieldType, TEXT } from './fields.ts';
import { newId } from './ids.ts';
import { type Base, Table } from './state.ts';

/** Option ids of select fields, stable for the emulator's lifetime. */
const choiceIds = new WeakMap<Field, Map<string, string>>();

function choiceId(field: Field, name: string): string {
  const ids = choiceIds.get(field) ?? new Map<string, string>();
  choiceIds.set(field, ids);
  const id = ids.get(name) ?? newId('sel');
  ids.set(name, id);
  return id;
}

/** What Airtable reports for a field made in its UI with default settings. */
function defaultOptions(type: FieldType): Record<string, unknown> | undefined {
  const isoDate = { dateFormat: { name: 'iso', format: 'YYYY-MM-DD' } };
  switch (type) {
    case 'number':
    case 'percent':
      return { precision: 0 };
    case 'currency':
      return { precision: 2, symbol: '$' };
    case 'checkbox':
      return { color: 'greenBright', icon: 'check' };
    case 'date':
      return isoDate;
    case 'dateTime':
      return { ...isoDate, timeFormat: { name: '24hour', format: 'HH:mm' }, timeZone: 'utc' };
    default:
      return undefined;
  }
}

/** The field model of https://airtable.com/developers/web/api/model/field-model. */
export function fieldModel(field: Field): Record<string, unknown> {
  const select = field.type === 'singleSelect' || field.type === 'multipleSelects';
  const options = select
    ? { choices: field.choices.map((name) => ({ id: choiceId(field, name), name, color: 'blueLight2' })) }
    : (field.options ?? defaultOptions(field.type));
  return {
    id: field.id,
    name: field.name,
    type: field.type,
    ...(field.description ? { description: field.description } : {}),
    ...(options ? { options } : {}),
  };
}

/** `GET /v0/meta/bases/{baseId}/tables` (https://airtable.com/developers/web/api/get-base-schema). */
export function baseSchema(base: Base): unknown {
  return {
    tables: base.tables.map((table) => ({
      id: table.id,
      name: table.name,
      primaryFieldId: table.fields[0]?.id,
      fields: table.fields.map(fieldModel),
      views: table.views.map((v) => ({ id: v.id, name: v.name, type: 'grid' })),
    })),
  };
}

const CreateField = z.object({
  name: z.string(),
  type: z.string(),
  description: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional(),
});

/** Options each type must be created with (its write format); text types take none. */
const REQUIRED_OPTIONS: Partial<Record<FieldType, string[]>> = {
  number: ['precision'],
  percent: ['precision'],
  currency: ['precision', 'symbol'],
  checkbox: ['color', 'icon'],
  singleSelect: ['choices'],
  multipleSelects: ['choices'],
  date: ['dateFormat'],
  dateTime: ['dateFormat', 'timeFormat', 'timeZone'],
};

/**
 * `POST /v0/meta/bases/{baseId}/tables/{tableId}/fields` (https://airtable.com/developers/web/api/create-field):
 * adds a column and answers its field model. The caller checks scope and Creator role.
 * @throws 422 DUPLICATE_OR_EMPTY_FIELD_NAME (the type public clients check for), or INVALID_REQUEST_UNKNOWN
 *   for a type the emulator cannot create or options missing for it [unconfirmed error types]
 */
export function createField(table: Table, body: unknown): unknown {
  const parsed = CreateField.safeParse(body);
  if (!parsed.success) throw invalidRequest();
  const { name, type, description, options } = parsed.data;
  const trimmed = name.trim();
  if (trimmed === '' || table.fields.some((f) => f.name.toLowerCase() === trimmed.toLowerCase())) {
    throw new AirtableApiError(
      422,
      'DUPLICATE_OR_EMPTY_FIELD_NAME',
      `Field name "${name}" is empty or already used in this table`,
    );
  }
  const fieldType = FIELD_TYPES.find((t) => t === type);
  if (!fieldType) {
    throw new AirtableApiError(422, 'INVALID_REQUEST_UNKNOWN', `Cannot create a field of type ${type}`);
  }
  const required = REQUIRED_OPTIONS[fieldType] ?? [];
  const missing = required.filter((key) => options?.[key] === undefined);
  if (missing.length > 0 || (TEXT.has(fieldType) && options !== undefined)) {
    throw new AirtableApiError(
      422,
      'INVALID_REQUEST_UNKNOWN',
      `Invalid options for a ${fieldType} field${missing.length ? `: missing ${missing.join(', ')}` : ''}`,
    );
  }
  const choices = required.includes('choices') ? choiceNames(options?.choices) : undefined;
  const field = table.addField({ name: trimmed, type: fieldType, ...(choices ? { choices } : {}) });
  if (description) field.description = description;
  if (options && !choices) field.options = options;
  return fieldModel(field);
}

function choiceNames(raw: unknown): string[] {
  const parsed = z.array(z.object({ name: z.string().min(1) })).safeParse(raw);
  if (!parsed.success) throw invalidRequest();
  return parsed.data.map((c) => c.name);
}

const CreateTable = z.object({
  name: z.string(),
  description: z.string().optional(),
  fields: z.array(z.unknown()).min(1),
});

/** Types Airtable accepts for a table's primary field (https://airtable.com/developers/web/api/create-table). */
const PRIMARY_TYPES = new Set<FieldType>([
  'singleLineText',
  'multilineText',
  'email',
  'url',
  'phoneNumber',
  'number',
  'date',
  'dateTime',
]);

/**
 * `POST /v0/meta/bases/{baseId}/tables` (https://airtable.com/developers/web/api/create-table): a
 * table with its fields (the first is primary) and a default grid view; answers its table model.
 * The caller checks scope and Creator role.
 * @throws 422 DUPLICATE_TABLE_NAME, or what `createField` throws for a field [unconfirmed error types]
 */
export function createTable(base: Base, body: unknown): unknown {
  const parsed = CreateTable.safeParse(body);
  if (!parsed.success) throw invalidRequest();
  const name = parsed.data.name.trim();
  if (name === '' || base.tables.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
    throw new AirtableApiError(422, 'DUPLICATE_TABLE_NAME', `Table name "${name}" is empty or already used`);
  }
  const table = new Table(newId('tbl'), name, []);
  for (const field of parsed.data.fields) createField(table, field);
  const primary = table.fields[0]!;
  if (!PRIMARY_TYPES.has(primary.type)) {
    throw new AirtableApiError(
      422,
      'INVALID_REQUEST_UNKNOWN',
      `A field of type ${primary.type} cannot be the primary field`,
    );
  }
  table.views.push({ id: newId('viw'), name: 'Grid view', sort: [] });
  base.tables.push(table);
  return {
    id: table.id,
    name: table.name,
    ...(parsed.data.description ? { description: parsed.data.description } : {}),
    primaryFieldId: primary.id,
    fields: table.fields.map(fieldModel),
    views: table.views.map((v) => ({ id: v.id, name: v.name, type: 'grid' })),
  };
}
