// Developer metadata on rows, and DataFilters (metadata lookups, A1 and grid ranges) that select it or the cells under it.
import { z } from 'zod';
import { formatRange } from './a1.ts';
import { GoogleApiError } from './errors.ts';
import type { RowMetadata, Spreadsheet, SpreadsheetMetadata, Tab } from './grid.ts';
import { type ResolvedRange, resolveRange } from './ranges.ts';

const Visibility = z.enum(['DOCUMENT', 'PROJECT']);

const DimensionRange = z.object({
  sheetId: z.number().int().default(0),
  dimension: z.enum(['ROWS', 'COLUMNS']),
  startIndex: z.number().int().min(0).optional(),
  endIndex: z.number().int().min(0).optional(),
});

const Location = z.object({
  spreadsheet: z.boolean().optional(),
  sheetId: z.number().int().optional(),
  dimensionRange: DimensionRange.optional(),
  locationType: z.string().optional(),
});

export const CreateDeveloperMetadata = z.object({
  developerMetadata: z.object({
    metadataId: z.number().int().optional(),
    metadataKey: z.string().optional(),
    metadataValue: z.string().optional(),
    visibility: Visibility.optional(),
    location: Location.optional(),
  }),
});

const Lookup = z.object({
  metadataId: z.number().int().optional(),
  metadataKey: z.string().optional(),
  metadataValue: z.string().optional(),
  visibility: Visibility.optional(),
  locationType: z.enum(['ROW', 'COLUMN', 'SHEET', 'SPREADSHEET']).optional(),
  metadataLocation: z.unknown().optional(),
  locationMatchingStrategy: z.string().optional(),
});

const GridRange = z.object({
  sheetId: z.number().int().default(0),
  startRowIndex: z.number().int().min(0).optional(),
  endRowIndex: z.number().int().min(0).optional(),
  startColumnIndex: z.number().int().min(0).optional(),
  endColumnIndex: z.number().int().min(0).optional(),
});

export const DataFilter = z.object({
  developerMetadataLookup: Lookup.optional(),
  a1Range: z.string().optional(),
  gridRange: GridRange.optional(),
});
export type DataFilter = z.infer<typeof DataFilter>;

/** The DeveloperMetadata resource as the API shows it. */
export function metadataResource(tab: Tab, m: RowMetadata) {
  return {
    metadataId: m.metadataId,
    metadataKey: m.metadataKey,
    ...(m.metadataValue !== undefined ? { metadataValue: m.metadataValue } : {}),
    location: {
      locationType: 'ROW',
      dimensionRange: { sheetId: tab.sheetId, dimension: 'ROWS', startIndex: m.start, endIndex: m.end },
    },
    visibility: m.visibility,
  };
}

/** Spreadsheet-level metadata as the API shows it. */
export function spreadsheetMetadataResource(m: SpreadsheetMetadata) {
  return {
    metadataId: m.metadataId,
    metadataKey: m.metadataKey,
    ...(m.metadataValue !== undefined ? { metadataValue: m.metadataValue } : {}),
    location: { locationType: 'SPREADSHEET', spreadsheet: true },
    visibility: m.visibility,
  };
}

/**
 * Applies createDeveloperMetadata on `sheet` (a draft). ROW and SPREADSHEET locations are emulated.
 * @throws GoogleApiError 400 (via `fail`) for a missing key, visibility or location, a bad row
 *   range, a duplicate id, or a location the emulator does not model.
 */
export function createMetadata(
  sheet: Spreadsheet,
  req: z.infer<typeof CreateDeveloperMetadata>,
  fail: (message: string) => GoogleApiError,
): Record<string, unknown> {
  const dm = req.developerMetadata;
  if (!dm.metadataKey) throw fail('Developer metadata must always have a key specified.');
  if (!dm.visibility) throw fail('Developer metadata must always have a visibility specified.');
  if (dm.location?.spreadsheet === true && !dm.location.dimensionRange && dm.location.sheetId === undefined) {
    const m: SpreadsheetMetadata = {
      metadataId: freshId(sheet, dm.metadataId, fail),
      metadataKey: dm.metadataKey,
      ...(dm.metadataValue !== undefined ? { metadataValue: dm.metadataValue } : {}),
      visibility: dm.visibility,
    };
    sheet.metadata.push(m);
    return { createDeveloperMetadata: { developerMetadata: spreadsheetMetadataResource(m) } };
  }
  const range = dm.location?.dimensionRange;
  if (!range) throw fail('Developer metadata must always have a location specified.');
  if (range.dimension !== 'ROWS' || dm.location?.spreadsheet || dm.location?.sheetId !== undefined) {
    throw fail('only ROW and SPREADSHEET locations are supported by the Baton Sheets emulator');
  }
  const tab = sheet.tabById(range.sheetId);
  if (!tab) throw fail(`No grid with id: ${range.sheetId}`);
  const start = range.startIndex ?? 0;
  const end = range.endIndex ?? tab.rowCount;
  if (end <= start || end > tab.rowCount) {
    throw fail(`Invalid dimensionRange: rows ${start}..${end} of a grid with ${tab.rowCount} rows`);
  }
  const m: RowMetadata = {
    metadataId: freshId(sheet, dm.metadataId, fail),
    metadataKey: dm.metadataKey,
    ...(dm.metadataValue !== undefined ? { metadataValue: dm.metadataValue } : {}),
    visibility: dm.visibility,
    start,
    end,
  };
  tab.rowMetadata.push(m);
  return { createDeveloperMetadata: { developerMetadata: metadataResource(tab, m) } };
}

