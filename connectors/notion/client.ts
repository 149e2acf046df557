// NotionClient: pages in a database written once by key, Markdown bodies cut to Notion's limits, queries as memory.
import { z } from 'zod';
import { NotFoundError, ServiceError } from '../core/index.ts';
import { NotionApi } from './api.ts';
import { appendFrom, countChildren, short } from './body.ts';
import { appendImage, type FileToUpload, FREE_PLAN_UPLOAD_BYTES, uploadFile } from './files.ts';
import { pageFilter } from './filter.ts';
import { blockBatches, markdownBlocks } from './markdown.ts';
import { DEFAULT_PAGE_TEXT_CHARS, pageText } from './page-text.ts';
import { richText, toNotionProperties } from './properties.ts';
import { readPage } from './read.ts';
import type { DataSourceSchema, PropertyConfig, RawPage } from './schema.ts';
import { notionSdk } from './sdk.ts';
import type {
  CreatedPage,
  CreatePageInput,
  DataSourceInfo,
  NotionClientOptions,
  NotionPage,
  PageFilter,
  PropertyInput,
} from './types.ts';

const CreatePageInputSchema = z.object({
  dataSource: z.string().min(1),
  properties: z.record(z.string(), z.unknown()),
  markdown: z.string().default(''),
  idempotencyKey: z.string().min(1).max(2000),
});

/**
 * One per Notion integration token. Every request goes through @notionhq/client (its own retries off)
 * and one ServicePolicy: 3 requests per second, retries on 429 (waiting what Retry-After asks), 5xx,
 * 409 and dropped connections with jittered backoff, and a breaker that pauses calls while Notion is
 * down. Errors are typed: AuthError (401/403, "check NOTION_TOKEN and share the database with the
 * integration"), NotFoundError (a database not shared or not there), ServiceError (bad input, naming
 * the property; Notion's own validation message otherwise).
 */
export class NotionClient {
  readonly #api: NotionApi;
  readonly #keyProperty: string;
  readonly #sources = new Map<string, Promise<DataSourceInfo>>();
  readonly #hint: string;
  readonly #maxUploadBytes: number;

  constructor(options: NotionClientOptions) {
    this.#api = new NotionApi(options);
    this.#maxUploadBytes = options.maxUploadBytes ?? FREE_PLAN_UPLOAD_BYTES;
    this.#keyProperty = options.keyProperty ?? 'Baton key';
    this.#hint = options.configHints?.database ?? 'the database id';
  }

  /** True while Notion keeps failing and calls are paused (pollers skip their turn). */
  get paused(): boolean {
    return this.#api.policy.paused;
  }

  get stats(): Readonly<{ calls: number; failures: number; rateLimited: number }> {
    return this.#api.policy.stats;
  }

  /**
   * The data source behind a database id or URL as copied from Notion (with or without dashes), or a
   * data source id. Cached per client: one or two requests the first time.
   * @throws NotFoundError when neither a database nor a data source with that id is shared with the
   *   integration; ServiceError when the input holds no Notion id, or the database has several data
   *   sources (pass the data source's id instead).
   */
  dataSource(ref: string): Promise<DataSourceInfo> {
    const id = notionSdk().extractNotionId(ref);
    if (!id) {
      return Promise.reject(
        new ServiceError('notion', `'${ref}' is not a Notion database id or URL`, {
          hint: `copy the database link from Notion (••• → Copy link) into ${this.#hint}`,
        }),
      );
    }
    let found = this.#sources.get(id);
    if (!found) {
      found = this.#resolve(id);
      this.#sources.set(id, found);
      found.then(
        (info) => this.#sources.set(info.id, found!),
        () => this.#sources.delete(id),
      );
    }
    return found;
  }

