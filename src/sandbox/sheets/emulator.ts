// The Google Sheets v4 emulator: spreadsheets in memory, served to the real SDK through msw.
import { randomBytes } from 'node:crypto';
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import type { GoogleAuthEmulator, GooglePrincipal } from '../google/auth.ts';
import { Emulator } from '../kit/emulator.ts';
import { RateWindow } from '../kit/rate-window.ts';
import { parseA1 } from './a1.ts';
import { answer } from './api.ts';
import { GoogleApiError, googleErrorResponse, notFound, permissionDenied, quotaExceeded } from './errors.ts';
import { Spreadsheet, Tab } from './grid.ts';
import { matchRoute, READ_METHODS, type Route } from './routes.ts';
import { byColumn } from './structure.ts';

export const SHEETS_API_URL = 'https://sheets.googleapis.com';

export interface SheetsEmulatorOptions {
  auth: GoogleAuthEmulator;
  clock?: Clock;
  /** Per user per minute, as Google documents (default 60 each). */
  readsPerMinute?: number;
  writesPerMinute?: number;
}

export interface NewSpreadsheet {
  id?: string;
  title?: string;
  /** Tab title → rows of cell text (row 1 first). Text is stored as typed, like a RAW write. */
  tabs: Record<string, string[][]>;
  /** Principal emails allowed to open it; omitted means any valid token may. */
  sharedWith?: string[];
  /** Grid size of each tab (defaults: 1000 rows and 26 columns, or more to fit the data). */
  gridSize?: { rows?: number; columns?: number };
}

const READ_SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets',
  'https://www.googleapis.com/auth/spreadsheets.readonly',
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/drive.readonly',
  'https://www.googleapis.com/auth/drive.file',
];
const WRITE_SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets',
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/drive.file',
];
const CREDENTIAL_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/**
 * Emulates `sheets.googleapis.com/v4` for the methods Baton uses: spreadsheets.get and batchUpdate
 * (row/column/tab structure, sorts, row developer metadata), values.get/batchGet/update/append/
 * batchUpdate/clear/batchClear and their ByDataFilter forms, developerMetadata.get/search.
 * Enforces Bearer tokens (via GoogleAuthEmulator), sharing, scopes and the per-user read and write
 * quotas, and answers in Google's error shape. Formula cells read as their computed value for
 * literal arithmetic and `&`, `#NAME?` for anything else, and as entered with `valueRenderOption=FORMULA`.
 */
export class SheetsEmulator extends Emulator {
  readonly auth: GoogleAuthEmulator;
  /** Cells returned in `values` arrays so far: how much data the clients' reads pulled. */
  cellsServed = 0;
  readonly #sheets = new Map<string, Spreadsheet>();
  readonly #reads: RateWindow;
  readonly #writes: RateWindow;
  #sheetIds = 0;

  constructor(options: SheetsEmulatorOptions) {
    super(options.clock ? { clock: options.clock } : {});
    this.auth = options.auth;
    this.#reads = new RateWindow(this.clock, options.readsPerMinute ?? 60, 60_000);
    this.#writes = new RateWindow(this.clock, options.writesPerMinute ?? 60, 60_000);
  }

  protected errorResponse(status: number, message: string, headers?: Record<string, string>): Response {
    return googleErrorResponse(status, message, undefined, headers);
  }

