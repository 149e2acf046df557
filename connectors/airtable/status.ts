// Writes a status such as `Skipped: no email` so that it fits the Status field's type (select or text).
import { NotFoundError, ServiceError } from '../core/index.ts';
import type { AirtableClient } from './client.ts';
import type { TableRef } from './types.ts';

/** Where the part after `:` goes when the status field is a single select. */
export const STATUS_DETAIL = 'Status detail';

const TEXT_TYPES = new Set(['singleLineText', 'multilineText', 'richText']);

/** `Skipped: no email` → `{ word: 'Skipped', detail: 'no email' }`; `Hot` → `{ word: 'Hot', detail: '' }`. */
export function splitStatus(status: string): { word: string; detail: string } {
  const colon = status.indexOf(':');
  if (colon < 0) return { word: status.trim(), detail: '' };
  return { word: status.slice(0, colon).trim(), detail: status.slice(colon + 1).trim() };
}

export interface StatusFields {
  statusField: string;
  /** Receives the text after `:` when the status field is a single select (default `Status detail`). */
  detailField?: string;
}

/**
 * The cells that write `status`. A text status field takes the whole text. A single select takes only
 * the word before `:` and the rest goes into `detailField` (emptied when there is none): every reason
 * would otherwise become a new option, which only a base Creator's token may add (an Editor's gets 422
 * INVALID_MULTIPLE_CHOICE_OPTIONS). The field type comes from the metadata API (schema.bases:read), read
 * once per base by the client.
 * @throws NotFoundError when the status field (or, for a status with a detail, the detail field) is
 *   missing; ServiceError for a status field of another type
 */
export async function statusCells(
  client: AirtableClient,
  table: TableRef,
  status: string,
  { statusField, detailField = STATUS_DETAIL }: StatusFields,
): Promise<Record<string, unknown>> {
  const { fields } = await client.tableSchema(table);
  const type = fields.find((f) => f.name === statusField)?.type;
  if (type === undefined) throw missingField(table, statusField, 'a single line text field');
  if (TEXT_TYPES.has(type)) return { [statusField]: status };
  if (type !== 'singleSelect') {
    throw new ServiceError('airtable', `Airtable field "${statusField}" has type ${type}`, {
      hint: 'make the status field single line text (recommended) or a single select',
    });
  }
  const { word, detail } = splitStatus(status);
  const hasDetailField = fields.some((f) => f.name === detailField);
  if (!hasDetailField && detail !== '') throw missingField(table, detailField, 'a long text field');
  return { [statusField]: word, ...(hasDetailField ? { [detailField]: detail === '' ? null : detail } : {}) };
}

function missingField(table: TableRef, name: string, kind: string): NotFoundError {
  return new NotFoundError('airtable', `Airtable table '${table.table}' has no field "${name}"`, {
    hint: `add ${kind} named "${name}" in Airtable, or let Baton create it (setupTable)`,
  });
}
