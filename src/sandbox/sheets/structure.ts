// spreadsheets.batchUpdate: structural requests (insert/append/delete rows or columns, add/delete tabs), atomically.
import { z } from 'zod';
import { GoogleApiError } from './errors.ts';
import { type Spreadsheet, Tab } from './grid.ts';

const DimensionRange = z.object({
  sheetId: z.number().int().default(0),
  dimension: z.enum(['ROWS', 'COLUMNS']),
  startIndex: z.number().int().min(0).default(0),
  endIndex: z.number().int().min(0).optional(),
});

const Requests = {
  insertDimension: z.object({ range: DimensionRange, inheritFromBefore: z.boolean().optional() }),
  appendDimension: z.object({
    sheetId: z.number().int().default(0),
    dimension: z.enum(['ROWS', 'COLUMNS']),
    length: z.number().int().min(1),
  }),
  deleteDimension: z.object({ range: DimensionRange }),
  addSheet: z.object({
    properties: z
      .object({
        sheetId: z.number().int().optional(),
        title: z.string().optional(),
        index: z.number().int().min(0).optional(),
        gridProperties: z
          .object({
            rowCount: z.number().int().min(1).optional(),
            columnCount: z.number().int().min(1).optional(),
          })
          .optional(),
      })
      .default({}),
  }),
  deleteSheet: z.object({ sheetId: z.number().int() }),
} as const;

type Kind = keyof typeof Requests;

export const BatchUpdateBody = z.object({
  requests: z.array(z.record(z.string(), z.unknown())).default([]),
  includeSpreadsheetInResponse: z.boolean().optional(),
});

/** Sheet properties as spreadsheets.get reports them. */
export function sheetProperties(tab: Tab, index: number) {
  return {
    sheetId: tab.sheetId,
    title: tab.title,
    index,
    sheetType: 'GRID',
    gridProperties: { rowCount: tab.rowCount, columnCount: tab.columnCount },
  };
}

function fail(i: number, kind: string, message: string): GoogleApiError {
  return new GoogleApiError(400, `Invalid requests[${i}].${kind}: ${message}`);
}

function gridOf(sheet: Spreadsheet, sheetId: number, i: number, kind: string): Tab {
  const tab = sheet.tabById(sheetId);
  if (!tab) throw fail(i, kind, `No grid with id: ${sheetId}`);
  return tab;
}

function apply(
  sheet: Spreadsheet,
  kind: Kind,
  raw: unknown,
  i: number,
  nextSheetId: () => number,
): Record<string, unknown> {
  const parsed = Requests[kind].safeParse(raw);
  if (!parsed.success) throw fail(i, kind, parsed.error.issues[0]?.message ?? 'invalid request');
  const body = parsed.data;
  switch (kind) {
    case 'insertDimension':
    case 'deleteDimension': {
      const { range } = body as z.infer<(typeof Requests)['insertDimension']>;
      const tab = gridOf(sheet, range.sheetId, i, kind);
      const size = range.dimension === 'ROWS' ? tab.rowCount : tab.columnCount;
      const end = range.endIndex ?? size;
      if (end <= range.startIndex) throw fail(i, kind, 'endIndex must be greater than startIndex');
      const count = end - range.startIndex;
      if (kind === 'insertDimension') {
        if (range.startIndex > size) throw fail(i, kind, `Range exceeds grid limits (${size})`);
        if (range.dimension === 'ROWS') tab.insertRows(range.startIndex + 1, count);
        else tab.insertColumns(range.startIndex, count);
      } else {
        if (end > size) throw fail(i, kind, `Range exceeds grid limits (${size})`);
        if (count === size)
          throw fail(i, kind, `You can't delete all the ${range.dimension.toLowerCase()} on the sheet.`);
        if (range.dimension === 'ROWS') tab.deleteRows(range.startIndex + 1, count);
        else tab.deleteColumns(range.startIndex, count);
      }
      return {};
    }
    case 'appendDimension': {
      const req = body as z.infer<(typeof Requests)['appendDimension']>;
      const tab = gridOf(sheet, req.sheetId, i, kind);
      if (req.dimension === 'ROWS') tab.rowCount += req.length;
      else tab.columnCount += req.length;
      return {};
    }
    case 'addSheet': {
      const { properties } = body as z.infer<(typeof Requests)['addSheet']>;
      const title = properties.title ?? `Sheet${sheet.tabs.length + 1}`;
      if (sheet.tabs.some((t) => t.title.toLowerCase() === title.toLowerCase())) {
        throw fail(i, kind, `A sheet with the name "${title}" already exists. Please enter another name.`);
      }
      const id = properties.sheetId ?? nextSheetId();
      if (sheet.tabById(id)) throw fail(i, kind, `A sheet with the id ${id} already exists.`);
      const tab = new Tab(
        id,
        title,
        properties.gridProperties?.rowCount ?? 1000,
        properties.gridProperties?.columnCount ?? 26,
      );
      const index = Math.min(properties.index ?? sheet.tabs.length, sheet.tabs.length);
      sheet.tabs.splice(index, 0, tab);
      return { addSheet: { properties: sheetProperties(tab, index) } };
    }
    case 'deleteSheet': {
      const req = body as z.infer<(typeof Requests)['deleteSheet']>;
      const tab = gridOf(sheet, req.sheetId, i, kind);
      if (sheet.tabs.length === 1) throw fail(i, kind, "You can't remove all the sheets in a document.");
      sheet.tabs = sheet.tabs.filter((t) => t !== tab);
      return {};
    }
  }
}

/**
 * Applies every request to a draft and commits only if all succeed (the API's batches are atomic).
 * `replies[i]` answers `requests[i]` (`{}` for requests without a reply).
 * @throws GoogleApiError 400 naming the failing request; nothing changed.
 */
export function batchUpdate(
  sheet: Spreadsheet,
  requests: Record<string, unknown>[],
  nextSheetId: () => number,
): Record<string, unknown>[] {
  const draft = sheet.draft();
  const replies = requests.map((request, i) => {
    const entries = Object.entries(request);
    const [kind, body] = entries[0] ?? [];
    if (entries.length !== 1 || kind === undefined) {
      throw new GoogleApiError(400, `Invalid requests[${i}]: a request must set exactly one kind`);
    }
    if (!(kind in Requests)) {
      throw new GoogleApiError(
        400,
        `Invalid requests[${i}]: '${kind}' is not supported by the Baton Sheets emulator (supported: ${Object.keys(Requests).join(', ')})`,
      );
    }
    return apply(draft, kind as Kind, body, i, nextSheetId);
  });
  sheet.commit(draft);
  return replies;
}
