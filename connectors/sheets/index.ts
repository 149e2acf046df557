// Google Sheets: the client (limits, retries, RAW writes), the newRows trigger, and row actions.
export { readRow, setRowStatus } from './actions.ts';
export { type RangeValues, SheetsClient, type SheetsClientOptions, type TabInfo } from './client.ts';
export { type ConfigHints, classifySheetsError } from './errors.ts';
export { INSTANCE_KEY, SheetsInstanceHome, sheetsInstanceHome } from './instances.ts';
export { type NewRowsOptions, newRows } from './new-rows.ts';
export { QUEUED, type SheetLocation, type SheetRow, type SheetRowRef } from './row.ts';