  /**
   * Adds or changes properties of the data source behind `ref` (a database id or URL, or a data source
   * id) in one `PATCH /v1/data_sources/{id}`, in Notion's property schema format, e.g.
   * `{ Score: { number: { format: 'number' } } }`. A select's `options` replace the whole list: pass
   * the existing ones too. Notion cannot change a `status` property's options. Safe to repeat.
   * @returns the data source as it is after the change (also what later calls use)
   * @throws ServiceError with Notion's validation message; NotFoundError / AuthError as for `dataSource`
   */
  async updateProperties(ref: string, properties: Record<string, unknown>): Promise<DataSourceInfo> {
    const source = await this.dataSource(ref);
    const updated = this.#info(
      await this.#api.updateDataSource(source.id, properties, `update the properties of ${source.name}`),
    );
    // Every id that led to this data source (its database's, its own) now answers the new schema.
    const fresh = Promise.resolve(updated);
    for (const [key, entry] of this.#sources) {
      if ((await entry.catch(() => undefined))?.id === source.id) this.#sources.set(key, fresh);
    }
    return updated;
  }

  /**
   * Creates a page in the data source, idempotent by `idempotencyKey`: the key is stored in the key
   * property (a Text property, 'Baton key' unless configured) and looked up before the create and
   * before every retry of it, so neither a crash nor a lost answer makes a second page. The Markdown
   * body goes in with the create (its first 100 top-level blocks) and further appends of up to 100;
   * when a page with the key exists but its body was cut short (a crash between appends), the
   * missing blocks are appended — progress is read from the page's top-level block count, so pass the
   * same Markdown for the same key.
   * @throws ServiceError naming the property for input that does not fit the schema, or when the key
   *   property is missing; NotFoundError / AuthError as for `dataSource`.
   */
  async createPage(input: CreatePageInput): Promise<CreatedPage> {
    const parsed = CreatePageInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new ServiceError('notion', 'Notion createPage: invalid input', {
        hint: z.prettifyError(parsed.error).replace(/\n+/g, '; '),
      });
    }
    const { markdown, idempotencyKey } = parsed.data;
    const source = await this.dataSource(input.dataSource);
    const keyProperty = this.#keyPropertyOf(source);
    if (keyProperty.name in input.properties) {
      throw new ServiceError('notion', `createPage: '${keyProperty.name}' is Baton's key property`, {
        hint: 'pass the key as idempotencyKey, not as a property',
      });
    }
    const properties = {
      ...toNotionProperties(source, input.properties),
      [keyProperty.name]: { [keyProperty.type]: richText(idempotencyKey) },
    };
    const blocks = markdownBlocks(markdown);
    const find = () => this.#pageWithKey(source, keyProperty, idempotencyKey);
    const existing = await find();
    let page: RawPage;
    let done: number;
    if (existing) {
      page = existing;
      done = await countChildren(this.#api, page.id);
    } else {
      const first = blockBatches(blocks)[0] ?? [];
      page = await this.#api.writeOnce(`create a page in ${source.name}`, find, () =>
        this.#api.createPage(source.id, properties, first),
      );
      done = first.length;
    }
    await appendFrom(this.#api, page.id, blocks, done);
    return { pageId: page.id, url: page.url, created: !existing, blocks: blocks.length };
  }

  /**
   * Pages of the data source matching `filter` (every part must hold), e.g. "has this company been
   * researched this month?": `{ where: { Company: 'Acme' }, createdOnOrAfter: startOfMonth }`.
   * Reads all result pages (100 per request) up to `limit`. Trashed pages are not included.
   * @throws ServiceError naming the property when a `where` value does not fit its type.
   */
  async queryPages(dataSource: string, filter: PageFilter = {}): Promise<NotionPage[]> {
    const source = await this.dataSource(dataSource);
    const notionFilter = pageFilter(source, filter);
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    const pages: NotionPage[] = [];
    let cursor: string | undefined;
    do {
      const result = await this.#api.query(
        {
          data_source_id: source.id,
          page_size: Math.min(100, limit - pages.length),
          ...(notionFilter ? { filter: notionFilter } : {}),
          ...(filter.sorts ? { sorts: filter.sorts } : {}),
          ...(cursor ? { start_cursor: cursor } : {}),
        },
        `query ${source.name}`,
      );
      for (const raw of result.results) pages.push(await readPage(this.#api, raw));
      cursor = result.has_more ? (result.next_cursor ?? undefined) : undefined;
    } while (cursor && pages.length < limit);
    return pages;
  }

  /**
   * Sets properties of a page (the others are left alone); safe to repeat. The page's data source is
   * read from the page unless given.
   * @throws ServiceError naming the property for input that does not fit; NotFoundError when the page
   *   is gone or not shared.
   */
  async updatePage(
    pageId: string,
    properties: Record<string, PropertyInput | undefined>,
    options: { dataSource?: string } = {},
  ): Promise<NotionPage> {
    const id = this.#pageId(pageId);
    let ref = options.dataSource;
    if (!ref) {
      const page = await this.#api.retrievePage(id, `read page ${short(id)}`);
      ref = page.parent.data_source_id;
      if (!ref)
        throw new ServiceError('notion', `Notion page ${short(id)} is not in a database`, {
          hint: 'Baton updates database pages only',
        });
    }
    const source = await this.dataSource(ref);
    const updated = await this.#api.updatePage(
      id,
      toNotionProperties(source, properties),
      `update page ${short(id)}`,
    );
    return readPage(this.#api, updated);
  }

  /**
   * Uploads a file with the File Upload API (create, then send the bytes as a typed Blob) and returns
   * its id, to attach at once with `setPageCover` or `appendImage`: an unattached upload expires
   * after about an hour (a new upload is then harmless).
   * @throws ServiceError before sending when the file is over `maxUploadBytes` (default 5 MiB, the
   *   Free plan's limit)
   */
  uploadFile(file: FileToUpload): Promise<string> {
    return uploadFile(this.#api, file, this.#maxUploadBytes);
  }

  /** Makes an uploaded image the page's cover (safe to repeat). @throws NotFoundError when the page is gone. */
  async setPageCover(pageId: string, fileUploadId: string): Promise<void> {
    const id = this.#pageId(pageId);
    await this.#api.setPageCover(
      id,
      { type: 'file_upload', file_upload: { id: fileUploadId } },
      `set the cover of page ${short(id)}`,
    );
  }

  /** Appends an image block made from an upload to the page's body (once, across a lost answer). */
  async appendImage(pageId: string, fileUploadId: string, options: { caption?: string } = {}): Promise<void> {
    await appendImage(this.#api, this.#pageId(pageId), fileUploadId, options.caption);
  }

  /** A page's properties as plain values. @throws NotFoundError when the page is gone or not shared. */
  async getPage(pageId: string): Promise<NotionPage> {
    const id = this.#pageId(pageId);
    return readPage(this.#api, await this.#api.retrievePage(id, `read page ${short(id)}`));
  }

  /**
   * The page's body as plain text (its top-level blocks, one a line), at most `maxChars` characters
   * (default 6000). `pageRef` is a page id or the page's link.
   * @throws NotFoundError when the page is gone or not shared with the integration; ServiceError when
   *   `pageRef` holds no Notion id
   */
  async pageText(pageRef: string, options: { maxChars?: number } = {}): Promise<string> {
    return pageText(this.#api, this.#pageId(pageRef), options.maxChars ?? DEFAULT_PAGE_TEXT_CHARS);
  }

  async #resolve(id: string): Promise<DataSourceInfo> {
    let dataSourceId = id;
    try {
      const database = await this.#api.retrieveDatabase(id, `read database ${short(id)}`);
      const [only, ...others] = database.data_sources;
      if (!only)
        throw new NotFoundError('notion', `Notion database ${short(id)} has no data source`, {
          hint: `check ${this.#hint}`,
        });
      if (others.length > 0) {
        throw new ServiceError(
          'notion',
          `Notion database ${short(id)} has ${database.data_sources.length} data sources (${database.data_sources.map((d) => d.name).join(', ')})`,
          {
            hint: `put the id of the data source Baton should use in ${this.#hint} (Notion: the data source's ••• → Copy data source ID)`,
          },
        );
      }
      dataSourceId = only.id;
    } catch (err) {
      // Not a database the integration can see: the id may name a data source instead.
      if (!(err instanceof NotFoundError) || err.status !== 404) throw err;
    }
    return this.#info(await this.#api.retrieveDataSource(dataSourceId, `read database ${short(id)}`));
  }

  #info(source: z.infer<typeof DataSourceSchema>): DataSourceInfo {
    return {
      id: source.id,
      databaseId: source.parent?.database_id,
      name: source.title.map((t) => t.plain_text).join('') || short(source.id),
      properties: new Map(Object.values(source.properties).map((p) => [p.name, p])),
    };
  }

  #keyPropertyOf(source: DataSourceInfo): PropertyConfig {
    const property = source.properties.get(this.#keyProperty);
    if (property?.type === 'rich_text') return property;
    throw new ServiceError(
      'notion',
      property
        ? `Notion property '${this.#keyProperty}' of '${source.name}' is ${property.type}, not Text`
        : `Notion database '${source.name}' has no '${this.#keyProperty}' property`,
      {
        hint: `add a Text property named '${this.#keyProperty}' (Baton stores its idempotency key there and finds its pages by it)`,
      },
    );
  }

  /** The (non-trashed) page whose key property equals `key`. */
  async #pageWithKey(
    source: DataSourceInfo,
    keyProperty: PropertyConfig,
    key: string,
  ): Promise<RawPage | undefined> {
    const result = await this.#api.query(
      {
        data_source_id: source.id,
        page_size: 1,
        filter: { property: keyProperty.name, rich_text: { equals: key } },
      },
      `look up key in ${source.name}`,
    );
    return result.results[0];
  }

  #pageId(ref: string): string {
    const id = notionSdk().extractNotionId(ref);
    if (!id)
      throw new ServiceError('notion', `'${ref}' is not a Notion page id or URL`, {
        hint: 'pass the page id Baton returned, or the page link',
      });
    return id;
  }
}
