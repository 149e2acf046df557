// Page properties from a plain object, each value checked against the data source's schema.
import { ServiceError } from '../core/index.ts';
import type { PropertyConfig } from './schema.ts';
import { notionSdk } from './sdk.ts';
import type { DataSourceInfo, PropertyInput } from './types.ts';

/** Notion's request limits for one rich text value. */
const TEXT_CHUNK = 2000;
const MAX_ELEMENTS = 100;
const MAX_URL = 2000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The property types createPage and updatePage can write. */
export const WRITABLE_TYPES = [
  'title',
  'rich_text',
  'number',
  'select',
  'multi_select',
  'status',
  'date',
  'url',
  'email',
  'phone_number',
  'checkbox',
  'relation',
] as const;

function inputError(source: DataSourceInfo, property: string, problem: string, hint: string): ServiceError {
  return new ServiceError('notion', `Notion property '${property}' of '${source.name}': ${problem}`, {
    hint,
  });
}

/** Rich text from plain text, split into Notion's 2,000-character pieces. */
export function richText(text: string): { type: 'text'; text: { content: string } }[] {
  const pieces: { type: 'text'; text: { content: string } }[] = [];
  for (let i = 0; i < text.length; i += TEXT_CHUNK)
    pieces.push({ type: 'text', text: { content: text.slice(i, i + TEXT_CHUNK) } });
  return pieces;
}

/**
 * Notion property values for `input`, each checked against the data source's schema.
 * @throws ServiceError naming the property when it does not exist, cannot be written, or the value does
 *   not fit its type (a string for text, url, email, select and status; a number; a boolean; an array
 *   of names or page ids for multi_select and relation; a Date or ISO 8601 string for date).
 */
export function toNotionProperties(
  source: DataSourceInfo,
  input: Record<string, PropertyInput | undefined>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const property = source.properties.get(name);
    if (!property) {
      throw inputError(
        source,
        name,
        'no such property',
        `add it in Notion or use one of: ${[...source.properties.keys()].join(', ')}`,
      );
    }
    out[name] = { [property.type]: toValue(source, property, value) };
  }
  return out;
}

export function toValue(source: DataSourceInfo, p: PropertyConfig, value: PropertyInput): unknown {
  const fail = (expected: string) =>
    inputError(
      source,
      p.name,
      `expected ${expected}, got ${describe(value)}`,
      `pass ${expected} for this ${p.type} property`,
    );
  switch (p.type) {
    case 'title':
    case 'rich_text': {
      if (value === null) return [];
      if (typeof value !== 'string') throw fail('a string');
      const pieces = richText(value);
      if (pieces.length > MAX_ELEMENTS)
        throw inputError(
          source,
          p.name,
          `${value.length} characters is too long`,
          `Notion keeps at most ${TEXT_CHUNK * MAX_ELEMENTS} characters in a property; put long text in the page body`,
        );
      return pieces;
    }
    case 'url':
    case 'email':
    case 'phone_number':
      if (value !== null && typeof value !== 'string') throw fail('a string');
      if (p.type === 'url' && typeof value === 'string' && value.length > MAX_URL) {
        throw inputError(
          source,
          p.name,
          `the URL is ${value.length} characters`,
          `Notion keeps URLs of at most ${MAX_URL} characters`,
        );
      }
      return value === '' ? null : value;
    case 'number':
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) throw fail('a number');
      return value;
    case 'checkbox':
      if (typeof value !== 'boolean') throw fail('true or false');
      return value;
    case 'select':
    case 'status': {
      if (value === null || value === '') return null;
      if (typeof value !== 'string') throw fail('a string');
      const options = (p.type === 'status' ? p.status : p.select)?.options ?? [];
      if (p.type === 'status' && !options.some((o) => o.name === value)) {
        throw inputError(
          source,
          p.name,
          `'${value}' is not one of its options`,
          `use one of: ${options.map((o) => o.name).join(', ')}, or add the option in Notion`,
        );
      }
      if (value.includes(','))
        throw inputError(
          source,
          p.name,
          `'${value}' contains a comma`,
          'Notion option names cannot contain commas',
        );
      return { name: value };
    }
    case 'multi_select': {
      if (value === null) return [];
      if (!Array.isArray(value)) throw fail('an array of option names');
      const bad = value.find((v) => v.includes(','));
      if (bad !== undefined)
        throw inputError(
          source,
          p.name,
          `'${bad}' contains a comma`,
          'Notion option names cannot contain commas',
        );
      return [...new Set(value)].map((name) => ({ name }));
    }
    case 'relation': {
      if (value === null) return [];
      if (!Array.isArray(value)) throw fail('an array of page ids');
      return value.map((ref) => {
        const id = notionSdk().extractNotionId(ref);
        if (!id)
          throw inputError(
            source,
            p.name,
            `'${ref}' is not a Notion page id`,
            'pass page ids (or page URLs) of the related database',
          );
        return { id };
      });
    }
    case 'date': {
      if (value === null) return null;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw fail('a valid Date');
        return { start: value.toISOString() };
      }
      if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
        throw fail('a Date or an ISO 8601 date string (e.g. 2026-01-05)');
      }
      return { start: value };
    }
    default:
      throw inputError(
        source,
        p.name,
        `Baton cannot write ${p.type} properties`,
        `leave '${p.name}' out; Baton writes ${WRITABLE_TYPES.join(', ')}`,
      );
  }
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'a Date';
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}
