// The shapes the Airtable connector works with: a table reference, a record, a listing query, options.
import type { Logger } from '../../src/log.ts';
import type { RateLimit, ServicePolicyOptions } from '../core/index.ts';

/** A table of a base, by id (`tbl…`, recommended: survives renames) or by exact name. */
export interface TableRef {
  base: string;
  table: string;
}

/** A record as the API returns it; empty cells are absent from `fields`. */
export interface AirtableRecord {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
}

export interface SortSpec {
  field: string;
  direction?: 'asc' | 'desc';
}

/** What to list. Airtable does the filtering: ask for only what is needed. */
export interface ListQuery {
  view?: string;
  filterByFormula?: string;
  /** Only these fields (all when absent). */
  fields?: string[];
  sort?: SortSpec[];
  /** Records per page, 1–100 (default 100). */
  pageSize?: number;
  /** At most this many records over all pages. */
  maxRecords?: number;
}

export interface RecordPage {
  records: AirtableRecord[];
  /** Present when there is another page; valid for a limited time only. */
  offset?: string;
}

/** Names of the settings to mention in a fix, e.g. `{ base: 'LEADS_BASE_ID', table: 'LEADS_TABLE' }`. */
export interface AirtableConfigHints {
  token?: string;
  base?: string;
  table?: string;
}

export interface AirtableClientOptions {
  /** A personal access token with data.records:read and data.records:write on the base. */
  token: string;
  /** Another origin for the API (a local sandbox server); https://api.airtable.com by default. */
  endpointUrl?: string;
  log?: Logger;
  /** Requests per base (default 5 per 1.2 s, just under Airtable's 5 per second). */
  perBase?: RateLimit;
  /** The wait after a 429 before trying again (Airtable: 30 s); tests pass a few ms. */
  rateLimitedDelayMs?: number;
  /** How long one request may take before it counts as a network failure (default 60 s). */
  requestTimeoutMs?: number;
  /** Retry and breaker tuning (tests pass small delays). */
  policy?: Partial<
    Pick<
      ServicePolicyOptions,
      'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs' | 'sharedLimiter'
    >
  >;
  configHints?: AirtableConfigHints;
  /**
   * Told of every request as it goes out, retries included (Airtable counts every request it
   * receives against the workspace's monthly calls): an AirtableCallBudget.
   */
  budget?: AirtableCallCounter;
}

/** Counts requests sent to a base (see AirtableCallBudget). */
export interface AirtableCallCounter {
  count(base: string): void;
}

/** The result of an upsert: every record written, and which of them were created or updated. */
export interface UpsertResult {
  records: AirtableRecord[];
  created: string[];
  updated: string[];
}
