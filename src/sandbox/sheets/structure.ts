// spreadsheets.batchUpdate: structural requests (rows, columns, tabs, sorts, developer metadata), atomically.
import { z } from 'zod';
import { GoogleApiError } from './errors.ts';
import { type Cell, type Spreadsheet, Tab } from './grid.ts';
import {
  CreateDeveloperMetadata,
  createMetadata,
  filterRanges,
  lookupMetadata,
  lookupSpreadsheetMetadata,
  metadataIn,
  metadataResource,
  parseDataFilter,
  spreadsheetMetadataResource,
} from './metadata.ts';

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
  sortRange: z.object({
    range: z.object({
      sheetId: z.number().int().default(0),
      startRowIndex: z.number().int().min(0).optional(),
      endRowIndex: z.number().int().min(0).optional(),
      startColumnIndex: z.number().int().min(0).optional(),
      endColumnIndex: z.number().int().min(0).optional(),
    }),
    sortSpecs: z
      .array(
        z.object({
          dimensionIndex: z.number().int().min(0),
          sortOrder: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING'),
        }),
      )
      .min(1),
  }),
  moveDimension: z.object({ source: DimensionRange, destinationIndex: z.number().int().min(0) }),
  createDeveloperMetadata: CreateDeveloperMetadata,
  deleteDeveloperMetadata: z.object({ dataFilter: z.unknown() }),
  updateDeveloperMetadata: z.object({
    dataFilters: z.array(z.unknown()).min(1),
    developerMetadata: z.object({
      metadataKey: z.string().optional(),
      metadataValue: z.string().optional(),
      visibility: z.enum(['DOCUMENT', 'PROJECT']).optional(),
      location: z.unknown().optional(),
    }),
    fields: z.string().min(1),
  }),
} as const;

/**
 * Orders rows as a sort in Sheets does: by each column in turn, numbers by value, text ignoring
 * case; empty cells last whatever the order.
 */
export function compareRows(specs: { col: number; asc: boolean }[]): (a: Cell[], b: Cell[]) => number {
  return (a, b) => {
    for (const { col, asc } of specs) {
      const [x, y] = [a[col]?.text ?? '', b[col]?.text ?? ''];
      if (x === '' || y === '') {
        if (x !== y) return x === '' ? 1 : -1;
        continue;
      }
      const cmp = x.localeCompare(y, 'en', { numeric: true, sensitivity: 'base' });
      if (cmp !== 0) return asc ? cmp : -cmp;
    }
    return 0;
  };
}

export const byColumn = (col: number, asc: boolean) => compareRows([{ col, asc }]);

type Kind = keyof typeof Requests;

