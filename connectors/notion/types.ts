// The Notion connector's public shapes: options, inputs and what its methods return.
import type { QueryDataSourceParameters } from '@notionhq/client';
import type { Logger } from '../../src/log.ts';
import type { RateLimit, ServicePolicyOptions } from '../core/index.ts';
import type { NotionHints } from './failures.ts';
import type { PropertyConfig } from './schema.ts';

export interface NotionClientOptions {
  /** The internal integration secret (NOTION_TOKEN). */
  token: string;
  /** The rich_text property that holds Baton's idempotency key (default 'Baton key'). */
  keyProperty?: string;
  /** Request budget; Notion's documented average of 3 requests per second by default. */
  limit?: RateLimit;
  /** Retry and breaker tuning (tests pass small delays). */
  policy?: Partial<
    Pick<ServicePolicyOptions, 'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs'>
  >;
  /** The longest Retry-After Baton honours in one wait (default 60 s). */
  maxRetryAfterMs?: number;
  /** Per-request timeout (default 60 s). */
  timeoutMs?: number;
  /** Setting names to mention in errors (NOTION_TOKEN, the database variable). */
  configHints?: NotionHints;
  /** Another origin for the API (a local sandbox server); Notion's by default. */
  baseUrl?: string;
  /** The largest file `uploadFile` sends (default 5 MiB, a Free workspace's limit). */
  maxUploadBytes?: number;
  log?: Logger;
}

/** A value for a property, typed by the property: text, number, flag, option names, page ids, date. */
export type PropertyInput = string | number | boolean | Date | string[] | null;

/** A property value as Baton reads it back. */
export type PropertyValue = string | number | boolean | string[] | null;

/** A data source as the connector knows it: its id, database and writable schema. */
export interface DataSourceInfo {
  id: string;
  databaseId: string | undefined;
  name: string;
  /** Property name → configuration. */
  properties: Map<string, PropertyConfig>;
}

export interface CreatePageInput {
  /** A database id or URL as copied from Notion (with or without dashes), or a data source id. */
  dataSource: string;
  /** Property name → value, checked against the data source's schema. */
  properties: Record<string, PropertyInput | undefined>;
  /** The page body as Markdown (GitHub flavoured); converted to blocks and split to Notion's limits. */
  markdown?: string;
  /** Stored in the key property; a page with this key is found and completed instead of created again. */
  idempotencyKey: string;
}

export interface CreatedPage {
  pageId: string;
  url: string;
  /** False when a page with this key already existed (it was completed if its body was cut short). */
  created: boolean;
  /** Top-level blocks of the body. */
  blocks: number;
}

export interface NotionPage {
  id: string;
  url: string;
  createdTime: string;
  lastEditedTime: string;
  properties: Record<string, PropertyValue>;
}

/** What `queryPages` looks for; all parts must hold. */
export interface PageFilter {
  /** Properties that must equal these values (multi_select and relation: contain every item). */
  where?: Record<string, PropertyInput>;
  /** Pages created on or after this moment (Notion records creation to the minute). */
  createdOnOrAfter?: Date | string;
  /** Any Notion filter object, for what `where` cannot say. */
  notionFilter?: QueryDataSourceParameters['filter'];
  sorts?: QueryDataSourceParameters['sorts'];
  /** Stop after this many pages (default: all). */
  limit?: number;
}
