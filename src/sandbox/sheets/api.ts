// Answers one authorised Sheets v4 request: parses its query and body, runs the method, shapes the JSON.
import { z } from 'zod';
import { GoogleApiError, notFound } from './errors.ts';
import type { Spreadsheet } from './grid.ts';
import { sheetsForRanges } from './grid-data.ts';
import {
  allMetadata,
  type DataFilter,
  filterRanges,
  lookupMetadata,
  lookupSpreadsheetMetadata,
  metadataIn,
  metadataResource,
  parseDataFilter,
  spreadsheetMetadataResource,
} from './metadata.ts';
import type { Route } from './routes.ts';
import { BatchUpdateBody, batchUpdate, sheetProperties } from './structure.ts';
import {
  appendValues,
  clearValues,
  parseDimension,
  parseInputOption,
  parseRender,
  readValues,
  type UpdateValuesResponse,
  type ValueRange,
  ValueRangeInput,
  writeValues,
} from './values.ts';

export interface AnswerContext {
  nextSheetId(): number;
  /** Called with the number of cells each `values` array carries (the emulator's cellsServed). */
  served(cells: number): void;
}

const BatchValuesBody = z.object({
  valueInputOption: z.string().optional(),
  data: z.array(ValueRangeInput.extend({ range: z.string() })).default([]),
  includeValuesInResponse: z.boolean().optional(),
});
const BatchClearBody = z.object({ ranges: z.array(z.string()).default([]) });
const BatchGetByFilterBody = z.object({
  dataFilters: z.array(z.unknown()).default([]),
  majorDimension: z.string().optional(),
  valueRenderOption: z.string().optional(),
});
const BatchUpdateByFilterBody = z.object({
  valueInputOption: z.string().optional(),
  data: z.array(ValueRangeInput.omit({ range: true }).extend({ dataFilter: z.unknown() })).default([]),
});
const SearchBody = z.object({ dataFilters: z.array(z.unknown()).default([]) });

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GoogleApiError(
      400,
      `Invalid JSON payload received. ${issue ? `${issue.path.join('.')}: ${issue.message}` : ''}`.trim(),
    );
  }
  return parsed.data;
}