export const BatchUpdateBody = z.object({
  requests: z.array(z.record(z.string(), z.unknown())).default([]),
  includeSpreadsheetInResponse: z.boolean().optional(),
  responseRanges: z.array(z.string()).optional(),
  responseIncludeGridData: z.boolean().optional(),
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
    case 'sortRange': {
      const { range, sortSpecs } = body as z.infer<(typeof Requests)['sortRange']>;
      const tab = gridOf(sheet, range.sheetId, i, kind);
      const [r0, r1] = [range.startRowIndex ?? 0, Math.min(range.endRowIndex ?? tab.rowCount, tab.rowCount)];
      const [c0, c1] = [range.startColumnIndex ?? 0, range.endColumnIndex ?? tab.columnCount];
      const compare = compareRows(
        sortSpecs.map((s) => ({ col: s.dimensionIndex, asc: s.sortOrder === 'ASCENDING' })),
      );
      if (c0 === 0 && c1 >= tab.columnCount) {
        // Whole rows move, and their metadata with them.
        tab.sortRows(r0 + 1, r1, compare);
        return {};
      }
      // Only the range's cells move; the rows (and metadata on them) stay.
      const part = (r: number) =>
        Array.from({ length: c1 - c0 }, (_, k) => tab.get(r, c0 + k) ?? { text: '' });
      const lines = Array.from({ length: r1 - r0 }, (_, k) => part(r0 + 1 + k));
      const shifted = compareRows(
        sortSpecs.map((s) => ({ col: s.dimensionIndex - c0, asc: s.sortOrder === 'ASCENDING' })),
      );
      lines.sort(shifted).forEach((line, k) => {
        line.forEach((cell, j) => {
          if (cell.text !== '' || tab.get(r0 + 1 + k, c0 + j)) tab.set(r0 + 1 + k, c0 + j, cell);
        });
      });
      return {};
    }
    case 'moveDimension': {
      const { source, destinationIndex } = body as z.infer<(typeof Requests)['moveDimension']>;
      const tab = gridOf(sheet, source.sheetId, i, kind);
      if (source.dimension !== 'ROWS')
        throw fail(i, kind, 'only ROWS are supported by the Baton Sheets emulator');
      const end = source.endIndex ?? tab.rowCount;
      if (end <= source.startIndex || end > tab.rowCount || destinationIndex > tab.rowCount) {
        throw fail(i, kind, `Range exceeds grid limits (${tab.rowCount})`);
      }
      // destinationIndex counts rows before the source is taken out (reference: MoveDimensionRequest).
      const all = Array.from({ length: tab.rowCount }, (_, k) => k);
      const moved = all.splice(source.startIndex, end - source.startIndex);
      const at = destinationIndex > source.startIndex ? destinationIndex - moved.length : destinationIndex;
      all.splice(at, 0, ...moved);
      tab.permuteRows(0, all);
      return {};
    }
    case 'createDeveloperMetadata':
      return createMetadata(sheet, body as z.infer<typeof CreateDeveloperMetadata>, (m) => fail(i, kind, m));
    case 'deleteDeveloperMetadata': {
      const { dataFilter } = body as z.infer<(typeof Requests)['deleteDeveloperMetadata']>;
      const where = `requests[${i}].${kind}.dataFilter`;
      const filter = parseDataFilter(dataFilter, where);
      const hits = filter.developerMetadataLookup
        ? lookupMetadata(sheet, filter.developerMetadataLookup, where)
        : filterRanges(sheet, filter, where).flatMap(metadataIn);
      const onSheet = filter.developerMetadataLookup
        ? lookupSpreadsheetMetadata(sheet, filter.developerMetadataLookup)
        : [];
      const deletedDeveloperMetadata = [
        ...hits.map(({ tab, m }) => metadataResource(tab, m)),
        ...onSheet.map(spreadsheetMetadataResource),
      ];
      for (const { tab, m } of hits) tab.rowMetadata = tab.rowMetadata.filter((x) => x !== m);
      sheet.metadata = sheet.metadata.filter((m) => !onSheet.includes(m));
      return { deleteDeveloperMetadata: { deletedDeveloperMetadata } };
    }
    case 'updateDeveloperMetadata': {
      // Only the key, value and visibility can be changed here, by lookups (what Baton uses). A
      // lookup matching nothing updates nothing and is not an error [unconfirmed: the reference is
      // silent]; Baton reads the empty reply as "this metadata is gone".
      const req = body as z.infer<(typeof Requests)['updateDeveloperMetadata']>;
      const fields =
        req.fields === '*' ? ['metadataKey', 'metadataValue', 'visibility'] : req.fields.split(',');
      const known = ['metadataKey', 'metadataValue', 'visibility'];
      const unknown = fields.map((f) => f.trim()).find((f) => !known.includes(f));
      if (unknown) throw fail(i, kind, `field '${unknown}' cannot be updated by the Baton Sheets emulator`);
      const updated = new Map<number, () => unknown>();
      req.dataFilters.forEach((raw, k) => {
        const where = `requests[${i}].${kind}.dataFilters[${k}]`;
        const filter = parseDataFilter(raw, where);
        if (!filter.developerMetadataLookup)
          throw fail(
            i,
            kind,
            'only developerMetadataLookup filters are supported by the Baton Sheets emulator',
          );
        const change = <M extends { metadataKey: string; metadataValue?: string; visibility: string }>(
          m: M,
        ) => {
          const dm = req.developerMetadata;
          if (fields.includes('metadataKey') && dm.metadataKey) m.metadataKey = dm.metadataKey;
          if (fields.includes('metadataValue')) {
            if (dm.metadataValue === undefined) delete m.metadataValue;
            else m.metadataValue = dm.metadataValue;
          }
          if (fields.includes('visibility') && dm.visibility) m.visibility = dm.visibility;
        };
        for (const { tab, m } of lookupMetadata(sheet, filter.developerMetadataLookup, where)) {
          change(m);
          updated.set(m.metadataId, () => metadataResource(tab, m));
        }
        for (const m of lookupSpreadsheetMetadata(sheet, filter.developerMetadataLookup)) {
          change(m);
          updated.set(m.metadataId, () => spreadsheetMetadataResource(m));
        }
      });
      return { updateDeveloperMetadata: { developerMetadata: [...updated.values()].map((f) => f()) } };
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
