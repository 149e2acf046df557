// An Airtable table's fields: Baton's own are created through the metadata API (setupTable); the user's
// are only checked. A token that may not change the schema gets the exact fields to add by hand.
import {
  type AirtableClient,
  type FieldModel,
  type NewField,
  setupTable,
  type TableRef,
} from '../../../connectors/airtable/index.ts';
import { NotFoundError } from '../../../connectors/core/index.ts';
import type { SetupStep } from './report.ts';

export interface AirtableFieldSpec {
  /** The field as setup creates it (Airtable's write format). */
  field: NewField;
  /** Other types Baton can use this field as (default: only the field's type). */
  accepts?: readonly string[];
}

/** A field the user keeps (the lead's name, email…): setup never creates it, doctor checks it is there. */
export interface UserFieldSpec {
  name: string;
  /** What it holds, for the message when it is missing. */
  holds: string;
}

const TYPE_NAMES: Record<string, string> = {
  singleLineText: 'single line text',
  multilineText: 'long text',
  richText: 'long text (rich)',
  email: 'email',
  url: 'URL',
  phoneNumber: 'phone number',
  number: 'number',
  percent: 'percent',
  currency: 'currency',
  checkbox: 'checkbox',
  singleSelect: 'single select',
  multipleSelects: 'multiple select',
  date: 'date',
  dateTime: 'date and time',
};
export const airtableTypeName = (type: string): string => TYPE_NAMES[type] ?? type;

const choicesOf = (options: Record<string, unknown> | undefined): string[] => {
  const choices = options?.choices;
  return Array.isArray(choices)
    ? choices.flatMap((c) =>
        typeof (c as { name?: unknown })?.name === 'string' ? [(c as { name: string }).name] : [],
      )
    : [];
};

/** `Score (number)`, `Tier (single select: Hot, Nurture)`. */
export function describeField(field: NewField): string {
  const choices = choicesOf(field.options);
  return `${field.name} (${airtableTypeName(field.type)}${choices.length ? `: ${choices.join(', ')}` : ''})`;
}

/** What a person picks in Airtable's "Add field" menu: `Score — Number, 1 decimal place`. */
export function manualField(field: NewField): string {
  const precision = field.options?.precision;
  const choices = choicesOf(field.options);
  const type = airtableTypeName(field.type);
  const detail =
    typeof precision === 'number'
      ? `, ${precision} decimal place${precision === 1 ? '' : 's'}`
      : choices.length
        ? ` with the options ${choices.join(', ')}`
        : '';
  return `${field.name} — ${type[0]!.toUpperCase()}${type.slice(1)}${detail}`;
}

export interface FieldsPlan {
  /** False when the token may not read the schema (schema.bases:read): only names were checked. */
  typesChecked: boolean;
  existing: string[];
  missing: AirtableFieldSpec[];
  missingUser: UserFieldSpec[];
  /** Each says what a person must change. */
  problems: string[];
}

/**
 * How the table differs from what Baton needs: read only. Reads the schema (schema.bases:read); a token
 * without that scope gets the names checked through the records API instead (types unchecked).
 * @throws NotFoundError / AuthError for a wrong token, base or table
 */
export async function planAirtableFields(
  client: AirtableClient,
  table: TableRef,
  fields: readonly AirtableFieldSpec[],
  userFields: readonly UserFieldSpec[] = [],
): Promise<FieldsPlan> {
  let schema: FieldModel[] | undefined;
  try {
    schema = (await client.tableSchema(table)).fields;
  } catch (err) {
    if (!(err instanceof NotFoundError && err.status === 403)) throw err;
  }
  if (!schema) {
    const names = [...userFields.map((f) => f.name), ...fields.map((f) => f.field.name)];
    const missing = new Set(await client.missingFields(table, names));
    return {
      typesChecked: false,
      existing: fields.filter((f) => !missing.has(f.field.name)).map((f) => f.field.name),
      missing: fields.filter((f) => missing.has(f.field.name)),
      missingUser: userFields.filter((f) => missing.has(f.name)),
      problems: [],
    };
  }
  const byName = new Map(schema.map((f) => [f.name, f]));
  const plan: FieldsPlan = { typesChecked: true, existing: [], missing: [], missingUser: [], problems: [] };
  plan.missingUser = userFields.filter((f) => !byName.has(f.name));
  for (const spec of fields) {
    const have = byName.get(spec.field.name);
    if (!have) {
      plan.missing.push(spec);
      continue;
    }
    plan.existing.push(spec.field.name);
    const accepts = spec.accepts ?? [spec.field.type];
    if (!accepts.includes(have.type)) {
      plan.problems.push(
        `'${have.name}' is a ${airtableTypeName(have.type)} field, Baton writes ${airtableTypeName(spec.field.type)} — change its type in Airtable, or rename it and let Baton create its own`,
      );
      continue;
    }
    const wantedChoices = spec.field.type === 'singleSelect' ? choicesOf(spec.field.options) : [];
    const lacking =
      have.type === 'singleSelect' ? wantedChoices.filter((c) => !choicesOf(have.options).includes(c)) : [];
    if (lacking.length > 0) {
      plan.problems.push(
        `the single select '${have.name}' lacks the option${lacking.length > 1 ? 's' : ''} ${lacking.join(', ')} — add ${lacking.length > 1 ? 'them' : 'it'} in Airtable (the API cannot change an existing field's options)`,
      );
    }
  }
  return plan;
}