/** The spreadsheet resource without grid data; `fields` is honoured loosely, by top-level name. */
export function spreadsheetResource(sheet: Spreadsheet, fields: string | null): Record<string, unknown> {
  const full: Record<string, unknown> = {
    spreadsheetId: sheet.id,
    properties: { title: sheet.title, locale: 'en_US', autoRecalc: 'ON_CHANGE', timeZone: 'Etc/GMT' },
    sheets: sheet.tabs.map((tab, index) => ({ properties: sheetProperties(tab, index) })),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${sheet.id}/edit`,
  };
  if (!fields || fields.trim() === '*') return full;
  const wanted = new Set<string>();
  let depth = 0;
  let token = '';
  for (const ch of `${fields},`) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      wanted.add(token.trim().split(/[.(/]/)[0] ?? '');
      token = '';
    } else token += ch;
  }
  return Object.fromEntries(Object.entries(full).filter(([key]) => wanted.has(key)));
}

/**
 * developerMetadata.search: a lookup selects the metadata it matches; an A1 or grid range selects
 * the metadata on rows intersecting it (reference: spreadsheets.developerMetadata/search).
 */
function searchMetadata(sheet: Spreadsheet, raw: unknown[]): Record<string, unknown> {
  const matched = new Map<number, { developerMetadata: unknown; dataFilters: DataFilter[] }>();
  raw.forEach((r, i) => {
    const filter = parseDataFilter(r, `dataFilters[${i}]`);
    const hits = filter.developerMetadataLookup
      ? lookupMetadata(sheet, filter.developerMetadataLookup, `dataFilters[${i}]`)
      : filterRanges(sheet, filter, `dataFilters[${i}]`).flatMap(metadataIn);
    const resources: { id: number; resource: () => unknown }[] = hits.map(({ tab, m }) => ({
      id: m.metadataId,
      resource: () => metadataResource(tab, m),
    }));
    if (filter.developerMetadataLookup) {
      for (const m of lookupSpreadsheetMetadata(sheet, filter.developerMetadataLookup))
        resources.push({ id: m.metadataId, resource: () => spreadsheetMetadataResource(m) });
    }
    for (const { id, resource } of resources) {
      const entry = matched.get(id) ?? { developerMetadata: resource(), dataFilters: [] };
      entry.dataFilters.push(filter);
      matched.set(id, entry);
    }
  });
  return matched.size > 0 ? { matchedDeveloperMetadata: [...matched.values()] } : {};
}

/** The totals of a values batch write over its per-range responses. */
function totals(responses: UpdateValuesResponse[]) {
  const total = (key: 'updatedRows' | 'updatedColumns' | 'updatedCells') =>
    responses.reduce((n, r) => n + (r[key] ?? 0), 0);
  const tabs = new Set(
    responses.filter((r) => (r.updatedCells ?? 0) > 0).map((r) => r.updatedRange.split('!')[0]),
  );
  return {
    totalUpdatedRows: total('updatedRows'),
    totalUpdatedColumns: total('updatedColumns'),
    totalUpdatedCells: total('updatedCells'),
    totalUpdatedSheets: tabs.size,
  };
}

function countCells(range: ValueRange): number {
  return (range.values ?? []).reduce((n, row) => n + row.length, 0);
}

/**
 * Runs `route` on `sheet`. Writes are all-or-nothing: a batch is applied to a draft and committed
 * only when every part succeeded.
 * @throws GoogleApiError for invalid ranges, options or bodies (rendered as Google's error JSON).
 */
export function answer(
  route: Route,
  sheet: Spreadsheet,
  url: URL,
  body: unknown,
  ctx: AnswerContext,
): unknown {
  const q = url.searchParams;
  switch (route.method) {
    case 'get': {
      const ranges = [...q.getAll('ranges'), ...q.getAll('ranges[]')];
      const resource = spreadsheetResource(sheet, q.get('fields'));
      if (ranges.length === 0 || !('sheets' in resource)) return resource;
      return { ...resource, sheets: sheetsForRanges(sheet, ranges, q.get('includeGridData') === 'true') };
    }
    case 'values.get': {
      const range = readValues(
        sheet,
        route.range,
        parseRender(q.get('valueRenderOption')),
        parseDimension(q.get('majorDimension')),
      );
      ctx.served(countCells(range));
      return range;
    }
    case 'values.batchGet': {
      const render = parseRender(q.get('valueRenderOption'));
      const dim = parseDimension(q.get('majorDimension'));
      const ranges = [...q.getAll('ranges'), ...q.getAll('ranges[]')];
      const valueRanges = ranges.map((r) => readValues(sheet, r, render, dim));
      for (const r of valueRanges) ctx.served(countCells(r));
      return { spreadsheetId: sheet.id, ...(ranges.length > 0 ? { valueRanges } : {}) };
    }
    case 'values.update': {
      const option = parseInputOption(q.get('valueInputOption'));
      const input = parseBody(ValueRangeInput, body);
      const draft = sheet.draft();
      const result = writeValues(draft, route.range, input, option);
      sheet.commit(draft);
      if (q.get('includeValuesInResponse') !== 'true') return result;
      return {
        ...result,
        updatedData: readValues(
          sheet,
          result.updatedRange,
          parseRender(q.get('responseValueRenderOption')),
          'ROWS',
        ),
      };
    }
    case 'values.append': {
      const option = parseInputOption(q.get('valueInputOption'));
      const insert = q.get('insertDataOption') ?? 'OVERWRITE';
      if (insert !== 'OVERWRITE' && insert !== 'INSERT_ROWS') {
        throw new GoogleApiError(
          400,
          `Invalid value at 'insert_data_option' (type.googleapis.com/google.apps.sheets.v4.InsertDataOption), "${insert}"`,
        );
      }
      const input = parseBody(ValueRangeInput, body);
      const draft = sheet.draft();
      const result = appendValues(draft, route.range, input, option, insert);
      sheet.commit(draft);
      return result;
    }
    case 'values.batchUpdate': {
      const input = parseBody(BatchValuesBody, body);
      const option = parseInputOption(input.valueInputOption);
      const draft = sheet.draft();
      const responses = input.data.map((d) => writeValues(draft, d.range, d, option));
      sheet.commit(draft);
      return { spreadsheetId: sheet.id, ...totals(responses), responses };
    }
    case 'values.clear': {
      const draft = sheet.draft();
      const result = clearValues(draft, route.range);
      sheet.commit(draft);
      return result;
    }
    case 'values.batchClear': {
      const input = parseBody(BatchClearBody, body);
      const draft = sheet.draft();
      const clearedRanges = input.ranges.map((r) => clearValues(draft, r).clearedRange);
      sheet.commit(draft);
      return { spreadsheetId: sheet.id, clearedRanges };
    }
    case 'values.batchGetByDataFilter': {
      const input = parseBody(BatchGetByFilterBody, body);
      const render = parseRender(input.valueRenderOption ?? null);
      const dim = parseDimension(input.majorDimension);
      const valueRanges = input.dataFilters.flatMap((raw, i) => {
        const filter = parseDataFilter(raw, `dataFilters[${i}]`);
        return filterRanges(sheet, filter, `dataFilters[${i}]`).map((r) => {
          const valueRange = readValues(sheet, r, render, dim);
          ctx.served(countCells(valueRange));
          return { valueRange, dataFilters: [filter] };
        });
      });
      return { spreadsheetId: sheet.id, ...(valueRanges.length > 0 ? { valueRanges } : {}) };
    }
    case 'values.batchUpdateByDataFilter': {
      const input = parseBody(BatchUpdateByFilterBody, body);
      const option = parseInputOption(input.valueInputOption);
      const draft = sheet.draft();
      // "If more than one range is matched by the specified DataFilter the specified values are applied
      // to all of those ranges" (reference: spreadsheets.values/batchUpdateByDataFilter).
      const responses = input.data.flatMap((d, i) => {
        const filter = parseDataFilter(d.dataFilter, `data[${i}].dataFilter`);
        return filterRanges(draft, filter, `data[${i}].dataFilter`).map((r) => ({
          ...writeValues(draft, r, d, option),
          dataFilter: filter,
        }));
      });
      sheet.commit(draft);
      return {
        spreadsheetId: sheet.id,
        ...totals(responses),
        responses: responses.map(({ spreadsheetId: _, ...r }) => r),
      };
    }
    case 'developerMetadata.search':
      return searchMetadata(sheet, parseBody(SearchBody, body).dataFilters);
    case 'developerMetadata.get': {
      const id = Number(route.metadataId);
      const found = allMetadata(sheet).find(({ m }) => m.metadataId === id);
      const onSheet = sheet.metadata.find((m) => m.metadataId === id);
      if (onSheet) return spreadsheetMetadataResource(onSheet);
      if (!found) throw notFound();
      return metadataResource(found.tab, found.m);
    }
    case 'batchUpdate': {
      const input = parseBody(BatchUpdateBody, body);
      // A bad response range fails the request before any of it is applied.
      sheetsForRanges(sheet, input.responseRanges ?? [], false);
      const replies = batchUpdate(sheet, input.requests, ctx.nextSheetId);
      // The spreadsheet as the batch left it (the batch is atomic, so nothing else happened between).
      const ranges = input.responseRanges ?? [];
      const updated = () => ({
        ...spreadsheetResource(sheet, null),
        ...(ranges.length > 0
          ? { sheets: sheetsForRanges(sheet, ranges, input.responseIncludeGridData === true) }
          : {}),
      });
      return {
        spreadsheetId: sheet.id,
        replies,
        ...(input.includeSpreadsheetInResponse ? { updatedSpreadsheet: updated() } : {}),
      };
    }
  }
}
