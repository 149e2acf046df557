// Builds filterByFormula text safely: field references, quoted strings, AND/OR of parts.
import { ServiceError } from '../core/index.ts';

/** `{Name}`. @throws ServiceError for a name containing `}` (a formula cannot refer to it) */
export function field(name: string): string {
  if (name.includes('}')) {
    throw new ServiceError('airtable', `The field name "${name}" cannot be used in a formula`, {
      hint: 'rename the field in Airtable so that it has no "}"',
    });
  }
  return `{${name}}`;
}

/** A string literal: `"it's \"ok\""`. */
export function text(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** True when the field is empty: `{Status} = ''`. */
export function isEmpty(name: string): string {
  return `${field(name)} = ''`;
}

export function equals(name: string, value: string): string {
  return `${field(name)} = ${text(value)}`;
}

export function recordIdIs(id: string): string {
  return `RECORD_ID() = ${text(id)}`;
}

/** `AND(a, b, …)` of the non-empty parts; a single part is returned as it is. */
export function and(...parts: (string | undefined)[]): string {
  return combine('AND', parts);
}

export function or(...parts: (string | undefined)[]): string {
  return combine('OR', parts);
}

function combine(fn: string, parts: (string | undefined)[]): string {
  const kept = parts.filter((p): p is string => p !== undefined && p.trim() !== '');
  if (kept.length === 0) return '';
  if (kept.length === 1) return kept[0]!;
  return `${fn}(${kept.map((p) => `(${p})`).join(', ')})`;
}