const missingUserProblem = (missing: readonly UserFieldSpec[]) =>
  `no field ${missing.map((f) => `'${f.name}' (${f.holds})`).join(', ')} — add ${missing.length > 1 ? 'them' : 'it'} in Airtable (names are case-sensitive); Baton reads ${missing.length > 1 ? 'them' : 'it'} but does not create ${missing.length > 1 ? 'them' : 'it'}`;

/**
 * Creates Baton's fields the table lacks (`setupTable`: one schema read, one request per field):
 * running it again creates nothing. When the token may not change the schema (it needs
 * schema.bases:write, as a Creator of the base) the step fails with the exact fields to add by hand.
 * The user's fields are checked, never created.
 * @throws NotFoundError / AuthError for a wrong token, base or table
 */
export async function ensureAirtableFields(
  client: AirtableClient,
  table: TableRef,
  fields: readonly AirtableFieldSpec[],
  userFields: readonly UserFieldSpec[] = [],
  label = `Airtable ${table.table}`,
): Promise<SetupStep> {
  const plan = await planAirtableFields(client, table, fields, userFields);
  const problems = [...plan.problems];
  if (plan.missingUser.length > 0) problems.unshift(missingUserProblem(plan.missingUser));
  let created: NewField[] = [];
  let byHand: NewField[] = [];
  const wanted = plan.missing.map((f) => f.field);
  if (wanted.length > 0) {
    try {
      const result = await setupTable(client, table, wanted);
      created = wanted.filter((f) => result.created.includes(f.name));
    } catch (err) {
      if (!(err instanceof NotFoundError && err.status === 403)) throw err;
      // Refused part way: whatever is still missing is for a person to add.
      const still = new Set(
        await client.missingFields(
          table,
          wanted.map((f) => f.name),
        ),
      );
      created = wanted.filter((f) => !still.has(f.name));
      byHand = wanted.filter((f) => still.has(f.name));
    }
  }
  if (byHand.length > 0) {
    problems.unshift(
      `the token may not add fields (it needs the schema.bases:write scope, and its user must be a Creator of the base) — add ${byHand.length > 1 ? `these ${byHand.length} fields` : 'this field'} in Airtable by hand, or give the token that scope and run \`baton setup\` again`,
    );
  }
  return {
    label,
    ok: problems.length === 0,
    created: created.map(describeField),
    existing: plan.existing,
    problems,
    noun: 'field',
    ...(byHand.length > 0 ? { manual: byHand.map(manualField) } : {}),
  };
}

/**
 * For `baton doctor`: the table has the user's fields, and Baton's with types it can write.
 * @throws Error with what to add or change
 */
export async function checkAirtableFields(
  client: AirtableClient,
  table: TableRef,
  fields: readonly AirtableFieldSpec[],
  userFields: readonly UserFieldSpec[] = [],
): Promise<string> {
  const plan = await planAirtableFields(client, table, fields, userFields);
  const problems = [...plan.problems];
  if (plan.missing.length > 0) {
    problems.unshift(
      `no field ${plan.missing.map((f) => describeField(f.field)).join(', ')} — run \`baton setup\` to add ${plan.missing.length > 1 ? 'them' : 'it'}`,
    );
  }
  if (plan.missingUser.length > 0) problems.unshift(missingUserProblem(plan.missingUser));
  if (problems.length > 0) throw new Error(`table '${table.table}': ${problems.join('; ')}`);
  const count = userFields.length + plan.existing.length;
  return plan.typesChecked
    ? `table '${table.table}' has all ${count} fields Baton reads and writes`
    : `table '${table.table}' has all ${count} fields (types not checked: the token lacks schema.bases:read)`;
}
