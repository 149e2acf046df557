// The Sheets emulator answers the real @googleapis/sheets SDK the way the Sheets v4 reference documents.
import { sheets, type sheets_v4 } from '@googleapis/sheets';
import { OAuth2Client } from 'google-auth-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../connectors/google/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { GoogleAuthEmulator } from '../../src/sandbox/google/auth.ts';
import { SheetsEmulator } from '../../src/sandbox/sheets/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const auth = new GoogleAuthEmulator(clock);
const emulator = new SheetsEmulator({ auth, clock });
useEmulators(auth.handlers(), emulator.handlers());

const USER = 'owner@example.com';
auth.registerRefreshToken({
  clientId: 'client-1',
  clientSecret: 'secret-1',
  refreshToken: 'refresh-1',
  email: USER,
  scopes: [GOOGLE_SCOPES.sheets],
});

/** The documented sample data of "Basic reading" (Sheet1). */
const SAMPLE = [
  ['Item', 'Cost', 'Stocked', 'Ship Date'],
  ['Wheel', '$20.50', '4', '3/1/2016'],
  ['Door', '$15', '2', '3/15/2016'],
  ['Engine', '$100', '1', '3/20/2016'],
  ['Totals', '$135.5', '7', '3/20/2016'],
];

function client(): sheets_v4.Sheets {
  const oauth = createGoogleAuth(
    { kind: 'oauth', clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'refresh-1' },
    [GOOGLE_SCOPES.sheets],
  );
  // Without the SDK's own retries every exchange below is exactly one request.
  return sheets({ version: 'v4', auth: oauth, retry: false });
}

/** The Google error body of a rejected SDK call. */
async function failure(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (err) {
    const e = err as { status?: number; response?: { status: number; data: unknown } };
    return { status: e.response?.status ?? e.status ?? 0, body: e.response?.data };
  }
  throw new Error('expected the call to fail');
}

let api: sheets_v4.Sheets;
let id: string;

beforeEach(() => {
  clock.advance(61_000); // a fresh quota minute for every test
  api = client();
  id = emulator.createSpreadsheet({
    title: 'Inventory',
    tabs: {
      Sheet1: SAMPLE,
      'My Tab': [
        ['a', 'b'],
        ['c', 'd'],
      ],
    },
  });
});

describe('reading values', () => {
  it('answers the documented single-range read', async () => {
    const res = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1:D5' });
    expect(res.data).toEqual({ range: 'Sheet1!A1:D5', majorDimension: 'ROWS', values: SAMPLE });
  });

  it('answers the documented multi-range read by columns', async () => {
    const res = await api.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ['Sheet1!B:B', 'Sheet1!D:D'],
      majorDimension: 'COLUMNS',
    });
    expect(res.data).toEqual({
      spreadsheetId: id,
      valueRanges: [
        { range: 'Sheet1!B1:B1000', majorDimension: 'COLUMNS', values: [SAMPLE.map((r) => r[1])] },
        { range: 'Sheet1!D1:D1000', majorDimension: 'COLUMNS', values: [SAMPLE.map((r) => r[3])] },
      ],
    });
  });

  it('leaves out trailing empty rows and cells, and omits values when the range is empty', async () => {
    emulator.setCell(id, 'Sheet1', 'B3', '');
    emulator.setCell(id, 'Sheet1', 'C3', '');
    emulator.setCell(id, 'Sheet1', 'D3', '');
    const res = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A2:F9' });
    expect(res.data.range).toBe('Sheet1!A2:F9');
    expect(res.data.values).toEqual([SAMPLE[1], ['Door'], SAMPLE[3], SAMPLE[4]]);
    const empty = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A20:F30' });
    expect(empty.data).toEqual({ range: 'Sheet1!A20:F30', majorDimension: 'ROWS' });
  });

  it.each([
    ['Sheet1!A:A', 'Sheet1!A1:A1000', SAMPLE.map((r) => [r[0]])],
    ['Sheet1!2:3', 'Sheet1!A2:Z3', SAMPLE.slice(1, 3)],
    ['Sheet1!C4:Z', 'Sheet1!C4:Z1000', SAMPLE.slice(3).map((r) => r.slice(2))],
    ['Sheet1', 'Sheet1!A1:Z1000', SAMPLE],
    ['A1:B1', 'Sheet1!A1:B1', [['Item', 'Cost']]],
    [
      "'My Tab'!A1:B2",
      "'My Tab'!A1:B2",
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ["'My Tab'!B2", "'My Tab'!B2", [['d']]],
  ])('resolves %s to %s', async (range, echoed, values) => {
    const res = await api.spreadsheets.values.get({ spreadsheetId: id, range });
    expect(res.data.range).toBe(echoed);
    expect(res.data.values).toEqual(values);
  });

  it('counts the cells it serves', async () => {
    const before = emulator.cellsServed;
    await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1:B2' });
    expect(emulator.cellsServed - before).toBe(4);
  });
});

