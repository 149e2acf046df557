// What a person does and sees in the Notion app: pages as plain values and text, edits, new pages.
import { blockText } from './blocks.ts';
import { plainFormula } from './formula.ts';
import { notionTime, pageInputs, pageText, pageTitle, renderPage } from './render.ts';
import { plainRichText } from './rich-text.ts';
import { findProperty } from './schema.ts';
import type { NotionState, PageRecord } from './state.ts';
import { type PlainValue, plainValue, type StoredValue, valueFromPlain } from './values.ts';

export interface PageView {
  id: string;
  url: string;
  title: string;
  /** Property name → value as shown in the app (text, number, flag, option names, page ids, date start). */
  properties: Record<string, PlainValue>;
  /** Minute-rounded, as the API reports it. */
  createdTime: string;
  inTrash: boolean;
  /** Every block's text, depth first, one line per block. */
  text: string;
}

export interface BlockView {
  type: string;
  text: string;
  children: BlockView[];
  /** A media block made from a file upload: the upload's id. */
  fileUploadId?: string;
}

function view(state: NotionState, page: PageRecord): PageView {
  const schema = state.dataSources.get(page.dataSourceId)?.schema ?? [];
  const inputs = pageInputs(state, page);
  const properties: Record<string, PlainValue> = {};
  for (const p of schema) {
    const value = page.values.get(p.id);
    if (value) properties[p.name] = p.type === 'formula' ? plainFormula(p, inputs) : plainValue(value);
  }
  return {
    id: page.id,
    url: String(renderPage(state, page).url),
    title: pageTitle(state, page),
    properties,
    createdTime: notionTime(page.createdTime),
    inTrash: page.inTrash,
    text: pageText(state, page.id),
  };
}

export function pages(state: NotionState, dataSourceId: string, includeTrashed: boolean): PageView[] {
  return [...state.pages.values()]
    .filter((p) => p.dataSourceId === dataSourceId && (includeTrashed || !p.inTrash))
    .sort((a, b) => a.seq - b.seq)
    .map((p) => view(state, p));
}

export function page(state: NotionState, id: string): PageView | undefined {
  const record = state.pages.get(id);
  return record && view(state, record);
}

export function blocks(state: NotionState, parentId: string): BlockView[] {
  return state.childrenOf(parentId).map((b) => ({
    type: b.type,
    text: blockText(b),
    children: blocks(state, b.id),
    ...(b.fileUploadId ? { fileUploadId: b.fileUploadId } : {}),
  }));
}

function pageOrThrow(state: NotionState, id: string): PageRecord {
  const record = state.pages.get(id);
  if (!record) throw new Error(`Notion emulator: no page ${id}`);
  return record;
}

function values(
  state: NotionState,
  dataSourceId: string,
  plain: Record<string, PlainValue | Date>,
): Map<string, StoredValue> {
  const schema = state.dataSources.get(dataSourceId)?.schema ?? [];
  const out = new Map<string, StoredValue>();
  for (const [name, value] of Object.entries(plain)) {
    const property = findProperty(schema, name);
    if (!property) throw new Error(`Notion emulator: no property '${name}'`);
    out.set(property.id, valueFromPlain(property, value, state));
  }
  return out;
}

export function addPage(
  state: NotionState,
  dataSourceId: string,
  properties: Record<string, PlainValue | Date>,
  text: string,
): string {
  const source = state.dataSources.get(dataSourceId);
  if (!source) throw new Error(`Notion emulator: no data source ${dataSourceId}`);
  const record = state.createPage(source, values(state, dataSourceId, properties), state.personId);
  const paragraphs = text.split('\n').filter((line) => line !== '');
  state.appendBlocks(
    record.id,
    paragraphs.map((line) => ({
      type: 'paragraph',
      content: {},
      text: { rich_text: plainRichText(line) },
      children: [],
    })),
    state.personId,
  );
  return record.id;
}

export function editProperty(
  state: NotionState,
  pageId: string,
  name: string,
  value: PlainValue | Date,
): void {
  const record = pageOrThrow(state, pageId);
  for (const [id, stored] of values(state, record.dataSourceId, { [name]: value }))
    record.values.set(id, stored);
  state.touch(record.id, state.personId);
}

export function trashPage(state: NotionState, pageId: string): void {
  pageOrThrow(state, pageId).inTrash = true;
  state.touch(pageId, state.personId);
}
