// Objects as the Notion API (2025-09-03) answers them: database, data_source, page, block, list.
import { blockText, renderContent } from './blocks.ts';
import { formulaInputs } from './formula.ts';
import { pageUrl } from './ids.ts';
import { plainRichText, plainTextOf, renderRichText } from './rich-text.ts';
import { renderSchema } from './schema.ts';
import type { BlockRecord, DatabaseRecord, DataSourceRecord, NotionState, PageRecord } from './state.ts';
import { type PlainValue, plainValue, renderValue } from './values.ts';

/** Notion reports created and edited times rounded down to the minute. */
export const notionTime = (ms: number): string => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();

const user = (id: string) => ({ object: 'user', id });

export function renderDatabase(state: NotionState, db: DatabaseRecord): Record<string, unknown> {
  return {
    object: 'database',
    id: db.id,
    title: renderRichText(plainRichText(db.title)),
    description: [],
    parent: { type: 'page_id', page_id: db.parentPageId },
    is_inline: false,
    in_trash: false,
    archived: false,
    is_locked: false,
    created_time: notionTime(db.createdTime),
    last_edited_time: notionTime(db.createdTime),
    data_sources: db.dataSourceIds.map((id) => ({ id, name: state.dataSources.get(id)?.name ?? '' })),
    icon: null,
    cover: null,
    url: `https://www.notion.so/${db.id.replace(/-/g, '')}`,
    public_url: null,
  };
}

export function renderDataSource(state: NotionState, ds: DataSourceRecord): Record<string, unknown> {
  const db = state.databases.get(ds.databaseId);
  return {
    object: 'data_source',
    id: ds.id,
    title: renderRichText(plainRichText(ds.name)),
    description: [],
    parent: { type: 'database_id', database_id: ds.databaseId },
    database_parent: { type: 'page_id', page_id: db?.parentPageId },
    is_inline: false,
    in_trash: false,
    archived: false,
    created_time: notionTime(ds.createdTime),
    last_edited_time: notionTime(ds.lastEditedTime),
    created_by: user(state.personId),
    last_edited_by: user(state.personId),
    properties: renderSchema(ds.schema),
    icon: null,
    cover: null,
    url: `https://www.notion.so/${ds.databaseId.replace(/-/g, '')}`,
    public_url: null,
  };
}

/** The page's title as plain text. */
export function pageTitle(state: NotionState, page: PageRecord): string {
  const schema = state.dataSources.get(page.dataSourceId)?.schema ?? [];
  const title = schema.find((p) => p.type === 'title');
  const value = title ? page.values.get(title.id) : undefined;
  return value?.type === 'title' ? plainTextOf(value.items) : '';
}

/** The page's plain values by property name, what its formulas are computed from. */
export function pageInputs(state: NotionState, page: PageRecord): Record<string, PlainValue> {
  const schema = state.dataSources.get(page.dataSourceId)?.schema ?? [];
  return formulaInputs(schema, (p) => {
    const value = page.values.get(p.id);
    return value && plainValue(value);
  });
}

export function renderPage(state: NotionState, page: PageRecord): Record<string, unknown> {
  const schema = state.dataSources.get(page.dataSourceId)?.schema ?? [];
  const inputs = pageInputs(state, page);
  const properties: Record<string, unknown> = {};
  for (const p of schema) {
    const value = page.values.get(p.id);
    if (value) properties[p.name] = renderValue(p, value, inputs);
  }
  return {
    object: 'page',
    id: page.id,
    created_time: notionTime(page.createdTime),
    last_edited_time: notionTime(page.lastEditedTime),
    created_by: user(page.createdBy),
    last_edited_by: user(page.lastEditedBy),
    cover: page.cover?.rendered ?? null,
    icon: null,
    parent: { type: 'data_source_id', data_source_id: page.dataSourceId, database_id: page.databaseId },
    in_trash: page.inTrash,
    archived: page.inTrash,
    is_archived: page.inTrash,
    is_locked: false,
    properties,
    url: pageUrl(page.id, pageTitle(state, page)),
    public_url: null,
  };
}

export function renderBlock(block: BlockRecord): Record<string, unknown> {
  return {
    object: 'block',
    id: block.id,
    parent:
      block.parent.type === 'page_id'
        ? { type: 'page_id', page_id: block.parent.id }
        : { type: 'block_id', block_id: block.parent.id },
    created_time: notionTime(block.createdTime),
    last_edited_time: notionTime(block.lastEditedTime),
    created_by: user(block.createdBy),
    last_edited_by: user(block.createdBy),
    has_children: block.children.length > 0,
    archived: block.inTrash,
    in_trash: block.inTrash,
    type: block.type,
    [block.type]: renderContent(block),
  };
}

/** A paginated list; `kind` is `page_or_data_source` for queries and `block` for children. */
export function renderList(
  results: unknown[],
  nextCursor: string | null,
  kind: 'page_or_data_source' | 'block',
): Record<string, unknown> {
  return {
    object: 'list',
    results,
    next_cursor: nextCursor,
    has_more: nextCursor !== null,
    type: kind,
    [kind]: {},
  };
}

/** Every block of a page, depth first, as the text a person reads (one line per block). */
export function pageText(state: NotionState, pageId: string): string {
  const lines: string[] = [];
  const walk = (id: string) => {
    for (const block of state.childrenOf(id)) {
      lines.push(blockText(block));
      walk(block.id);
    }
  };
  walk(pageId);
  return lines.join('\n');
}
