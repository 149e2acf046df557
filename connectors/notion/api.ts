// The Notion requests the connector makes: @notionhq/client calls behind one ServicePolicy, answers checked by zod.
import type {
  Client,
  CreatePageParameters,
  QueryDataSourceParameters,
  UpdateDataSourceParameters,
} from '@notionhq/client';
import type { z } from 'zod';
import { silentLogger } from '../../src/log.ts';
import { ServicePolicy } from '../core/index.ts';
import { classifyNotion, describeNotion } from './failures.ts';
import type { BlockRequest } from './markdown.ts';
import {
  BlockListSchema,
  DatabaseSchema,
  DataSourceSchema,
  FileUploadSchema,
  PageListSchema,
  PageSchema,
  parse,
  type RawPage,
  RelationItemListSchema,
} from './schema.ts';
import { notionSdk } from './sdk.ts';
import type { NotionClientOptions } from './types.ts';

/** The API version whose data model (databases holding data sources) the connector speaks. */
export const NOTION_VERSION = '2025-09-03';

type Children = NonNullable<CreatePageParameters['children']>;
type Properties = NonNullable<CreatePageParameters['properties']>;

/**
 * One method per request. The SDK's own retries are off (`retry: false`): the policy retries 429
 * (honouring Retry-After), 5xx, 409 and dropped connections once each, and counts them. The SDK is
 * handed a `fetch` that looks up the global one on every call, so it works whenever it was built
 * (msw in tests and the sandbox bridge patch the global after start-up).
 */
export class NotionApi {
  readonly policy: ServicePolicy;
  readonly #sdk: Client;