/** The id asked for (when free) or a random free one; ids are unique across the spreadsheet. */
function freshId(sheet: Spreadsheet, asked: number | undefined, fail: (message: string) => GoogleApiError) {
  const taken = new Set([
    ...allMetadata(sheet).map(({ m }) => m.metadataId),
    ...sheet.metadata.map((m) => m.metadataId),
  ]);
  if (asked !== undefined) {
    if (asked <= 0) throw fail('metadataId must be positive');
    if (taken.has(asked)) throw fail(`Developer metadata with id ${asked} already exists.`);
  }
  let id = asked ?? 0;
  // Ids are random when not given (reference: "otherwise one will be randomly generated").
  while (id === 0 || taken.has(id)) id = 1 + Math.floor(Math.random() * 2_000_000_000);
  return id;
}

/** The spreadsheet-level metadata a lookup selects (every field given must match). */
export function lookupSpreadsheetMetadata(
  sheet: Spreadsheet,
  lookup: z.infer<typeof Lookup>,
): SpreadsheetMetadata[] {
  return sheet.metadata.filter(
    (m) =>
      (lookup.metadataId === undefined || m.metadataId === lookup.metadataId) &&
      (lookup.metadataKey === undefined || m.metadataKey === lookup.metadataKey) &&
      (lookup.metadataValue === undefined || m.metadataValue === lookup.metadataValue) &&
      (lookup.visibility === undefined || m.visibility === lookup.visibility) &&
      (lookup.locationType === undefined || lookup.locationType === 'SPREADSHEET'),
  );
}

export function allMetadata(sheet: Spreadsheet): { tab: Tab; m: RowMetadata }[] {
  return sheet.tabs.flatMap((tab) => tab.rowMetadata.map((m) => ({ tab, m })));
}

/** The metadata a lookup selects (every field given must match). */
export function lookupMetadata(
  sheet: Spreadsheet,
  lookup: z.infer<typeof Lookup>,
  where: string,
): { tab: Tab; m: RowMetadata }[] {
  if (lookup.metadataLocation !== undefined || lookup.locationMatchingStrategy !== undefined) {
    throw new GoogleApiError(
      400,
      `${where}: metadataLocation lookups are not supported by the Baton Sheets emulator`,
    );
  }
  return allMetadata(sheet).filter(
    ({ m }) =>
      (lookup.metadataId === undefined || m.metadataId === lookup.metadataId) &&
      (lookup.metadataKey === undefined || m.metadataKey === lookup.metadataKey) &&
      (lookup.metadataValue === undefined || m.metadataValue === lookup.metadataValue) &&
      (lookup.visibility === undefined || m.visibility === lookup.visibility) &&
      (lookup.locationType === undefined || lookup.locationType === 'ROW'),
  );
}

/** Parses `dataFilters[i]`-style input. @throws GoogleApiError 400 unless exactly one kind is set. */
export function parseDataFilter(raw: unknown, where: string): DataFilter {
  const parsed = DataFilter.safeParse(raw);
  if (!parsed.success) {
    throw new GoogleApiError(400, `Invalid ${where}: ${parsed.error.issues[0]?.message ?? 'bad DataFilter'}`);
  }
  const set = [parsed.data.developerMetadataLookup, parsed.data.a1Range, parsed.data.gridRange].filter(
    (v) => v !== undefined,
  );
  if (set.length !== 1) {
    throw new GoogleApiError(
      400,
      `Invalid ${where}: exactly one of developerMetadataLookup, a1Range or gridRange must be set`,
    );
  }
  return parsed.data;
}

/**
 * The ranges a filter selects: an A1 or grid range itself, or the full rows of each metadata a lookup
 * matches (none when it matches nothing).
 * @throws GoogleApiError 400 for a bad range.
 */
export function filterRanges(sheet: Spreadsheet, filter: DataFilter, where: string): ResolvedRange[] {
  if (filter.a1Range !== undefined) return [resolveRange(sheet, filter.a1Range)];
  if (filter.gridRange) {
    const g = filter.gridRange;
    const tab = sheet.tabById(g.sheetId);
    if (!tab) throw new GoogleApiError(400, `Invalid ${where}: No grid with id: ${g.sheetId}`);
    return [
      rowsOf(tab, g.startRowIndex ?? 0, g.endRowIndex ?? tab.rowCount, g.startColumnIndex, g.endColumnIndex),
    ];
  }
  return lookupMetadata(sheet, filter.developerMetadataLookup ?? {}, where).map(({ tab, m }) =>
    rowsOf(tab, m.start, m.end),
  );
}

/** Metadata on rows intersecting `range` (what a search or delete by location selects). */
export function metadataIn(range: ResolvedRange): { tab: Tab; m: RowMetadata }[] {
  return range.tab.rowMetadata
    .filter((m) => m.start < range.r2 && m.end > range.r1 - 1)
    .map((m) => ({ tab: range.tab, m }));
}

function rowsOf(tab: Tab, start: number, end: number, c1 = 0, c2 = tab.columnCount): ResolvedRange {
  const last = Math.min(c2, tab.columnCount) - 1;
  return {
    tab,
    r1: start + 1,
    c1,
    r2: end,
    c2: last,
    singleCell: false,
    openRows: false,
    openCols: false,
    text: formatRange(tab.title, start + 1, c1, end, last),
  };
}
