// The Google Sheets v4 emulator for tests and the sandbox.
export { columnIndex, columnLetters, parseA1, quoteSheet } from './a1.ts';
export {
  type NewSpreadsheet,
  SHEETS_API_URL,
  SheetsEmulator,
  type SheetsEmulatorOptions,
} from './emulator.ts';
export { matchRoute, READ_METHODS } from './routes.ts';
