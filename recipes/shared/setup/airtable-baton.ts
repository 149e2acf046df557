// The `Baton` table where instances on an Airtable base announce themselves: setup creates it, doctor checks it.
import {
  type AirtableClient,
  BATON_TABLE,
  BATON_TABLE_SCHEMA,
  type TableRef,
} from '../../../connectors/airtable/index.ts';
import { NotFoundError } from '../../../connectors/core/index.ts';
import {
  type AirtableFieldSpec,
  checkAirtableFields,
  describeField,
  ensureAirtableFields,
} from './airtable.ts';
import type { SetupStep } from './report.ts';

const TEXT = ['singleLineText', 'multilineText', 'richText'];

/** The table's fields as setup and doctor see them (any text type will do). */
const BATON_FIELD_SPECS: readonly AirtableFieldSpec[] = BATON_TABLE_SCHEMA.fields.map((field) => ({
  field,
  accepts: TEXT,
}));

const BY_HAND = `a table '${BATON_TABLE}' with the fields ${BATON_TABLE_SCHEMA.fields.map(describeField).join(', ')}`;

/**
 * Creates the `Baton` table (one metadata call) when the base lacks it, or adds its missing fields.
 * A token that may not change the schema gets the table to add by hand. Never needed to run: without
 * the table Baton logs once and does not guard the base.
 */
export async function ensureBatonTable(client: AirtableClient, base: string): Promise<SetupStep> {
  const table: TableRef = { base, table: BATON_TABLE };
  const label = `Airtable ${BATON_TABLE} table`;
  if (await tableExists(client, table)) {
    return ensureAirtableFields(client, table, BATON_FIELD_SPECS, [], label);
  }
  try {
    await client.createTable(base, BATON_TABLE_SCHEMA);
  } catch (err) {
    if (!(err instanceof NotFoundError && err.status === 403)) throw err;
    return {
      label,
      ok: false,
      created: [],
      existing: [],
      problems: [
        `the token may not create tables (it needs the schema.bases:write scope, and its user must be a Creator of the base) — add ${BY_HAND} in Airtable by hand, or give the token that scope and run \`baton setup\` again`,
      ],
    };
  }
  return {
    label,
    ok: true,
    created: [`table '${BATON_TABLE}': ${BATON_TABLE_SCHEMA.fields.map(describeField).join(', ')}`],
    existing: [],
    problems: [],
  };
}

/**
 * `baton doctor`: the `Baton` table is there with its fields.
 * @throws Error saying the fix (`baton setup`) when it is missing or lacks a field
 */
export async function checkBatonTable(client: AirtableClient, base: string): Promise<string> {
  const table: TableRef = { base, table: BATON_TABLE };
  if (!(await tableExists(client, table))) {
    throw new Error(
      `base ${base} has no table '${BATON_TABLE}' (or the token may not read it): a second Baton on this base would not be detected — run \`baton setup\` to create it, or add ${BY_HAND}`,
    );
  }
  return checkAirtableFields(client, table, BATON_FIELD_SPECS);
}

/** One one-record listing: false when Airtable cannot find the table (or the token may not use it). */
async function tableExists(client: AirtableClient, table: TableRef): Promise<boolean> {
  try {
    await client.listPage(table, { pageSize: 1, maxRecords: 1 });
    return true;
  } catch (err) {
    if (err instanceof NotFoundError) return false;
    throw err;
  }
}
