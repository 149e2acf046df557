// Field types of an emulated table: how a written value is checked (and typecast), stored and read by formulas.
import { AirtableApiError, invalidValue, newSelectOption } from './errors.ts';

const TEXT_TYPES = ['singleLineText', 'multilineText', 'richText', 'email', 'url', 'phoneNumber'] as const;

/** The field types the emulator stores, checks and creates. */
export const FIELD_TYPES = [
  ...TEXT_TYPES,
  'number',
  'currency',
  'percent',
  'checkbox',
  'singleSelect',
  'multipleSelects',
  'date',
  'dateTime',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A field as a test defines it: `{ name: 'Status', type: 'singleSelect', choices: ['Queued', 'Done'] }`. */
export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Options of a select field. */
  choices?: string[];
}

export interface Field {
  id: string;
  name: string;
  type: FieldType;
  choices: string[];
  description?: string;
  /** Options as created through the metadata API (selects keep theirs in `choices`). */
  options?: Record<string, unknown>;
}

/** A stored cell: never empty (empty cells are not stored, and are left out of API answers). */
export type CellValue = string | number | boolean | string[];

export const TEXT = new Set<FieldType>(TEXT_TYPES);
const NUMBER = new Set<FieldType>(['number', 'currency', 'percent']);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The value to store for `raw` written into `field`, or undefined for an empty cell (null, '', false,
 * []). With `typecast`, strings are converted (numbers, booleans, dates), and a select option the
 * field lacks is created only when `addOptions` too (the writer is a base Creator).
 * @throws AirtableApiError 422 INVALID_VALUE_FOR_COLUMN, or INVALID_MULTIPLE_CHOICE_OPTIONS for a
 *   select option the field lacks when `typecast` is off or the writer may not add options.
 */
export function cellValue(
  field: Field,
  raw: unknown,
  typecast: boolean,
  addOptions = typecast,
): CellValue | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (TEXT.has(field.type)) {
    if (typeof raw === 'string') return raw === '' ? undefined : raw;
    if (typecast && (typeof raw === 'number' || typeof raw === 'boolean')) return String(raw);
    throw invalidValue(field.name);
  }
  if (NUMBER.has(field.type)) {
    if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
    if (typecast && typeof raw === 'string') {
      if (raw.trim() === '') return undefined;
      const n = Number(raw.replace(/[$,%\s]/g, ''));
      if (Number.isFinite(n)) return n;
    }
    throw invalidValue(field.name);
  }
  switch (field.type) {
    case 'checkbox':
      if (typeof raw === 'boolean') return raw || undefined;
      if (typecast && typeof raw === 'string')
        return /^(true|checked|yes|1|x)$/i.test(raw.trim()) || undefined;
      throw invalidValue(field.name);
    case 'singleSelect': {
      if (typeof raw !== 'string') throw invalidValue(field.name);
      return raw === '' ? undefined : choice(field, raw, typecast && addOptions);
    }
    case 'multipleSelects': {
      const list = Array.isArray(raw)
        ? raw
        : typecast && typeof raw === 'string'
          ? raw.split(',')
          : undefined;
      if (!list?.every((v) => typeof v === 'string')) throw invalidValue(field.name);
      const names = [...new Set(list.map((v) => v.trim()).filter((v) => v !== ''))];
      return names.length === 0 ? undefined : names.map((n) => choice(field, n, typecast && addOptions));
    }
    case 'date':
    case 'dateTime': {
      if (typeof raw !== 'string') throw invalidValue(field.name);
      if (raw === '') return undefined;
      const parsed = parseDate(raw);
      if (parsed === undefined || (!typecast && !isIsoDate(raw))) throw invalidValue(field.name);
      const iso = new Date(parsed).toISOString();
      return field.type === 'date' ? iso.slice(0, 10) : iso;
    }
    default:
      throw new AirtableApiError(422, 'INVALID_VALUE_FOR_COLUMN', `Unsupported field type ${field.type}`);
  }
}

/**
 * Adding an option is configuring the field: only a Creator's token may, even with typecast; an
 * Editor's gets the same 422 as a write without typecast (airtable.js issue #138).
 */
function choice(field: Field, name: string, mayAdd: boolean): string {
  if (field.choices.includes(name)) return name;
  if (!mayAdd) throw newSelectOption(name);
  field.choices.push(name);
  return name;
}

function isIsoDate(text: string): boolean {
  return DAY.test(text) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(text);
}

/** Milliseconds of an ISO date or date-time (a bare date is midnight UTC), or undefined. */
export function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  const ms = Date.parse(DAY.test(trimmed) ? `${trimmed}T00:00:00.000Z` : trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What a formula sees for a cell: dates as Date, multiple selects joined, a checkbox as a boolean. */
export function formulaValue(
  field: Field,
  value: CellValue | undefined,
): string | number | boolean | Date | null {
  if (value === undefined) return field.type === 'checkbox' ? false : null;
  if (Array.isArray(value)) return value.join(', ');
  if ((field.type === 'date' || field.type === 'dateTime') && typeof value === 'string') {
    const ms = parseDate(value);
    return ms === undefined ? null : new Date(ms);
  }
  return value;
}