describe('writing values', () => {
  it('updates a range and reports what changed', async () => {
    const res = await api.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'Sheet1!E1:E2',
      valueInputOption: 'RAW',
      requestBody: { values: [['Status'], ['Done']] },
    });
    expect(res.data).toEqual({
      spreadsheetId: id,
      updatedRange: 'Sheet1!E1:E2',
      updatedRows: 2,
      updatedColumns: 1,
      updatedCells: 2,
    });
    expect(emulator.rows(id, 'Sheet1')[1]).toEqual([...SAMPLE[1]!, 'Done']);
  });

  it('keeps text starting with = as text with RAW, and makes it a formula with USER_ENTERED', async () => {
    await api.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'Sheet1!F1:H1',
      valueInputOption: 'RAW',
      requestBody: { values: [['=1+2', '=HYPERLINK("https://evil.example","click")', "'quoted"]] },
    });
    await api.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'Sheet1!F2:H2',
      valueInputOption: 'USER_ENTERED',
      requestBody: { values: [['=1+2', '=HYPERLINK("https://evil.example","click")', "'=1+2"]] },
    });
    const shown = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!F1:H2' });
    expect(shown.data.values).toEqual([
      ['=1+2', '=HYPERLINK("https://evil.example","click")', "'quoted"],
      ['3', '#NAME?', '=1+2'],
    ]);
    const formulas = await api.spreadsheets.values.get({
      spreadsheetId: id,
      range: 'Sheet1!F2:G2',
      valueRenderOption: 'FORMULA',
    });
    expect(formulas.data.values).toEqual([['=1+2', '=HYPERLINK("https://evil.example","click")']]);
  });

  it('rejects a write without valueInputOption, like the real API', async () => {
    const res = await failure(
      api.spreadsheets.values.update({
        spreadsheetId: id,
        range: 'Sheet1!A1',
        requestBody: { values: [['x']] },
      }),
    );
    expect(res).toEqual({
      status: 400,
      body: {
        error: {
          code: 400,
          message: "'valueInputOption' is required but not specified",
          status: 'INVALID_ARGUMENT',
        },
      },
    });
    expect(emulator.cell(id, 'Sheet1', 'A1')).toBe('Item');
  });

  it('refuses data that overflows a bounded range', async () => {
    const res = await failure(
      api.spreadsheets.values.update({
        spreadsheetId: id,
        range: 'Sheet1!A1:B1',
        valueInputOption: 'RAW',
        requestBody: { values: [['a', 'b', 'c']] },
      }),
    );
    expect(res.status).toBe(400);
    expect(emulator.cell(id, 'Sheet1', 'A1')).toBe('Item');
  });

  it('appends after the table, overwriting below it or inserting rows', async () => {
    emulator.setCell(id, 'Sheet1', 'A8', 'below the table');
    const res = await api.spreadsheets.values.append({
      spreadsheetId: id,
      range: 'Sheet1!A1:D5',
      valueInputOption: 'RAW',
      insertDataOption: 'INSERT_ROWS',
      requestBody: { values: [['Seat', '$40', '3', '4/1/2016']] },
    });
    expect(res.data).toEqual({
      spreadsheetId: id,
      tableRange: 'Sheet1!A1:D5',
      updates: {
        spreadsheetId: id,
        updatedRange: 'Sheet1!A6:D6',
        updatedRows: 1,
        updatedColumns: 4,
        updatedCells: 4,
      },
    });
    expect(emulator.cell(id, 'Sheet1', 'A9')).toBe('below the table');
    expect(emulator.gridSize(id, 'Sheet1').rows).toBe(1001);

    const overwrite = await api.spreadsheets.values.append({
      spreadsheetId: id,
      range: 'Sheet1',
      valueInputOption: 'RAW',
      requestBody: { values: [['Horn']] },
    });
    expect(overwrite.data.tableRange).toBe('Sheet1!A1:D9');
    expect(overwrite.data.updates?.updatedRange).toBe('Sheet1!A10');
  });

  it('applies values.batchUpdate all at once, or not at all', async () => {
    const res = await api.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        valueInputOption: 'RAW',
        data: [
          { range: 'Sheet1!E1', values: [['Status']] },
          { range: "'My Tab'!C1:C2", values: [['x'], ['y']] },
        ],
      },
    });
    expect(res.data).toMatchObject({
      spreadsheetId: id,
      totalUpdatedRows: 3,
      totalUpdatedColumns: 2,
      totalUpdatedCells: 3,
      totalUpdatedSheets: 2,
    });
    expect(res.data.responses?.map((r) => r.updatedRange)).toEqual(['Sheet1!E1', "'My Tab'!C1:C2"]);

    const bad = await failure(
      api.spreadsheets.values.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          valueInputOption: 'RAW',
          data: [
            { range: 'Sheet1!E2', values: [['written?']] },
            { range: 'Nope!A1', values: [['x']] },
          ],
        },
      }),
    );
    expect(bad.body).toEqual({
      error: { code: 400, message: 'Unable to parse range: Nope!A1', status: 'INVALID_ARGUMENT' },
    });
    expect(emulator.cell(id, 'Sheet1', 'E2')).toBe('');
  });
});