  handlers() {
    return [
      http.all(`${SHEETS_API_URL}/v4/*`, ({ request }) => this.serve(request, () => this.#handle(request))),
    ];
  }

  async #handle(request: Request): Promise<Response> {
    try {
      const principal = this.#authenticate(request);
      const url = new URL(request.url);
      const route = matchRoute(request.method, url.pathname);
      if (!route) throw notFound();
      const read = READ_METHODS.has(route.method);
      this.#checkScopes(principal, read);
      if (!(read ? this.#reads : this.#writes).take(principal.email))
        throw quotaExceeded(read ? 'Read' : 'Write');
      const sheet = this.#sheets.get(route.id);
      if (!sheet) throw notFound();
      if (!sheet.canAccess(principal.email)) throw permissionDenied();
      // Reads by data filter and metadata searches are POSTs: they carry a body too.
      const body = request.method === 'GET' ? undefined : await readJson(request);
      return Response.json(this.#answer(route, sheet, url, body));
    } catch (err) {
      if (err instanceof GoogleApiError)
        return googleErrorResponse(err.code, err.message, err.details, err.headers);
      throw err;
    }
  }

  #answer(route: Route, sheet: Spreadsheet, url: URL, body: unknown): unknown {
    return answer(route, sheet, url, body, {
      nextSheetId: () => this.#nextSheetId(),
      served: (cells) => {
        this.cellsServed += cells;
      },
    });
  }

  #authenticate(request: Request): GooglePrincipal {
    const principal = this.auth.verify(request);
    if (principal) return principal;
    const sent = request.headers.has('authorization');
    throw new GoogleApiError(
      401,
      sent
        ? `Request had invalid authentication credentials. ${CREDENTIAL_HELP}`
        : `Request is missing required authentication credential. ${CREDENTIAL_HELP}`,
      undefined,
      { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
    );
  }

  /** A token granted no Sheets or Drive scope gets 403; an empty scope list is treated as unrestricted. */
  #checkScopes(principal: GooglePrincipal, read: boolean): void {
    if (principal.scopes.length === 0) return;
    const allowed = read ? READ_SCOPES : WRITE_SCOPES;
    if (principal.scopes.some((s) => allowed.includes(s))) return;
    throw new GoogleApiError(403, 'Request had insufficient authentication scopes.', [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
        domain: 'googleapis.com',
        metadata: { service: 'sheets.googleapis.com' },
      },
    ]);
  }

  #nextSheetId(): number {
    this.#sheetIds++;
    return 100_000_000 + ((this.#sheetIds * 48_271) % 900_000_000);
  }

  // ---- The person's side: what a user does in the Sheets UI, and what tests inspect. ----

  /** Creates a spreadsheet; returns its id. The first tab gets sheetId 0, as in a new Google Sheet. */
  createSpreadsheet(spec: NewSpreadsheet): string {
    const id = spec.id ?? `1${randomBytes(32).toString('base64url').slice(0, 43)}`;
    const sheet = new Spreadsheet(id, spec.title ?? 'Untitled spreadsheet', spec.sharedWith);
    Object.entries(spec.tabs).forEach(([title, rows], index) => {
      const width = Math.max(0, ...rows.map((r) => r.length));
      const tab = new Tab(
        index === 0 ? 0 : this.#nextSheetId(),
        title,
        Math.max(spec.gridSize?.rows ?? 1000, rows.length),
        Math.max(spec.gridSize?.columns ?? 26, width),
      );
      rows.forEach((row, r) => {
        row.forEach((text, c) => {
          if (text !== '') tab.set(r + 1, c, { text });
        });
      });
      sheet.tabs.push(tab);
    });
    this.#sheets.set(id, sheet);
    return id;
  }

  /** Lets `email` open the spreadsheet (it becomes restricted if it was open to everyone). */
  share(id: string, email: string): void {
    const sheet = this.#sheet(id);
    sheet.sharedWith = [...(sheet.sharedWith ?? []), email];
  }

  /** Types a row below the last row holding data (growing the grid if needed); returns its row number. */
  addRow(id: string, tab: string, values: string[] | Record<string, string>): number {
    const t = this.#tab(id, tab);
    const row = t.lastRow() + 1;
    t.rowCount = Math.max(t.rowCount, row);
    this.#fill(t, row, values);
    return row;
  }

  /** Inserts a row above `rowNumber` (rows below shift down), like "Insert 1 row above". */
  insertRow(id: string, tab: string, rowNumber: number, values: string[] | Record<string, string>): void {
    const t = this.#tab(id, tab);
    t.insertRows(rowNumber, 1);
    this.#fill(t, rowNumber, values);
  }

  deleteRow(id: string, tab: string, rowNumber: number): void {
    this.#tab(id, tab).deleteRows(rowNumber, 1);
  }

  /** Sorts the data rows (row 2 to the last row with data) by one column; the header row stays. */
  sortRows(id: string, tab: string, header: string, order: 'asc' | 'desc' = 'asc'): void {
    const t = this.#tab(id, tab);
    const col = this.#column(t, header);
    t.sortRows(2, t.lastRow(), byColumn(col, order === 'asc'));
  }

  /** Sets one cell as a user typing plain text (no formula parsing). */
  setCell(id: string, tab: string, a1: string, value: string): void {
    const t = this.#tab(id, tab);
    const { row, col } = cellRef(a1);
    if (row > t.rowCount || col >= t.columnCount) throw new Error(`${a1} is outside the grid of '${tab}'`);
    t.set(row, col, { text: value });
  }

  /** One cell's content as entered (a formula shows as `=...`). */
  cell(id: string, tab: string, a1: string): string {
    const { row, col } = cellRef(a1);
    return this.#tab(id, tab).get(row, col)?.text ?? '';
  }

  /** Every row up to the last with data, each padded to the same width; formulas as entered. */
  rows(id: string, tab: string): string[][] {
    const t = this.#tab(id, tab);
    const lines = t.cells.slice(0, t.lastRow()).map((line) => line.map((c) => c.text));
    const width = Math.max(0, ...lines.map((l) => l.length));
    return lines.map((l) => [...l, ...Array<string>(width - l.length).fill('')]);
  }

  /** Data rows as records keyed by the header row (row 1). */
  rowsAsRecords(id: string, tab: string): Record<string, string>[] {
    const [header = [], ...data] = this.rows(id, tab);
    return data.map((line) =>
      Object.fromEntries(header.map((h, i) => [h, line[i] ?? ''] as const).filter(([h]) => h !== '')),
    );
  }

  /** The tab's grid size (what spreadsheets.get reports as gridProperties). */
  gridSize(id: string, tab: string): { rows: number; columns: number } {
    const t = this.#tab(id, tab);
    return { rows: t.rowCount, columns: t.columnCount };
  }

  /** Spreadsheet-level developer metadata (e.g. Baton's instance heartbeats), key and value. */
  spreadsheetMetadata(id: string): { key: string; value: string | undefined }[] {
    return this.#sheet(id).metadata.map((m) => ({ key: m.metadataKey, value: m.metadataValue }));
  }

  /** Deletes every spreadsheet-level developer metadata entry (another script cleaning up). */
  clearSpreadsheetMetadata(id: string): void {
    this.#sheet(id).metadata = [];
  }

  #fill(t: Tab, row: number, values: string[] | Record<string, string>): void {
    const line = Array.isArray(values) ? values : this.#lineFromRecord(t, values);
    const last = line.length - 1;
    if (last >= t.columnCount) t.columnCount = last + 1;
    line.forEach((text, col) => {
      if (text !== '' || t.get(row, col)) t.set(row, col, { text });
    });
  }

  #lineFromRecord(t: Tab, record: Record<string, string>): string[] {
    const line: string[] = [];
    for (const [header, value] of Object.entries(record)) line[this.#column(t, header)] = value;
    return Array.from(line, (v) => v ?? '');
  }

  #column(t: Tab, header: string): number {
    const headers = (t.cells[0] ?? []).map((c) => c.text.trim().toLowerCase());
    const col = headers.indexOf(header.trim().toLowerCase());
    if (col === -1) throw new Error(`No column '${header}' in the header row of '${t.title}'`);
    return col;
  }

  #sheet(id: string): Spreadsheet {
    const sheet = this.#sheets.get(id);
    if (!sheet) throw new Error(`No spreadsheet ${id} in the emulator`);
    return sheet;
  }

  #tab(id: string, title: string): Tab {
    const tab = this.#sheet(id).tab(title);
    if (!tab) throw new Error(`No tab '${title}' in spreadsheet ${id}`);
    return tab;
  }
}

function cellRef(a1: string): { row: number; col: number } {
  const parsed = parseA1(a1);
  if (!parsed || parsed.startRow === undefined || parsed.startCol === undefined) {
    throw new Error(`'${a1}' is not a cell reference like B7`);
  }
  return { row: parsed.startRow, col: parsed.startCol };
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new GoogleApiError(400, 'Invalid JSON payload received. Unexpected token.');
  }
}
