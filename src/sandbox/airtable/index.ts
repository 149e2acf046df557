// The Airtable emulator: what tests and the sandbox serve in place of api.airtable.com.
export {
  AIRTABLE_API,
  AirtableEmulator,
  type AirtableEmulatorOptions,
  type AirtableScope,
  type PermissionLevel,
  type ViewDefinition,
} from './emulator.ts';
export { RATE_LIMIT_MESSAGE } from './errors.ts';
export type { CellValue, FieldSpec, FieldType } from './fields.ts';
export type { RecordView, SortSpec } from './state.ts';
