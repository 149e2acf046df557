// SheetsClient: the one gate to the Sheets API (rate budgets, retries, clear errors); always writes RAW.
import { sheets, type sheets_v4 } from '@googleapis/sheets';
import type { OAuth2Client } from 'google-auth-library';
import { z } from 'zod';
import type { Logger } from '../../src/log.ts';
import {
  type RateLimit,
  ServiceError,
  ServicePausedError,
  ServicePolicy,
  type ServicePolicyOptions,
} from '../core/index.ts';
import { GoogleSignInError } from '../google/index.ts';
import { cellRange, quoteTab, tabOfRange } from './a1.ts';
import { type ConfigHints, classifySheetsError, describeSheetsError, tabNotFound } from './errors.ts';
import { Header } from './row.ts';

export interface SheetsClientOptions {
  /** From `createGoogleAuth(credentials, [GOOGLE_SCOPES.sheets])`. */
  auth: OAuth2Client;
  log?: Logger;
  /** Request budgets; Google's documented per-user quotas (60 reads and 60 writes a minute) by default. */
  limits?: { read?: RateLimit; write?: RateLimit };
  /** Retry and breaker tuning (tests pass small delays). */
  policy?: Partial<
    Pick<
      ServicePolicyOptions,
      'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs' | 'sharedLimiter'
    >
  >;
  /** Setting names to mention when the spreadsheet or tab is wrong (e.g. PITCH_SHEET_ID). */
  configHints?: ConfigHints;
  /** The account to share sheets with, named in 403 errors; a service account's own email by default. */
  shareWith?: string;
  /** Another origin for the API (a local sandbox server); Google's by default. */
  rootUrl?: string;
}

export interface TabInfo {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
}

/** Values of one range as the API echoed it (`range` has open ends resolved to the grid). */
export interface RangeValues {
  range: string;
  values: string[][];
}

const Cell = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const ValueRange = z.object({ range: z.string(), values: z.array(z.array(Cell)).optional() });
const BatchGet = z.object({ valueRanges: z.array(ValueRange).optional() });
const SheetList = z.object({
  sheets: z
    .array(
      z.object({
        properties: z.object({
          sheetId: z.number().default(0),
          title: z.string(),
          index: z.number().default(0),
          gridProperties: z
            .object({ rowCount: z.number().default(0), columnCount: z.number().default(0) })
            .default({
              rowCount: 0,
              columnCount: 0,
            }),
        }),
      }),
    )
    .default([]),
});

const ByFilterRead = z.object({
  valueRanges: z
    .array(
      z.object({
        valueRange: ValueRange,
        dataFilters: z
          .array(
            z.object({
              a1Range: z.string().optional(),
              developerMetadataLookup: z.object({ metadataValue: z.string().optional() }).optional(),
            }),
          )
          .default([]),
      }),
    )
    .optional(),
});
const ByFilterWrite = z.object({
  responses: z
    .array(
      z.object({
        updatedRange: z.string().optional(),
        dataFilter: z
          .object({ developerMetadataLookup: z.object({ metadataValue: z.string().optional() }).optional() })
          .optional(),
      }),
    )
    .optional(),
});

const TagSearch = z.object({
  matchedDeveloperMetadata: z
    .array(
      z.object({
        developerMetadata: z.object({
          metadataValue: z.string().optional(),
          location: z
            .object({
              dimensionRange: z
                .object({ sheetId: z.number().optional(), startIndex: z.number().optional() })
                .optional(),
            })
            .optional(),
        }),
      }),
    )
    .optional(),
});

const SheetMetadataSearch = z.object({
  matchedDeveloperMetadata: z
    .array(
      z.object({
        developerMetadata: z.object({
          metadataId: z.number(),
          metadataValue: z.string().optional(),
          location: z.object({ spreadsheet: z.boolean().optional() }).optional(),
        }),
      }),
    )
    .optional(),
});
/** The part of a batchUpdate's `updatedSpreadsheet` (with grid data) that a tag's read-back uses. */
const UpdatedGrid = z.object({
  updatedSpreadsheet: z.object({
    sheets: z
      .array(
        z.object({
          properties: z.object({ title: z.string() }),
          data: z
            .array(
              z.object({
                startRow: z.number().int().default(0),
                startColumn: z.number().int().default(0),
                rowData: z
                  .array(
                    z.object({
                      values: z.array(z.object({ formattedValue: z.string().optional() })).default([]),
                    }),
                  )
                  .default([]),
              }),
            )
            .default([]),
        }),
      )
      .default([]),
  }),
});
type GridSheets = z.infer<typeof UpdatedGrid>['updatedSpreadsheet']['sheets'];