describe('spreadsheet structure', () => {
  it('describes the spreadsheet and its tabs, honouring fields', async () => {
    const res = await api.spreadsheets.get({ spreadsheetId: id });
    expect(res.data.properties?.title).toBe('Inventory');
    expect(res.data.sheets?.map((s) => s.properties)).toEqual([
      expect.objectContaining({
        sheetId: 0,
        title: 'Sheet1',
        index: 0,
        gridProperties: { rowCount: 1000, columnCount: 26 },
      }),
      expect.objectContaining({ title: 'My Tab', index: 1 }),
    ]);
    expect(res.data).not.toHaveProperty('sheets.0.data');
    const narrow = await api.spreadsheets.get({
      spreadsheetId: id,
      fields: 'sheets.properties(sheetId,title)',
    });
    expect(Object.keys(narrow.data)).toEqual(['sheets']);
  });

  it('inserts rows atomically with one reply per request', async () => {
    const res = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 3 } } },
        ],
      },
    });
    expect(res.data).toEqual({ spreadsheetId: id, replies: [{}] });
    expect(emulator.rows(id, 'Sheet1').map((r) => r[0])).toEqual([
      'Item',
      '',
      '',
      'Wheel',
      'Door',
      'Engine',
      'Totals',
    ]);

    const bad = await failure(
      api.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [
            { insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } },
            { insertDimension: { range: { sheetId: 999, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } },
          ],
        },
      }),
    );
    expect(bad.body).toEqual({
      error: {
        code: 400,
        message: 'Invalid requests[1].insertDimension: No grid with id: 999',
        status: 'INVALID_ARGUMENT',
      },
    });
    expect(emulator.rows(id, 'Sheet1')).toHaveLength(7);
  });
});

