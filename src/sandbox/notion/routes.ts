// The endpoints: databases, data sources (retrieve, update, query), pages (create, retrieve, update), block children.
import { canHaveChildren, parseChildren } from './blocks.ts';
import { invalid, notFound } from './errors.ts';
import { markAttached, resolveBlockUploads, resolveCover } from './file-uploads.ts';
import { compileFilter } from './filter.ts';
import { normalizeId } from './ids.ts';
import { paginate } from './paging.ts';
import { propertyItem } from './property-item.ts';
import {
  pageInputs,
  renderBlock,
  renderDatabase,
  renderDataSource,
  renderList,
  renderPage,
} from './render.ts';
import { findProperty } from './schema.ts';
import { updateDataSource } from './schema-update.ts';
import { sortPages } from './sort.ts';
import type { DataSourceRecord, Integration, NotionState, PageRecord } from './state.ts';
import { parseValue, type StoredValue } from './values.ts';

export interface RouteContext {
  state: NotionState;
  integration: Integration;
  args: string[];
  url: URL;
  body: Record<string, unknown>;
  now: number;
}

export interface Route {
  method: string;
  /** e.g. `data_sources/:id/query`. */
  path: string;
  write: boolean;
  handle(ctx: RouteContext): unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function idArg(raw: string | undefined, name: string): string {
  const id = raw === undefined ? undefined : normalizeId(raw);
  if (!id)
    throw invalid(
      `path failed validation: path.${name} should be a valid uuid, instead was \`"${raw ?? ''}"\`.`,
    );
  return id;
}

function dataSourceFor(ctx: RouteContext, id: string): DataSourceRecord {
  const source = ctx.state.dataSources.get(id);
  if (!source || !ctx.state.canAccess(ctx.integration.token, source.databaseId))
    throw notFound('data_source', id);
  return source;
}

function pageFor(ctx: RouteContext, id: string): PageRecord {
  const page = ctx.state.pages.get(id);
  if (!page || !ctx.state.canAccess(ctx.integration.token, page.databaseId)) throw notFound('page', id);
  return page;
}

/** The property values in a create or update body, each checked against the schema. */
function parseProperties(
  ctx: RouteContext,
  source: DataSourceRecord,
  raw: unknown,
): Map<string, StoredValue> {
  const values = new Map<string, StoredValue>();
  if (raw === undefined) return values;
  if (!isObject(raw)) throw invalid('body failed validation: body.properties should be an object.');
  for (const [key, value] of Object.entries(raw)) {
    const property = findProperty(source.schema, key);
    if (!property) throw invalid(`${key} is not a property that exists.`);
    values.set(property.id, parseValue(property, value, `body.properties.${key}`, ctx.state));
  }
  return values;
}

/** POST /v1/pages: the data source named by the parent (a database with one data source resolves to it). */
function parentSource(ctx: RouteContext): DataSourceRecord {
  const parent = ctx.body.parent;
  if (isObject(parent) && typeof parent.data_source_id === 'string') {
    return dataSourceFor(ctx, idArg(parent.data_source_id, 'parent.data_source_id'));
  }
  if (isObject(parent) && typeof parent.database_id === 'string') {
    const id = idArg(parent.database_id, 'parent.database_id');
    const database = ctx.state.databases.get(id);
    if (!database || !ctx.state.canAccess(ctx.integration.token, id)) throw notFound('database', id);
    if (database.dataSourceIds.length !== 1) {
      throw invalid(
        `Database with ID ${id} has ${database.dataSourceIds.length} data sources; use a data_source_id parent to say which one.`,
      );
    }
    return dataSourceFor(ctx, database.dataSourceIds[0]!);
  }
  throw invalid(
    'body failed validation: body.parent.data_source_id should be defined, instead was `undefined`.',
  );
}

export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: 'users/me',
    write: false,
    handle: ({ integration }) => ({
      object: 'user',
      id: integration.botId,
      name: integration.name,
      type: 'bot',
      bot: { owner: { type: 'workspace', workspace: true }, workspace_name: 'Emulated workspace' },
    }),
  },
  {
    method: 'GET',
    path: 'databases/:id',
    write: false,
    handle: (ctx) => {
      const id = idArg(ctx.args[0], 'database_id');
      const database = ctx.state.databases.get(id);
      if (!database || !ctx.state.canAccess(ctx.integration.token, id)) throw notFound('database', id);
      return renderDatabase(ctx.state, database);
    },
  },
  {
    method: 'GET',
    path: 'data_sources/:id',
    write: false,
    handle: (ctx) => renderDataSource(ctx.state, dataSourceFor(ctx, idArg(ctx.args[0], 'data_source_id'))),
  },
  {
    method: 'PATCH',
    path: 'data_sources/:id',
    write: true,
    handle: (ctx) => {
      const source = dataSourceFor(ctx, idArg(ctx.args[0], 'data_source_id'));
      updateDataSource(ctx.state, source, ctx.body, ctx.now);
      return renderDataSource(ctx.state, source);
    },
  },
  {
    method: 'POST',
    path: 'data_sources/:id/query',
    write: false,
    handle: (ctx) => {
      const source = dataSourceFor(ctx, idArg(ctx.args[0], 'data_source_id'));
      const { filter, sorts, start_cursor, page_size } = ctx.body;
      const test = filter === undefined ? () => true : compileFilter(filter, source.schema, ctx.now);
      const wantTrash = ctx.body.in_trash === true || ctx.body.archived === true;
      const matching = [...ctx.state.pages.values()].filter(
        (p) => p.dataSourceId === source.id && p.inTrash === wantTrash && test(p),
      );
      const { page, nextCursor } = paginate(
        sortPages(matching, sorts, source.schema),
        start_cursor,
        page_size,
        'body',
      );
      return renderList(
        page.map((p) => renderPage(ctx.state, p)),
        nextCursor,
        'page_or_data_source',
      );
    },
  },
  {
    method: 'POST',
    path: 'pages',
    write: true,
    handle: (ctx) => {
      const source = parentSource(ctx);
      const values = parseProperties(ctx, source, ctx.body.properties);
      const children =
        ctx.body.children === undefined ? [] : parseChildren(ctx.body.children, 'body.children');
      // Every file upload is checked before anything is written.
      const uploads = resolveBlockUploads(ctx.state, ctx.integration, children, ctx.now);
      const cover =
        ctx.body.cover === undefined
          ? undefined
          : resolveCover(ctx.state, ctx.integration, ctx.body.cover, ctx.now);
      const page = ctx.state.createPage(source, values, ctx.integration.botId);
      if (cover?.cover) page.cover = cover.cover;
      markAttached([...uploads, ...(cover?.uploads ?? [])], page.id);
      if (children.length > 0) ctx.state.appendBlocks(page.id, children, ctx.integration.botId);
      return renderPage(ctx.state, page);
    },
  },
  {
    method: 'GET',
    path: 'pages/:id',
    write: false,
    handle: (ctx) => renderPage(ctx.state, pageFor(ctx, idArg(ctx.args[0], 'page_id'))),
  },
  {
    method: 'GET',
    path: 'pages/:id/properties/:property_id',
    write: false,
    handle: (ctx) => {
      const page = pageFor(ctx, idArg(ctx.args[0], 'page_id'));
      const raw = ctx.args[1] ?? '';
      const schema = ctx.state.dataSources.get(page.dataSourceId)?.schema ?? [];
      const property = schema.find((p) => p.id === raw || p.id === decodeURIComponent(raw));
      if (!property) throw invalid(`Could not find property with id: ${raw}`);
      return propertyItem(page, property, pageInputs(ctx.state, page), ctx.url);
    },
  },
  {
    method: 'PATCH',
    path: 'pages/:id',
    write: true,
    handle: (ctx) => {
      const page = pageFor(ctx, idArg(ctx.args[0], 'page_id'));
      const trash = ctx.body.in_trash ?? ctx.body.archived;
      if (trash !== undefined && typeof trash !== 'boolean')
        throw invalid('body failed validation: body.in_trash should be a boolean.');
      if (page.inTrash && trash !== false) {
        throw invalid("Can't edit block that is archived. You must unarchive the block before editing.");
      }
      const source = ctx.state.dataSources.get(page.dataSourceId)!;
      const properties = parseProperties(ctx, source, ctx.body.properties);
      if (ctx.body.cover !== undefined) {
        const { cover, uploads } = resolveCover(ctx.state, ctx.integration, ctx.body.cover, ctx.now);
        if (cover) page.cover = cover;
        else delete page.cover;
        markAttached(uploads, page.id);
      }
      for (const [id, value] of properties) page.values.set(id, value);
      if (typeof trash === 'boolean') page.inTrash = trash;
      ctx.state.touch(page.id, ctx.integration.botId);
      return renderPage(ctx.state, page);
    },
  },
  {
    method: 'GET',
    path: 'blocks/:id/children',
    write: false,
    handle: (ctx) => {
      const id = parentOfChildren(ctx);
      const { page, nextCursor } = paginate(
        ctx.state.childrenOf(id),
        ctx.url.searchParams.get('start_cursor') ?? undefined,
        ctx.url.searchParams.get('page_size') ?? undefined,
        'query',
      );
      return renderList(page.map(renderBlock), nextCursor, 'block');
    },
  },
  {
    method: 'PATCH',
    path: 'blocks/:id/children',
    write: true,
    handle: (ctx) => {
      const id = parentOfChildren(ctx);
      const children = parseChildren(ctx.body.children, 'body.children');
      const after = typeof ctx.body.after === 'string' ? normalizeId(ctx.body.after) : undefined;
      if (ctx.body.after !== undefined && !(after && ctx.state.childrenOf(id).some((b) => b.id === after))) {
        throw invalid('body failed validation: body.after should be the id of a child block of the parent.');
      }
      const uploads = resolveBlockUploads(ctx.state, ctx.integration, children, ctx.now);
      const created = ctx.state.appendBlocks(id, children, ctx.integration.botId, after);
      markAttached(uploads, id);
      return renderList(created.map(renderBlock), null, 'block');
    },
  },
];

/** The page or block whose children a `blocks/{id}/children` request names (a page id is a block id too). */
function parentOfChildren(ctx: RouteContext): string {
  const id = idArg(ctx.args[0], 'block_id');
  const page = ctx.state.pages.get(id);
  const block = ctx.state.blocks.get(id);
  const pageId = page?.id ?? block?.pageId;
  const owner = pageId ? ctx.state.pages.get(pageId) : undefined;
  if (!owner || !ctx.state.canAccess(ctx.integration.token, owner.databaseId) || block?.inTrash) {
    throw notFound('block', id);
  }
  if (block && ctx.body.children !== undefined && !canHaveChildren(block.type)) {
    throw invalid(`Block type ${block.type} does not support children.`);
  }
  if (owner.inTrash && ctx.body.children !== undefined) {
    throw invalid("Can't edit block that is archived. You must unarchive the block before editing.");
  }
  return id;
}
