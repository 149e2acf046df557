// Creates the fields Baton writes to (Status, Status detail, the run key) where a table lacks them.
import type { AirtableClient } from './client.ts';
import type { NewField } from './schema.ts';
import { STATUS_DETAIL } from './status.ts';
import type { TableRef } from './types.ts';

export interface BatonFieldNames {
  statusField?: string;
  detailField?: string;
  runField?: string;
}

/**
 * The fields Baton's records trigger and status writes use. Status is single line text, so any
 * status (`Skipped: no email`) fits whatever the token's role; a select would need every word as an option.
 */
export function batonFields({
  statusField = 'Status',
  detailField = STATUS_DETAIL,
  runField,
}: BatonFieldNames = {}): NewField[] {
  return [
    { name: statusField, type: 'singleLineText', description: 'Written by Baton; empty means to do' },
    {
      name: detailField,
      type: 'multilineText',
      description: 'Why Baton set the status (when Status is a select)',
    },
    ...(runField ? [{ name: runField, type: 'singleLineText', description: "Baton's run key" }] : []),
  ];
}

export interface SetupResult {
  /** Fields that were added. */
  created: string[];
  /** Fields that were already there (left as they are, whatever their type). */
  existing: string[];
}

/**
 * Adds to the table every field in `fields` it lacks (by exact name), one metadata request each after
 * one schema read; fields already there are left alone. Running it again creates nothing. Needs a
 * token with schema.bases:read and schema.bases:write whose user is a Creator of the base.
 * @throws NotFoundError naming the scopes when the token may not change the schema
 */
export async function setupTable(
  client: AirtableClient,
  table: TableRef,
  fields: NewField[] = batonFields(),
): Promise<SetupResult> {
  const have = new Set((await client.tableSchema(table)).fields.map((f) => f.name));
  const result: SetupResult = { created: [], existing: [] };
  for (const field of fields) {
    if (have.has(field.name)) {
      result.existing.push(field.name);
      continue;
    }
    await client.createField(table, field);
    have.add(field.name);
    result.created.push(field.name);
  }
  return result;
}