  constructor(options: NotionClientOptions) {
    const log = (options.log ?? silentLogger).child({ service: 'notion' });
    const sdk = notionSdk();
    this.#sdk = new sdk.Client({
      auth: options.token,
      notionVersion: NOTION_VERSION,
      retry: false,
      timeoutMs: options.timeoutMs ?? 60_000,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      fetch: (url, init) => globalThis.fetch(url, init),
      logLevel: sdk.LogLevel.WARN,
      logger: (level, message, extra) => log.debug({ level, ...extra }, `notion sdk: ${message}`),
    });
    const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.policy = new ServicePolicy({
      service: 'notion',
      limits: { request: options.limit ?? { limit: 3, intervalMs: 1000 } },
      classify: (err) => classifyNotion(err, maxRetryAfterMs),
      describe: (err, operation) => describeNotion(err, operation, options.configHints),
      ...options.policy,
      log,
    });
  }

  retrieveDatabase(databaseId: string, operation: string) {
    return this.#call(
      operation,
      () => this.#sdk.databases.retrieve({ database_id: databaseId }),
      DatabaseSchema,
    );
  }

  retrieveDataSource(dataSourceId: string, operation: string) {
    return this.#call(
      operation,
      () => this.#sdk.dataSources.retrieve({ data_source_id: dataSourceId }),
      DataSourceSchema,
    );
  }

  /**
   * Changes the data source's schema (`PATCH /v1/data_sources/{id}`): each entry adds, changes,
   * renames (`{ name }`) or removes (`null`) a property. Repeating the same change changes nothing more.
   */
  updateDataSource(dataSourceId: string, properties: Record<string, unknown>, operation: string) {
    return this.#call(
      operation,
      () =>
        this.#sdk.dataSources.update({
          data_source_id: dataSourceId,
          properties: properties as UpdateDataSourceParameters['properties'],
        }),
      DataSourceSchema,
    );
  }

  /** One page of a data source query. */
  query(params: QueryDataSourceParameters, operation: string) {
    return this.#call(operation, () => this.#sdk.dataSources.query(params), PageListSchema);
  }

  retrievePage(pageId: string, operation: string): Promise<RawPage> {
    return this.#call(operation, () => this.#sdk.pages.retrieve({ page_id: pageId }), PageSchema);
  }

  /** One page (up to 100) of a relation property's references, from the property-item endpoint. */
  relationItems(pageId: string, propertyId: string, startCursor: string | undefined, operation: string) {
    return this.#call(
      operation,
      () =>
        this.#sdk.pages.properties.retrieve({
          page_id: pageId,
          property_id: propertyId,
          page_size: 100,
          ...(startCursor ? { start_cursor: startCursor } : {}),
        }),
      RelationItemListSchema,
    );
  }

  updatePage(pageId: string, properties: Record<string, unknown>, operation: string): Promise<RawPage> {
    return this.#call(
      operation,
      () => this.#sdk.pages.update({ page_id: pageId, properties: properties as Properties }),
      PageSchema,
    );
  }

  /** One page of a block's (or page's) children. */
  listChildren(blockId: string, startCursor: string | undefined, operation: string) {
    return this.#call(
      operation,
      () =>
        this.#sdk.blocks.children.list({
          block_id: blockId,
          page_size: 100,
          ...(startCursor ? { start_cursor: startCursor } : {}),
        }),
      BlockListSchema,
    );
  }

  /**
   * A write Notion cannot deduplicate, under the policy. `alreadyDone` runs before every retry (never
   * before the first attempt), so an attempt whose answer was lost is found instead of repeated.
   * @returns the write's answer, or what `alreadyDone` returned on a retry.
   */
  writeOnce<T>(
    operation: string,
    alreadyDone: () => Promise<T | undefined>,
    write: () => Promise<T>,
  ): Promise<T> {
    let attempts = 0;
    return this.policy.call(operation, async () => {
      if (attempts++ > 0) {
        const done = await alreadyDone();
        if (done !== undefined) return done;
      }
      return write();
    });
  }

  /** Not idempotent: call through `writeOnce`. */
  async createPage(
    dataSourceId: string,
    properties: Record<string, unknown>,
    children: BlockRequest[],
  ): Promise<RawPage> {
    const page = await this.#sdk.pages.create({
      parent: { data_source_id: dataSourceId },
      properties: properties as Properties,
      ...(children.length > 0 ? { children: children as unknown as Children } : {}),
    });
    return parse(PageSchema, page, 'create a page');
  }

  /** A new pending single-part file upload (unattached ones expire: harmless to repeat). */
  createFileUpload(filename: string, contentType: string, operation: string) {
    return this.#call(
      operation,
      () => this.#sdk.fileUploads.create({ mode: 'single_part', filename, content_type: contentType }),
      FileUploadSchema,
    );
  }

  retrieveFileUpload(fileUploadId: string, operation: string) {
    return this.#call(
      operation,
      () => this.#sdk.fileUploads.retrieve({ file_upload_id: fileUploadId }),
      FileUploadSchema,
    );
  }

  /**
   * Sends the bytes (multipart) as a Blob with its type: the SDK would wrap a Buffer in a Blob without
   * one. A retry first reads the upload, so a send whose answer was lost is not repeated (Notion refuses
   * a second send with 400).
   */
  sendFileUpload(fileUploadId: string, file: { filename: string; data: Blob }, operation: string) {
    return this.writeOnce(
      operation,
      async () => {
        const upload = await this.retrieveFileUpload(fileUploadId, operation);
        return upload.status === 'uploaded' ? upload : undefined;
      },
      async () =>
        parse(
          FileUploadSchema,
          await this.#sdk.fileUploads.send({ file_upload_id: fileUploadId, file }),
          operation,
        ),
    );
  }

  /** Sets the page's cover (idempotent). */
  setPageCover(
    pageId: string,
    cover: { type: 'file_upload'; file_upload: { id: string } },
    operation: string,
  ) {
    return this.#call(operation, () => this.#sdk.pages.update({ page_id: pageId, cover }), PageSchema);
  }

  /** Not idempotent: call through `writeOnce`. */
  async appendChildren(blockId: string, children: BlockRequest[]): Promise<void> {
    await this.#sdk.blocks.children.append({ block_id: blockId, children: children as unknown as Children });
  }

  async #call<S extends z.ZodType>(
    operation: string,
    send: () => Promise<unknown>,
    schema: S,
  ): Promise<z.infer<S>> {
    return parse(schema, await this.policy.call(operation, send), operation);
  }
}
