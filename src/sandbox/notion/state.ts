// The workspace in memory: databases, their data sources, pages with property values, and blocks.
import type { Clock } from '../../clock.ts';
import type { ParsedBlock } from './blocks.ts';
import type { FileUploadRecord } from './file-uploads.ts';
import { newId } from './ids.ts';
import { buildSchema, type PropertySchema, type PropertySpec } from './schema.ts';
import { emptyValue, type StoredValue, type ValueContext } from './values.ts';

export interface Integration {
  token: string;
  botId: string;
  name: string;
  /** Read-only integrations get 403 restricted_resource for writes. */
  readOnly: boolean;
}

export interface DatabaseRecord {
  id: string;
  title: string;
  parentPageId: string;
  dataSourceIds: string[];
  /** Integration tokens the database is shared with; undefined: every integration. */
  sharedWith: Set<string> | undefined;
  createdTime: number;
}

export interface DataSourceRecord {
  id: string;
  databaseId: string;
  name: string;
  schema: PropertySchema[];
  createdTime: number;
  lastEditedTime: number;
}

export interface PageRecord {
  id: string;
  dataSourceId: string;
  databaseId: string;
  /** Values by property id. */
  values: Map<string, StoredValue>;
  children: string[];
  createdTime: number;
  lastEditedTime: number;
  /** Creation order, to break ties between equal (minute-rounded) timestamps. */
  seq: number;
  inTrash: boolean;
  createdBy: string;
  cover?: PageCover;
  lastEditedBy: string;
}

/** A page's cover as answers show it, and the file upload behind it. */
export interface PageCover {
  rendered: Record<string, unknown>;
  fileUploadId?: string;
}

export interface BlockRecord extends Omit<ParsedBlock, 'children'> {
  id: string;
  parent: { type: 'page_id' | 'block_id'; id: string };
  /** The page the block belongs to (whose database decides access). */
  pageId: string;
  children: string[];
  createdTime: number;
  lastEditedTime: number;
  inTrash: boolean;
  createdBy: string;
}

export class NotionState implements ValueContext {
  readonly databases = new Map<string, DatabaseRecord>();
  /** File uploads by id, each visible to the integration that made it. */
  readonly fileUploads = new Map<string, FileUploadRecord>();
  readonly dataSources = new Map<string, DataSourceRecord>();
  readonly pages = new Map<string, PageRecord>();
  readonly blocks = new Map<string, BlockRecord>();
  readonly integrations = new Map<string, Integration>();
  /** The user who acts through the person API (edits in the app). */
  readonly personId = newId();
  #seq = 0;

  constructor(private readonly clock: Clock) {}

  pageExists(id: string): boolean {
    return this.pages.has(id);
  }

  createDatabase(input: {
    title: string;
    properties: Record<string, PropertySpec>;
    sharedWith?: string[];
    dataSourceName?: string;
  }): { databaseId: string; dataSourceId: string } {
    const now = this.clock.now();
    const database: DatabaseRecord = {
      id: newId(),
      title: input.title,
      parentPageId: newId(),
      dataSourceIds: [],
      sharedWith: input.sharedWith ? new Set(input.sharedWith) : undefined,
      createdTime: now,
    };
    this.databases.set(database.id, database);
    const dataSourceId = this.addDataSource(
      database.id,
      input.dataSourceName ?? input.title,
      input.properties,
    );
    return { databaseId: database.id, dataSourceId };
  }

  addDataSource(databaseId: string, name: string, properties: Record<string, PropertySpec>): string {
    const database = this.databases.get(databaseId);
    if (!database) throw new Error(`Notion emulator: no database ${databaseId}`);
    const schema = buildSchema(properties, (id) => {
      const target = this.dataSources.get(id);
      if (!target) throw new Error(`Notion emulator: relation to unknown data source ${id}`);
      return target.databaseId;
    });
    const now = this.clock.now();
    const source: DataSourceRecord = {
      id: newId(),
      databaseId,
      name,
      schema,
      createdTime: now,
      lastEditedTime: now,
    };
    this.dataSources.set(source.id, source);
    database.dataSourceIds.push(source.id);
    return source.id;
  }

  /** Whether the integration behind `token` can see the database. */
  canAccess(token: string, databaseId: string): boolean {
    const shared = this.databases.get(databaseId)?.sharedWith;
    return shared === undefined || shared.has(token);
  }

  createPage(source: DataSourceRecord, values: Map<string, StoredValue>, by: string): PageRecord {
    const now = this.clock.now();
    const complete = new Map<string, StoredValue>();
    for (const p of source.schema) complete.set(p.id, values.get(p.id) ?? emptyValue(p));
    const page: PageRecord = {
      id: newId(),
      dataSourceId: source.id,
      databaseId: source.databaseId,
      values: complete,
      children: [],
      createdTime: now,
      lastEditedTime: now,
      seq: this.#seq++,
      inTrash: false,
      createdBy: by,
      lastEditedBy: by,
    };
    this.pages.set(page.id, page);
    return page;
  }

  /** Adds blocks (and their nested children) under a page or block, at the end or after `afterId`. */
  appendBlocks(parentId: string, blocks: ParsedBlock[], by: string, afterId?: string): BlockRecord[] {
    const parent = this.pages.get(parentId) ?? this.blocks.get(parentId);
    if (!parent) throw new Error(`Notion emulator: no page or block ${parentId}`);
    const pageId = 'pageId' in parent ? parent.pageId : parent.id;
    const parentType = this.pages.has(parentId) ? 'page_id' : 'block_id';
    const now = this.clock.now();
    const created = blocks.map((b) => {
      const { children, ...rest } = b;
      const record: BlockRecord = {
        ...rest,
        id: newId(),
        parent: { type: parentType, id: parentId },
        pageId,
        children: [],
        createdTime: now,
        lastEditedTime: now,
        inTrash: false,
        createdBy: by,
      };
      this.blocks.set(record.id, record);
      if (children.length > 0) this.appendBlocks(record.id, children, by);
      return record;
    });
    const at = afterId === undefined ? parent.children.length : parent.children.indexOf(afterId) + 1;
    parent.children.splice(at, 0, ...created.map((b) => b.id));
    this.touch(pageId, by);
    return created;
  }

  /** Marks the page edited now by `by`. */
  touch(pageId: string, by: string): void {
    const page = this.pages.get(pageId);
    if (!page) return;
    page.lastEditedTime = this.clock.now();
    page.lastEditedBy = by;
  }

  /** The visible children of a page or block, in order. */
  childrenOf(id: string): BlockRecord[] {
    const parent = this.pages.get(id) ?? this.blocks.get(id);
    return (parent?.children ?? []).flatMap((c) => {
      const block = this.blocks.get(c);
      return block && !block.inTrash ? [block] : [];
    });
  }
}
