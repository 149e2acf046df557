// The pathway recipe's data model: the Airtable Contacts table's fields and the variables that name
// it. `baton setup pathway` creates Baton's fields; the user's own fields are only checked.
import { batonFields, formula, type TableRef } from '../../connectors/airtable/index.ts';
import type { AirtableFieldSpec, UserFieldSpec } from '../shared/setup/index.ts';

/** The Contacts table's field names, the user's and Baton's (exact, case-sensitive). */
export const PATHWAY_FIELDS = {
  name: 'Name',
  email: 'Email',
  company: 'Company',
  message: 'Message',
  source: 'Source',
  value: 'Value',
  status: 'Status',
  statusDetail: 'Status detail',
  run: 'Baton Run',
  tier: 'Tier',
  confidence: 'Confidence',
  reason: 'Reason',
  sequence: 'Sequence',
  /** The Gmail message a record was made from (PATHWAY_GMAIL_QUERY): one record per message. */
  gmailMessage: 'Gmail Message',
} as const;

/**
 * Records Baton made from inbound mail: work whenever they were made (the trigger's `newAnyTime`), even
 * just before a crash that lost the data folder; never counted as older than the first start.
 */
export const MADE_FROM_MAIL = `${formula.field(PATHWAY_FIELDS.gmailMessage)} != ''`;

/** The tiers (the Airtable `Tier` options); Standard first, the gentle default. */
export const PATHWAY_TIERS = ['Standard', 'VIP', 'Spam'] as const;
export type PathwayTier = (typeof PATHWAY_TIERS)[number];

/** The table when PATHWAY_TABLE is unset. */
export const DEFAULT_PATHWAY_TABLE = 'Contacts';

/** The sequence a Standard contact is put in (the sequence recipe sends it). */
export const STANDARD_SEQUENCE = 'onboarding';

/** The fields the user fills in: setup never creates them, doctor checks they exist. */
export const PATHWAY_USER_FIELDS: readonly UserFieldSpec[] = [
  { name: PATHWAY_FIELDS.name, holds: "the person's name" },
  { name: PATHWAY_FIELDS.email, holds: "the person's email address" },
  { name: PATHWAY_FIELDS.company, holds: 'their company' },
  { name: PATHWAY_FIELDS.message, holds: 'what they wrote' },
  { name: PATHWAY_FIELDS.source, holds: 'where they came from (form, email, event…)' },
];

const TEXT = ['singleLineText', 'multilineText', 'richText'];

/** Baton's fields, as setup creates them (`Value` is optional and the user's: never created). */
export const PATHWAY_AIRTABLE_FIELDS: readonly AirtableFieldSpec[] = [
  ...batonFields({ runField: PATHWAY_FIELDS.run }).map((field) => ({
    field,
    accepts: field.name === PATHWAY_FIELDS.status ? [...TEXT, 'singleSelect'] : TEXT,
  })),
  {
    field: {
      name: PATHWAY_FIELDS.tier,
      type: 'singleSelect',
      options: { choices: PATHWAY_TIERS.map((name) => ({ name })) },
      description: 'VIP gets a personal offer, Standard the onboarding sequence, Spam nothing',
    },
    accepts: ['singleSelect', ...TEXT],
  },
  {
    field: {
      name: PATHWAY_FIELDS.confidence,
      type: 'number',
      options: { precision: 2 },
      description: "How sure Baton's evaluation is, 0 to 1",
    },
    accepts: ['number', 'percent'],
  },
  {
    field: {
      name: PATHWAY_FIELDS.reason,
      type: 'multilineText',
      description: 'Why the contact got its tier',
    },
    accepts: TEXT,
  },
  {
    field: {
      name: PATHWAY_FIELDS.sequence,
      type: 'singleLineText',
      description: 'The sequence the contact is in',
    },
    accepts: TEXT,
  },
  {
    field: {
      name: 'Unsubscribed',
      type: 'checkbox',
      options: { color: 'redBright', icon: 'xCheckbox' },
      description: 'Ticked: never email this person again (checked before every send)',
    },
    accepts: ['checkbox'],
  },
  {
    field: {
      name: PATHWAY_FIELDS.gmailMessage,
      type: 'singleLineText',
      description: 'The Gmail message this contact came from (Baton)',
    },
    accepts: TEXT,
  },
];

/** The Contacts table's views a team makes, by what they show (the sandbox makes them). */
export const PATHWAY_VIEWS = {
  VIP: "{Tier} = 'VIP'",
  'Needs review': "{Status} = 'Needs review'",
  Spam: "{Tier} = 'Spam'",
} as const;

/** The Contacts table from AIRTABLE_BASE_ID and PATHWAY_TABLE (default `Contacts`). */
export function pathwayTable(env: NodeJS.ProcessEnv): TableRef {
  return {
    base: env.AIRTABLE_BASE_ID?.trim() ?? '',
    table: env.PATHWAY_TABLE?.trim() || DEFAULT_PATHWAY_TABLE,
  };
}