describe('errors in Google shape', () => {
  it('401 without a valid token', async () => {
    const bogus = new OAuth2Client();
    bogus.setCredentials({ access_token: 'ya29.not-issued', expiry_date: Date.now() + 3_600_000 });
    const res = await failure(
      sheets({ version: 'v4', auth: bogus, retry: false }).spreadsheets.values.get({
        spreadsheetId: id,
        range: 'Sheet1!A1',
      }),
    );
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      error: {
        code: 401,
        status: 'UNAUTHENTICATED',
        message: expect.stringContaining('invalid authentication credentials'),
      },
    });
    const anonymous = await fetch(`https://sheets.googleapis.com/v4/spreadsheets/${id}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { message: expect.stringContaining('missing required authentication credential') },
    });
  });

  it('403 when the spreadsheet is not shared with the caller', async () => {
    const secret = emulator.createSpreadsheet({
      tabs: { Sheet1: [['x']] },
      sharedWith: ['someone@else.com'],
    });
    const res = await failure(api.spreadsheets.values.get({ spreadsheetId: secret, range: 'Sheet1!A1' }));
    expect(res).toEqual({
      status: 403,
      body: {
        error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' },
      },
    });
    emulator.share(secret, USER);
    const ok = await api.spreadsheets.values.get({ spreadsheetId: secret, range: 'Sheet1!A1' });
    expect(ok.data.values).toEqual([['x']]);
  });

  it('404 for an unknown spreadsheet', async () => {
    const res = await failure(api.spreadsheets.get({ spreadsheetId: '1DoesNotExist' }));
    expect(res).toEqual({
      status: 404,
      body: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } },
    });
  });

  it('400 for an unknown tab, bad syntax, or a range starting past the grid', async () => {
    const tab = await failure(api.spreadsheets.values.get({ spreadsheetId: id, range: 'Leads!A1:B2' }));
    expect(tab.body).toEqual({
      error: { code: 400, message: 'Unable to parse range: Leads!A1:B2', status: 'INVALID_ARGUMENT' },
    });
    const syntax = await failure(
      api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1:B2:C3' }),
    );
    expect(syntax.status).toBe(400);
    const grid = await failure(
      api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1001:B1005' }),
    );
    expect(grid.body).toMatchObject({
      error: {
        code: 400,
        message: "Range ('Sheet1'!A1001:B1005) exceeds grid limits. Max rows: 1000, max columns: 26",
      },
    });
    const column = await failure(api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!AA1:AB2' }));
    expect(column.status).toBe(400);
  });

  it('clamps a range whose end runs past the grid, and echoes the clamped range', async () => {
    const rows = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A4:B5000' });
    expect(rows.data).toEqual({
      range: 'Sheet1!A4:B1000',
      majorDimension: 'ROWS',
      values: SAMPLE.slice(3).map((r) => r.slice(0, 2)),
    });
    const wide = await api.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ['Sheet1!C1:ZZZ2'] });
    expect(wide.data.valueRanges?.[0]?.range).toBe('Sheet1!C1:Z2');
  });

  it('renders injected faults in the same shape', async () => {
    emulator.faults.failNext(1, 503);
    const res = await failure(api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1' }));
    expect(res).toEqual({
      status: 503,
      body: { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } },
    });
  });
});

describe('per-user quotas', () => {
  it('answers 429 past 60 reads a minute, and recovers the next minute', async () => {
    for (let i = 0; i < 60; i++) await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1' });
    const over = await failure(api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!A1' }));
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({
      error: {
        code: 429,
        status: 'RESOURCE_EXHAUSTED',
        message: expect.stringMatching(
          /^Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user'/,
        ),
      },
    });
    // Writes have their own budget.
    await api.spreadsheets.values.update({
      spreadsheetId: id,
      range: 'Sheet1!E1',
      valueInputOption: 'RAW',
      requestBody: { values: [['ok']] },
    });
    clock.advance(60_000);
    const again = await api.spreadsheets.values.get({ spreadsheetId: id, range: 'Sheet1!E1' });
    expect(again.data.values).toEqual([['ok']]);
  });
});

describe('developer metadata on rows', () => {
  const lookup = (value: string) => ({
    developerMetadataLookup: { metadataKey: 'lead', metadataValue: value },
  });
  const tag = (row: number, value: string) => ({
    createDeveloperMetadata: {
      developerMetadata: {
        metadataKey: 'lead',
        metadataValue: value,
        visibility: 'DOCUMENT',
        location: { dimensionRange: { sheetId: 0, dimension: 'ROWS', startIndex: row - 1, endIndex: row } },
      },
    },
  });
  const rowsOf = async (...values: string[]) => {
    const res = await api.spreadsheets.values.batchGetByDataFilter({
      spreadsheetId: id,
      requestBody: { dataFilters: values.map(lookup) },
    });
    return (res.data.valueRanges ?? []).map((v) => v.valueRange?.range);
  };

  it('a batchUpdate returns the spreadsheet as it left it, with grid data for the response ranges', async () => {
    const res = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [tag(3, 'door')],
        includeSpreadsheetInResponse: true,
        responseRanges: ["'Sheet1'!1:1", "'Sheet1'!3:3"],
        responseIncludeGridData: true,
      },
    });
    // Only the tab the ranges are on; one GridData per range, row 1's startRow (0) left out.
    const tabs = res.data.updatedSpreadsheet?.sheets ?? [];
    expect(tabs.map((t) => t.properties?.title)).toEqual(['Sheet1']);
    const [header, door] = tabs[0]?.data ?? [];
    expect(header).not.toHaveProperty('startRow');
    expect(header?.rowData?.[0]?.values?.map((c) => c.formattedValue)).toEqual(SAMPLE[0]);
    expect(door?.startRow).toBe(2);
    expect(door?.rowData?.[0]?.values?.[0]).toEqual({
      userEnteredValue: { stringValue: 'Door' },
      effectiveValue: { stringValue: 'Door' },
      formattedValue: 'Door',
    });
    expect(door?.rowData?.[0]?.values?.[2]?.effectiveValue).toEqual({ numberValue: 2 });
    // The tag the same batch created is on the row it read.
    expect(door?.rowMetadata?.[0]?.developerMetadata?.map((m) => m.metadataValue)).toEqual(['door']);

    // Without grid data: the tabs alone. Without includeSpreadsheetInResponse: no spreadsheet.
    const bare = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [], includeSpreadsheetInResponse: true, responseRanges: ["'My Tab'!A1"] },
    });
    expect(bare.data.updatedSpreadsheet?.sheets?.map((t) => [t.properties?.title, t.data])).toEqual([
      ['My Tab', undefined],
    ]);
    const none = await api.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [] } });
    expect(none.data).not.toHaveProperty('updatedSpreadsheet');
  });

  it('a bad response range fails the batchUpdate before any request is applied', async () => {
    const bad = await failure(
      api.spreadsheets.batchUpdate({
        spreadsheetId: id,
        requestBody: {
          requests: [tag(2, 'wheel')],
          includeSpreadsheetInResponse: true,
          responseRanges: ["'No such tab'!1:1"],
        },
      }),
    );
    expect(bad.status).toBe(400);
    expect(await rowsOf('wheel')).toEqual([]);
  });

  it('spreadsheets.get returns grid data for its ranges when asked', async () => {
    const res = await api.spreadsheets.get({
      spreadsheetId: id,
      ranges: ["'My Tab'!A2:B2"],
      includeGridData: true,
    });
    expect(res.data.sheets?.map((t) => t.properties?.title)).toEqual(['My Tab']);
    const grid = res.data.sheets?.[0]?.data?.[0];
    expect(grid?.startRow).toBe(1);
    expect(grid?.rowData?.map((r) => r.values?.map((c) => c.formattedValue))).toEqual([['c', 'd']]);
  });

  it('stays with its row through inserts, sorts and moves, by the API or by a person', async () => {
    const created = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [tag(3, 'door'), tag(4, 'engine')] },
    });
    expect(created.data.replies?.[0]?.createDeveloperMetadata?.developerMetadata).toMatchObject({
      metadataKey: 'lead',
      metadataValue: 'door',
      visibility: 'DOCUMENT',
      location: {
        locationType: 'ROW',
        dimensionRange: { sheetId: 0, dimension: 'ROWS', startIndex: 2, endIndex: 3 },
      },
    });
    expect(await rowsOf('door', 'engine')).toEqual(['Sheet1!A3:Z3', 'Sheet1!A4:Z4']);
    await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { insertDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 1, endIndex: 2 } } },
          {
            sortRange: {
              range: { sheetId: 0, startRowIndex: 2, endRowIndex: 6 },
              sortSpecs: [{ dimensionIndex: 0, sortOrder: 'DESCENDING' }],
            },
          },
        ],
      },
    });
    // Wheel, Totals, Engine, Door from row 3.
    expect(emulator.rows(id, 'Sheet1').map((r) => r[0])).toEqual([
      'Item',
      '',
      'Wheel',
      'Totals',
      'Engine',
      'Door',
    ]);
    expect(await rowsOf('door', 'engine')).toEqual(['Sheet1!A6:Z6', 'Sheet1!A5:Z5']);
    await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          {
            moveDimension: {
              source: { sheetId: 0, dimension: 'ROWS', startIndex: 5, endIndex: 6 },
              destinationIndex: 1,
            },
          },
        ],
      },
    });
    expect(emulator.cell(id, 'Sheet1', 'A2')).toBe('Door');
    emulator.sortRows(id, 'Sheet1', 'Item');
    emulator.insertRow(id, 'Sheet1', 2, ['New']);
    const rows = emulator.rows(id, 'Sheet1').map((r) => r[0]);
    const [door, engine] = await rowsOf('door', 'engine');
    expect(rows[Number(/\d+$/.exec(door ?? '')?.[0]) - 1]).toBe('Door');
    expect(rows[Number(/\d+$/.exec(engine ?? '')?.[0]) - 1]).toBe('Engine');
  });

  it('writes and reads through a lookup, is found by search, and is deleted with its row', async () => {
    await api.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [tag(4, 'engine')] } });
    emulator.insertRow(id, 'Sheet1', 2, ['Seat']);
    const written = await api.spreadsheets.values.batchUpdateByDataFilter({
      spreadsheetId: id,
      requestBody: {
        valueInputOption: 'RAW',
        data: [
          { dataFilter: lookup('engine'), values: [[null, null, null, null, 'Checked']] },
          { dataFilter: lookup('nothing'), values: [['x']] },
        ],
      },
    });
    expect(written.data.totalUpdatedCells).toBe(1);
    expect(written.data.responses?.map((r) => r.updatedRange)).toEqual(['Sheet1!A5:E5']);
    expect(emulator.rows(id, 'Sheet1')[4]).toEqual(['Engine', '$100', '1', '3/20/2016', 'Checked']);
    const found = await api.spreadsheets.developerMetadata.search({
      spreadsheetId: id,
      requestBody: { dataFilters: [{ a1Range: 'Sheet1!A5:B5' }] },
    });
    const meta = found.data.matchedDeveloperMetadata?.[0]?.developerMetadata;
    expect(meta?.metadataValue).toBe('engine');
    const got = await api.spreadsheets.developerMetadata.get({
      spreadsheetId: id,
      metadataId: meta?.metadataId ?? 0,
    });
    expect(got.data.location?.dimensionRange?.startIndex).toBe(4);
    emulator.deleteRow(id, 'Sheet1', 5);
    expect(await rowsOf('engine')).toEqual([]);
    const gone = await failure(
      api.spreadsheets.developerMetadata.get({ spreadsheetId: id, metadataId: meta?.metadataId ?? 0 }),
    );
    expect(gone.status).toBe(404);
  });

  it('deletes metadata by lookup, and refuses metadata without a key or on an unknown grid', async () => {
    await api.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [tag(2, 'wheel')] } });
    const res = await api.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: { requests: [{ deleteDeveloperMetadata: { dataFilter: lookup('wheel') } }] },
    });
    expect(res.data.replies?.[0]?.deleteDeveloperMetadata?.deletedDeveloperMetadata).toHaveLength(1);
    expect(await rowsOf('wheel')).toEqual([]);
    const noKey = tag(2, 'x');
    noKey.createDeveloperMetadata.developerMetadata.metadataKey = '';
    const bad = await failure(
      api.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [noKey] } }),
    );
    expect(bad.body).toMatchObject({
      error: { code: 400, message: expect.stringContaining('must always have a key') },
    });
    const grid = tag(2, 'y');
    grid.createDeveloperMetadata.developerMetadata.location.dimensionRange.sheetId = 999;
    const noGrid = await failure(
      api.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [grid] } }),
    );
    expect(noGrid.body).toMatchObject({
      error: { message: expect.stringContaining('No grid with id: 999') },
    });
  });
});
