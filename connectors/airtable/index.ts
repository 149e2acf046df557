// Airtable: the client (5 requests/s per base, 30 s after a 429, typed errors), the records trigger, record actions, the instance home.
export { type ClaimedRecord, readClaimed, setRecordStatus } from './actions.ts';
export {
  type AirtableBudgetUsage,
  AirtableCallBudget,
  type AirtableCallBudgetOptions,
  type SharedCallCount,
} from './budget.ts';
export {
  AIRTABLE_PLAN_CALLS,
  type AirtableBudgetConfig,
  AirtableBudgetConfigError,
  type AirtablePlan,
  airtableBudgetConfig,
  DEFAULT_AIRTABLE_POLL_MS,
} from './budget-config.ts';
export { AIRTABLE_CALLS_FILE, CallLedger } from './budget-ledger.ts';
export {
  type AirtableBudgetContext,
  airtableBudgetFromEnv,
  flushAirtableBudgets,
} from './budget-registry.ts';
export { type AirtableBudgetReport, airtableBudgetReport, formatAirtableBudget } from './budget-report.ts';
export { AirtableClient, MAX_RECORDS_PER_REQUEST } from './client.ts';
export { AirtableFailure, classifyAirtable } from './failures.ts';
export * as formula from './formula.ts';
export {
  AIRTABLE_MAX_RENEW_MS,
  AIRTABLE_RENEW_MS,
  AirtableInstanceHome,
  type AirtableInstanceHomeOptions,
  airtableInstanceHome,
  airtableRenewEveryMs,
  BATON_TABLE,
  BATON_TABLE_FIELDS,
  BATON_TABLE_SCHEMA,
  HEARTBEAT_SHARE,
} from './instances.ts';
export {
  type AirtableItem,
  airtableRecordKey,
  type ClaimSource,
  QUEUED,
  type RecordsOptions,
  records,
  recordsTriggerId,
} from './records.ts';
export type { FieldModel, NewField, TableModel } from './schema.ts';
export { type BatonFieldNames, batonFields, type SetupResult, setupTable } from './setup.ts';
export { STATUS_DETAIL, type StatusFields, splitStatus, statusCells } from './status.ts';
export type {
  AirtableCallCounter,
  AirtableClientOptions,
  AirtableConfigHints,
  AirtableRecord,
  ListQuery,
  RecordPage,
  SortSpec,
  TableRef,
  UpsertResult,
} from './types.ts';