/**
 * The formatted values of the grid data answering A1 `range` (`'Tab'!N:M`: found by its tab and first
 * row; Google groups grid data by tab, so the request's order is not relied on). Rows as `values.get`
 * gives them: trailing empty cells dropped.
 */
function gridValues(sheets: GridSheets, range: string): string[][] {
  const bang = range.lastIndexOf('!');
  const quoted = range.slice(0, bang);
  const title = quoted.startsWith("'") ? quoted.slice(1, -1).replaceAll("''", "'") : quoted;
  const firstRow = Number(/^[A-Z]*(\d+)/.exec(range.slice(bang + 1))?.[1] ?? 1);
  const data = sheets
    .find((s) => s.properties.title === title)
    ?.data.find((d) => d.startRow === firstRow - 1);
  return (data?.rowData ?? []).map((row) => {
    const cells = row.values.map((c) => c.formattedValue ?? '');
    while (cells.length > 0 && cells[cells.length - 1] === '') cells.pop();
    return cells;
  });
}

const MetadataReplies = z.object({
  replies: z
    .array(
      z.object({
        createDeveloperMetadata: z
          .object({ developerMetadata: z.object({ metadataId: z.number() }) })
          .optional(),
        updateDeveloperMetadata: z.object({ developerMetadata: z.array(z.unknown()).default([]) }).optional(),
      }),
    )
    .default([]),
});

/** Spreadsheet-level developer metadata: its id and value. */
export interface SheetMetadata {
  metadataId: number;
  value: string;
}

/** What a read by row tags returned: the plain ranges in order, and each tag's rows. */
export interface TaggedRead {
  ranges: RangeValues[];
  tagged: Map<string, RangeValues[]>;
}

const toRangeValues = (r: z.infer<typeof ValueRange>): RangeValues => ({
  range: r.range,
  values: r.values ?? [],
});

/**
 * Google Sheets through @googleapis/sheets with one ServicePolicy ('sheets': `read` and `write`
 * budgets, retries with backoff on 429/5xx/network, circuit breaker). The SDK's own retries are off
 * (`retry: false`), so each retry is counted once, here. Every write uses `valueInputOption: 'RAW'`:
 * text from users or a model is stored as text, never run as a formula.
 *
 * Every method throws: AuthError (401/403, with the fix), NotFoundError (unknown spreadsheet or tab,
 * naming the setting to check), ServicePausedError while the breaker is open, ServiceError otherwise.
 */
export class SheetsClient {
  readonly policy: ServicePolicy;
  readonly #api: sheets_v4.Sheets;
  readonly #hints: ConfigHints;
  readonly #shareWith: string | undefined;

