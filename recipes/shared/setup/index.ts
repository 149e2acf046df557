// `baton setup`'s pieces every recipe uses: Airtable fields, Notion properties, Trello lists, and the report.
export {
  type AirtableFieldSpec,
  airtableTypeName,
  checkAirtableFields,
  describeField,
  ensureAirtableFields,
  type FieldsPlan,
  manualField,
  planAirtableFields,
  type UserFieldSpec,
} from './airtable.ts';
export { checkBatonTable, ensureBatonTable } from './airtable-baton.ts';
export {
  checkNotionProperties,
  describeProperty,
  ensureNotionProperties,
  type NotionPropertySpec,
  type NotionPropertyType,
  notionTypeName,
  type PropertiesPlan,
  planNotionProperties,
} from './notion.ts';
export {
  failedStep,
  formatStep,
  required,
  runStep,
  type SetupIo,
  type SetupReport,
  type SetupStep,
  setupDone,
} from './report.ts';
export { checkTrelloLists, ensureTrelloLists, type ListsPlan, planTrelloLists } from './trello.ts';
