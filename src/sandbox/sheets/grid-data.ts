// The spreadsheet resource with grid data, as spreadsheets.get (`ranges`, `includeGridData`) and a
// batchUpdate (`responseRanges`, `responseIncludeGridData`) return it: only the tabs the ranges are
// on, each with one GridData per range (reference: spreadsheets#GridData, CellData).
import type { Spreadsheet } from './grid.ts';
import { metadataIn, metadataResource } from './metadata.ts';
import { type ResolvedRange, resolveRange } from './ranges.ts';
import { sheetProperties } from './structure.ts';

/** An ExtendedValue: what the emulator stores is text, so a number is a numeral that reads back the same. */
function extendedValue(text: string): Record<string, string | number | boolean> {
  if (/^-?\d+(\.\d+)?$/.test(text) && String(Number(text)) === text) return { numberValue: Number(text) };
  if (text === 'TRUE' || text === 'FALSE') return { boolValue: text === 'TRUE' };
  return { stringValue: text };
}

/** GridData of one range: rows and cells past the last non-empty one are left out, empty cells are `{}`. */
function gridData(r: ResolvedRange) {
  const shown = r.tab.read(r.r1, r.c1, r.r2, r.c2, 'FORMATTED_VALUE');
  const effective = r.tab.read(r.r1, r.c1, r.r2, r.c2, 'UNFORMATTED_VALUE');
  const entered = r.tab.read(r.r1, r.c1, r.r2, r.c2, 'FORMULA');
  const rowData = shown.map((line, i) =>
    line.length === 0
      ? {}
      : {
          values: line.map((formatted, j) => {
            if (formatted === '' && (entered[i]?.[j] ?? '') === '') return {};
            const typed = entered[i]?.[j] ?? '';
            return {
              userEnteredValue: typed.startsWith('=') ? { formulaValue: typed } : extendedValue(typed),
              effectiveValue: extendedValue(effective[i]?.[j] ?? ''),
              formattedValue: formatted,
            };
          }),
        },
  );
  const tags = metadataIn(r);
  const rowMetadata = Array.from({ length: r.r2 - r.r1 + 1 }, (_, i) => {
    const index = r.r1 - 1 + i;
    const here = tags
      .filter(({ m }) => m.start <= index && m.end > index)
      .map(({ tab, m }) => metadataResource(tab, m));
    return { pixelSize: 21, ...(here.length > 0 ? { developerMetadata: here } : {}) };
  });
  return {
    // Zero is proto3's default and is left out of the JSON, as Google does.
    ...(r.r1 > 1 ? { startRow: r.r1 - 1 } : {}),
    ...(r.c1 > 0 ? { startColumn: r.c1 } : {}),
    rowData,
    rowMetadata,
    columnMetadata: Array.from({ length: r.c2 - r.c1 + 1 }, () => ({ pixelSize: 100 })),
  };
}

/**
 * `sheets` of the spreadsheet resource for `ranges`: the tabs they are on, in the spreadsheet's order,
 * each with its ranges' grid data (or without it, when `withGridData` is false).
 * @throws GoogleApiError 400 for a range that does not parse or names no tab
 */
export function sheetsForRanges(sheet: Spreadsheet, ranges: string[], withGridData: boolean) {
  const resolved = ranges.map((range) => resolveRange(sheet, range));
  return sheet.tabs.flatMap((tab, index) => {
    const mine = resolved.filter((r) => r.tab === tab);
    if (mine.length === 0) return [];
    return [
      { properties: sheetProperties(tab, index), ...(withGridData ? { data: mine.map(gridData) } : {}) },
    ];
  });
}
