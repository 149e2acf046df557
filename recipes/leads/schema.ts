// The leads recipe's data model: the Airtable Leads table's fields, the Notion dossier database's
// properties, and the variables that name them. `baton setup leads` creates Baton's parts of both.
import { batonFields, type TableRef } from '../../connectors/airtable/index.ts';
import type { AirtableFieldSpec, NotionPropertySpec, UserFieldSpec } from '../shared/setup/index.ts';

/** The Airtable table's field names, the user's and Baton's (exact, case-sensitive). */
export const LEADS_FIELDS = {
  name: 'Name',
  email: 'Email',
  company: 'Company',
  website: 'Website',
  notes: 'Notes',
  status: 'Status',
  statusDetail: 'Status detail',
  run: 'Baton Run',
  score: 'Score',
  confidence: 'Confidence',
  tier: 'Tier',
  reasons: 'Reasons',
  research: 'Research',
  sequence: 'Sequence',
  /** Ticked: the person asked not to be contacted; checked before every email Baton sends (any recipe). */
  unsubscribed: 'Unsubscribed',
} as const;

/** The tiers a scored lead falls in (the Airtable `Tier` and the Notion `Tier` options). */
export const LEADS_TIERS = ['Hot', 'Nurture'] as const;
export type LeadTier = (typeof LEADS_TIERS)[number];

/** The table when LEADS_TABLE is unset. */
export const DEFAULT_LEADS_TABLE = 'Leads';

/** The fields the user fills in: setup never creates them, doctor checks they exist. */
export const LEADS_USER_FIELDS: readonly UserFieldSpec[] = [
  { name: LEADS_FIELDS.name, holds: "the lead's name" },
  { name: LEADS_FIELDS.email, holds: "the lead's email address" },
  { name: LEADS_FIELDS.company, holds: 'the company' },
  { name: LEADS_FIELDS.website, holds: "the company's website" },
  { name: LEADS_FIELDS.notes, holds: 'your notes on the lead' },
];

const TEXT = ['singleLineText', 'multilineText', 'richText'];

/**
 * Baton's fields, as setup creates them. Status is single line text (any status fits whatever the
 * token's role); a single select Status is accepted too: the Airtable connector then writes the word
 * before `:` there and the rest into Status detail.
 */
export const LEADS_AIRTABLE_FIELDS: readonly AirtableFieldSpec[] = [
  ...batonFields({ runField: LEADS_FIELDS.run }).map((field) => ({
    field,
    accepts: field.name === LEADS_FIELDS.status ? [...TEXT, 'singleSelect'] : TEXT,
  })),
  {
    field: {
      name: LEADS_FIELDS.score,
      type: 'number',
      options: { precision: 1 },
      description: 'Lead score (Baton)',
    },
  },
  {
    field: {
      name: LEADS_FIELDS.confidence,
      type: 'number',
      options: { precision: 2 },
      description: "How sure Baton's scoring is, 0 to 1",
    },
    accepts: ['number', 'percent'],
  },
  {
    field: {
      name: LEADS_FIELDS.tier,
      type: 'singleSelect',
      options: { choices: LEADS_TIERS.map((name) => ({ name })) },
      description: 'Hot leads get a reviewed outreach; Nurture ones wait',
    },
    accepts: ['singleSelect', ...TEXT],
  },
  {
    field: { name: LEADS_FIELDS.reasons, type: 'multilineText', description: 'Why the lead got its score' },
    accepts: TEXT,
  },
  {
    field: { name: LEADS_FIELDS.research, type: 'url', description: 'The Notion dossier' },
    accepts: ['url', ...TEXT],
  },
  {
    field: { name: LEADS_FIELDS.sequence, type: 'singleLineText', description: 'Where the outreach stands' },
    accepts: TEXT,
  },
  {
    field: {
      name: LEADS_FIELDS.unsubscribed,
      type: 'checkbox',
      options: { color: 'redBright', icon: 'xCheckbox' },
      description: 'Ticked: never email this person again (checked before every send)',
    },
    accepts: ['checkbox'],
  },
];

/** The Notion dossier database's property names (the title property is whatever the database calls it). */
export const LEADS_NOTION = {
  company: 'Company',
  email: 'Email',
  score: 'Score',
  tier: 'Tier',
  status: 'Status',
  airtable: 'Airtable',
  /** The connector's idempotency key (NotionClientOptions.keyProperty's default). */
  key: 'Baton key',
} as const;

/** The words of the dossier's `Status` select, fixed so they are options (no dates in them). */
export const LEADS_NOTION_STATUS_WORDS = [
  'Queued',
  'Researching',
  'Needs review',
  'Hot: in review',
  'Hot: sent',
  'Follow-up sent',
  'Replied',
  'Rejected',
  'Expired',
  'Nurture',
  'Skipped',
  'Error',
] as const;
export type LeadNotionStatus = (typeof LEADS_NOTION_STATUS_WORDS)[number];

/**
 * The dossier's properties besides the title. `Status` is a select: the Notion API cannot add options
 * to a `status`-type property, so setup and doctor refuse one.
 */
export const LEADS_NOTION_PROPERTIES: readonly NotionPropertySpec[] = [
  { name: LEADS_NOTION.company, type: 'rich_text' },
  { name: LEADS_NOTION.email, type: 'email', accepts: ['email', 'rich_text'] },
  { name: LEADS_NOTION.score, type: 'number' },
  { name: LEADS_NOTION.tier, type: 'select', options: LEADS_TIERS },
  { name: LEADS_NOTION.status, type: 'select', options: LEADS_NOTION_STATUS_WORDS },
  { name: LEADS_NOTION.airtable, type: 'url' },
  { name: LEADS_NOTION.key, type: 'rich_text' },
];

/** The Leads table from AIRTABLE_BASE_ID and LEADS_TABLE (default `Leads`). */
export function leadsTable(env: NodeJS.ProcessEnv): TableRef {
  return {
    base: env.AIRTABLE_BASE_ID?.trim() ?? '',
    table: env.LEADS_TABLE?.trim() || DEFAULT_LEADS_TABLE,
  };
}