  constructor(options: SheetsClientOptions) {
    this.#api = sheets({
      version: 'v4',
      auth: options.auth,
      retry: false,
      ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
    });
    this.#hints = options.configHints ?? {};
    const email = (options.auth as { email?: unknown }).email;
    this.#shareWith = options.shareWith ?? (typeof email === 'string' ? email : undefined);
    this.policy = new ServicePolicy({
      service: 'sheets',
      limits: {
        read: options.limits?.read ?? { limit: 60, intervalMs: 60_000 },
        write: options.limits?.write ?? { limit: 60, intervalMs: 60_000 },
      },
      classify: classifySheetsError,
      // Google counts the per-minute quotas per user: a shared limiter counts per signed-in account.
      ...(typeof email === 'string' ? { limitScope: email } : {}),
      ...options.policy,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** True while the breaker is open after repeated failures. */
  get paused(): boolean {
    return this.policy.paused;
  }

  /** The spreadsheet's tabs with their grid sizes (one read). */
  async tabs(spreadsheetId: string): Promise<TabInfo[]> {
    const data = await this.#call('read the spreadsheet', 'read', { spreadsheetId }, async () => {
      const res = await this.#api.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties' });
      return SheetList.parse(res.data);
    });
    return data.sheets.map(({ properties: p }) => ({
      sheetId: p.sheetId,
      title: p.title,
      index: p.index,
      rowCount: p.gridProperties.rowCount,
      columnCount: p.gridProperties.columnCount,
    }));
  }

  /** One tab by title (case-insensitive). @throws NotFoundError naming the tab setting when absent. */
  async tab(spreadsheetId: string, title: string): Promise<TabInfo> {
    const all = await this.tabs(spreadsheetId);
    const found =
      all.find((t) => t.title === title) ?? all.find((t) => t.title.toLowerCase() === title.toLowerCase());
    if (found) return found;
    throw tabNotFound(title, spreadsheetId, this.#hints);
  }

  /** Values of one range (trailing empties left out by the API). */
  async read(spreadsheetId: string, range: string): Promise<RangeValues> {
    return this.#call(`read ${range}`, 'read', { spreadsheetId, range }, async () => {
      const res = await this.#api.spreadsheets.values.get({ spreadsheetId, range });
      return toRangeValues(ValueRange.parse(res.data));
    });
  }

  /** Several ranges in one request, in the order asked. */
  async readMany(spreadsheetId: string, ranges: string[]): Promise<RangeValues[]> {
    if (ranges.length === 0) return [];
    return this.#call(
      `read ${ranges.length} ranges`,
      'read',
      { spreadsheetId, range: ranges[0] },
      async () => {
        const res = await this.#api.spreadsheets.values.batchGet({ spreadsheetId, ranges });
        const parsed = BatchGet.parse(res.data).valueRanges ?? [];
        return parsed.map(toRangeValues);
      },
    );
  }

  /** Writes values (as text, RAW) into `range`. Idempotent. */
  async write(spreadsheetId: string, range: string, values: string[][]): Promise<void> {
    await this.#call(`write ${range}`, 'write', { spreadsheetId, range }, () =>
      this.#api.spreadsheets.values.update({
        spreadsheetId,
        range,
        valueInputOption: 'RAW',
        requestBody: { values },
      }),
    );
  }

  /** Writes several ranges (as text, RAW) in one atomic request. Idempotent. */
  async writeMany(spreadsheetId: string, data: { range: string; values: string[][] }[]): Promise<void> {
    if (data.length === 0) return;
    await this.#call(`write ${data.length} ranges`, 'write', { spreadsheetId, range: data[0]?.range }, () =>
      this.#api.spreadsheets.values.batchUpdate({
        spreadsheetId,
        requestBody: { valueInputOption: 'RAW', data },
      }),
    );
  }

  /**
   * Tags rows (1-based `rowNumber`) with developer metadata `key` = `value` (one request). The tag stays
   * with its row when rows are inserted, deleted, moved or sorted, and goes when the row is deleted.
   * The same request reads the whole-row A1 ranges `readBack` (`'Tab'!N:M`) as the atomic batch left
   * them (the response's spreadsheet: `includeSpreadsheetInResponse`, `responseRanges`, grid data), so
   * no read quota is spent. Returns each readBack range's formatted values, in the order asked.
   */
  async tagRows(
    spreadsheetId: string,
    sheetId: number,
    key: string,
    rows: { rowNumber: number; value: string }[],
    readBack: string[] = [],
  ): Promise<string[][][]> {
    if (rows.length === 0) return readBack.map(() => []);
    const updated = await this.#call(`tag ${rows.length} rows`, 'write', { spreadsheetId }, async () => {
      const res = await this.#api.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: rows.map((r) => ({
            createDeveloperMetadata: {
              developerMetadata: {
                metadataKey: key,
                metadataValue: r.value,
                visibility: 'DOCUMENT',
                location: {
                  dimensionRange: {
                    sheetId,
                    dimension: 'ROWS',
                    startIndex: r.rowNumber - 1,
                    endIndex: r.rowNumber,
                  },
                },
              },
            },
          })),
          ...(readBack.length > 0
            ? { includeSpreadsheetInResponse: true, responseRanges: readBack, responseIncludeGridData: true }
            : {}),
        },
      });
      return readBack.length > 0 ? UpdatedGrid.parse(res.data).updatedSpreadsheet.sheets : [];
    });
    return readBack.map((range) => gridValues(updated, range));
  }

  /** Every row tag with metadata key `key` in the spreadsheet: its value, tab and row (one read). */
  async searchTags(
    spreadsheetId: string,
    key: string,
  ): Promise<{ value: string; sheetId: number; rowNumber: number }[]> {
    const found = await this.#call('search row tags', 'read', { spreadsheetId }, async () => {
      const res = await this.#api.spreadsheets.developerMetadata.search({
        spreadsheetId,
        requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: key } }] },
      });
      return TagSearch.parse(res.data).matchedDeveloperMetadata ?? [];
    });
    return found.flatMap(({ developerMetadata: m }) => {
      const range = m.location?.dimensionRange;
      if (m.metadataValue === undefined || range?.startIndex === undefined) return [];
      return [{ value: m.metadataValue, sheetId: range.sheetId ?? 0, rowNumber: range.startIndex + 1 }];
    });
  }

  /** Spreadsheet-level developer metadata with key `key` (not row tags), any project's (one read). */
  async sheetMetadata(spreadsheetId: string, key: string): Promise<SheetMetadata[]> {
    const found = await this.#call('search spreadsheet metadata', 'read', { spreadsheetId }, async () => {
      const res = await this.#api.spreadsheets.developerMetadata.search({
        spreadsheetId,
        requestBody: {
          dataFilters: [{ developerMetadataLookup: { metadataKey: key, locationType: 'SPREADSHEET' } }],
        },
      });
      return SheetMetadataSearch.parse(res.data).matchedDeveloperMetadata ?? [];
    });
    return found.flatMap(({ developerMetadata: m }) =>
      m.location?.spreadsheet && m.metadataValue !== undefined
        ? [{ metadataId: m.metadataId, value: m.metadataValue }]
        : [],
    );
  }

  /**
   * Removes the spreadsheet metadata `remove` (ids; gone ones are ignored) and adds `key` = `value`
   * on the spreadsheet (DOCUMENT visibility: every project with access sees it), in one atomic
   * request. Returns the new metadata's id.
   */
  async replaceSheetMetadata(
    spreadsheetId: string,
    key: string,
    value: string,
    remove: number[],
  ): Promise<number> {
    const replies = await this.#call('write spreadsheet metadata', 'write', { spreadsheetId }, async () => {
      const res = await this.#api.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: [
            ...remove.map((metadataId) => ({
              deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataId } } },
            })),
            {
              createDeveloperMetadata: {
                developerMetadata: {
                  metadataKey: key,
                  metadataValue: value,
                  visibility: 'DOCUMENT',
                  location: { spreadsheet: true },
                },
              },
            },
          ],
        },
      });
      return MetadataReplies.parse(res.data).replies;
    });
    const created = replies.at(-1)?.createDeveloperMetadata?.developerMetadata.metadataId;
    if (created === undefined) {
      throw new ServiceError('sheets', 'Sheets did not return the id of the metadata it created', {
        hint: 'nothing to do: the next start tries again',
      });
    }
    return created;
  }

  /** Sets the value of metadata `metadataId` (one write); false when it no longer exists. */
  async updateSheetMetadata(spreadsheetId: string, metadataId: number, value: string): Promise<boolean> {
    const replies = await this.#call('update spreadsheet metadata', 'write', { spreadsheetId }, async () => {
      const res = await this.#api.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: [
            {
              updateDeveloperMetadata: {
                dataFilters: [{ developerMetadataLookup: { metadataId } }],
                developerMetadata: { metadataValue: value },
                fields: 'metadataValue',
              },
            },
          ],
        },
      });
      return MetadataReplies.parse(res.data).replies;
    });
    return (replies[0]?.updateDeveloperMetadata?.developerMetadata.length ?? 0) > 0;
  }

  /** Removes metadata by id (one write); ids already gone are ignored. */
  async deleteSheetMetadata(spreadsheetId: string, ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.#call('delete spreadsheet metadata', 'write', { spreadsheetId }, () =>
      this.#api.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: ids.map((metadataId) => ({
            deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataId } } },
          })),
        },
      }),
    );
  }

  /** Removes the row tags `key` = each of `values` (one request). Idempotent. */
  async untagRows(spreadsheetId: string, key: string, values: string[]): Promise<void> {
    if (values.length === 0) return;
    await this.#call(`untag ${values.length} rows`, 'write', { spreadsheetId }, () =>
      this.#api.spreadsheets.batchUpdate({
        spreadsheetId,
        requestBody: {
          requests: values.map((value) => ({
            deleteDeveloperMetadata: {
              dataFilter: { developerMetadataLookup: { metadataKey: key, metadataValue: value } },
            },
          })),
        },
      }),
    );
  }

  /**
   * One read of the A1 `ranges` and of the rows tagged `key` = each of `values`, wherever they are
   * now (the echoed range of a tagged row tells its current number). Untagged values are left out.
   */
  async readTagged(
    spreadsheetId: string,
    ranges: string[],
    key: string,
    values: string[],
  ): Promise<TaggedRead> {
    const data = await this.#call(
      `read ${values.length} tagged rows`,
      'read',
      { spreadsheetId, range: ranges[0] },
      async () => {
        const res = await this.#api.spreadsheets.values.batchGetByDataFilter({
          spreadsheetId,
          requestBody: {
            dataFilters: [
              ...ranges.map((a1Range) => ({ a1Range })),
              ...values.map((metadataValue) => ({
                developerMetadataLookup: { metadataKey: key, metadataValue },
              })),
            ],
          },
        });
        return ByFilterRead.parse(res.data).valueRanges ?? [];
      },
    );
    const out: TaggedRead = { ranges: ranges.map((range) => ({ range, values: [] })), tagged: new Map() };
    for (const match of data) {
      const filter = match.dataFilters[0];
      const value = filter?.developerMetadataLookup?.metadataValue;
      const at = filter?.a1Range === undefined ? -1 : ranges.indexOf(filter.a1Range);
      if (at >= 0) out.ranges[at] = toRangeValues(match.valueRange);
      else if (value !== undefined)
        out.tagged.set(value, [...(out.tagged.get(value) ?? []), toRangeValues(match.valueRange)]);
    }
    return out;
  }

  /**
   * Writes (as text, RAW) into the rows tagged `key` = `value`, in one atomic request; a null leaves a
   * cell as it is. Returns, per value written, the range updated (values tagging no row are absent).
   */
  async writeTagged(
    spreadsheetId: string,
    key: string,
    data: { value: string; values: (string | null)[][] }[],
  ): Promise<Map<string, string>> {
    const written = new Map<string, string>();
    if (data.length === 0) return written;
    const responses = await this.#call(
      `write ${data.length} tagged rows`,
      'write',
      { spreadsheetId },
      async () => {
        const res = await this.#api.spreadsheets.values.batchUpdateByDataFilter({
          spreadsheetId,
          requestBody: {
            valueInputOption: 'RAW',
            data: data.map((d) => ({
              dataFilter: { developerMetadataLookup: { metadataKey: key, metadataValue: d.value } },
              values: d.values,
            })),
          },
        });
        return ByFilterWrite.parse(res.data).responses ?? [];
      },
    );
    for (const r of responses) {
      const value = r.dataFilter?.developerMetadataLookup?.metadataValue;
      if (value !== undefined && r.updatedRange) written.set(value, r.updatedRange);
    }
    return written;
  }

  /**
   * Adds rows (as text, RAW) after the table in `range`, inserting new grid rows.
   * Not idempotent: a retried append after a lost answer can add the rows twice.
   */
  async append(spreadsheetId: string, range: string, rows: string[][]): Promise<{ updatedRange?: string }> {
    return this.#call(`append to ${range}`, 'write', { spreadsheetId, range }, async () => {
      const res = await this.#api.spreadsheets.values.append({
        spreadsheetId,
        range,
        valueInputOption: 'RAW',
        insertDataOption: 'INSERT_ROWS',
        requestBody: { values: rows },
      });
      const updated = res.data.updates?.updatedRange;
      return updated ? { updatedRange: updated } : {};
    });
  }

  /**
   * Makes sure the header row (row 1) of `tab` has every column in `names`, adding the missing ones
   * after the last named column (and widening the grid when it is full). Returns the header row.
   * Idempotent: names already there (compared case-insensitively) are left alone.
   */
  async ensureHeaders(spreadsheetId: string, tab: string, names: string[]): Promise<string[]> {
    const current = (await this.read(spreadsheetId, `${quoteTab(tab)}!1:1`)).values[0] ?? [];
    const header = new Header(current);
    const missing = names.filter((n, i) => header.index(n) === undefined && names.indexOf(n) === i);
    if (missing.length === 0) return current;
    let end = current.length;
    while (end > 0 && (current[end - 1] ?? '').trim() === '') end--;
    const info = await this.tab(spreadsheetId, tab);
    const needed = end + missing.length - info.columnCount;
    if (needed > 0) {
      await this.#call('add columns', 'write', { spreadsheetId, range: tab }, () =>
        this.#api.spreadsheets.batchUpdate({
          spreadsheetId,
          requestBody: {
            requests: [{ appendDimension: { sheetId: info.sheetId, dimension: 'COLUMNS', length: needed } }],
          },
        }),
      );
    }
    await this.write(spreadsheetId, cellRange(tab, 1, end), [missing]);
    const updated = current.slice(0, end);
    updated.push(...missing);
    return updated;
  }

  async #call<T>(
    operation: string,
    budget: 'read' | 'write',
    where: { spreadsheetId: string; range?: string | undefined },
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await this.policy.call(operation, fn, budget);
    } catch (err) {
      // Paused, or Google refused the sign-in itself (GoogleSignInError already says what to do).
      if (err instanceof ServicePausedError || err instanceof GoogleSignInError) throw err;
      const raw =
        err instanceof Error && err.cause !== undefined && err.name === 'ServiceError' ? err.cause : err;
      const tab = where.range ? (tabOfRange(where.range) ?? where.range) : undefined;
      throw describeSheetsError(raw, {
        operation,
        spreadsheetId: where.spreadsheetId,
        hints: this.#hints,
        ...(tab !== undefined ? { tab } : {}),
        ...(this.#shareWith ? { shareWith: this.#shareWith } : {}),
      });
    }
  }
}
