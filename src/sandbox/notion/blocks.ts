// Block children in requests: checked against Notion's limits (100 per array, nesting, 1,000 per request).
import { invalid, tooLong } from './errors.ts';
import { parseRichText, plainTextOf, type RichTextItem, renderRichText } from './rich-text.ts';

export const BLOCK_LIMITS = { children: 100, perRequest: 1000 } as const;

/** A block as parsed from a request: its type, its type object (rich text parsed), its children. */
export interface ParsedBlock {
  type: string;
  content: Record<string, unknown>;
  /** Rich text fields of the type object (`rich_text`, `caption`), parsed. */
  text: Record<string, RichTextItem[]>;
  /** table_row only: one rich text array per cell. */
  cells?: RichTextItem[][];
  children: ParsedBlock[];
  /** Media blocks made from a file upload: its id (kept for the person's view, not rendered). */
  fileUploadId?: string;
}

const TEXT_BLOCKS = [
  'paragraph',
  'heading_1',
  'heading_2',
  'heading_3',
  'bulleted_list_item',
  'numbered_list_item',
  'to_do',
  'toggle',
  'quote',
  'callout',
  'code',
];
const OTHER_BLOCKS = [
  'equation',
  'divider',
  'table_of_contents',
  'breadcrumb',
  'image',
  'video',
  'file',
  'pdf',
  'audio',
  'bookmark',
  'embed',
  'table',
  'table_row',
  'column_list',
  'column',
];
const KNOWN = new Set([...TEXT_BLOCKS, ...OTHER_BLOCKS]);
const CAN_NEST = new Set([...TEXT_BLOCKS.filter((t) => t !== 'code'), 'table', 'column_list', 'column']);
/** Whether a block of this type may have children (appended later or sent nested). */
export const canHaveChildren = (type: string): boolean => CAN_NEST.has(type);

/** Blocks in a request may nest two levels below the top-level children, no deeper. */
const MAX_DEPTH = 3;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a request's `children` at `path` (e.g. `body.children`).
 * @throws 400 validation_error for more than 100 children in one array, more than 1,000 blocks in the
 *   request, nesting deeper than two levels, unknown block types, or rich text over its limits.
 */
export function parseChildren(value: unknown, path: string): ParsedBlock[] {
  const counter = { blocks: 0 };
  const parsed = parseArray(value, path, 1, counter);
  if (counter.blocks > BLOCK_LIMITS.perRequest) {
    throw invalid(
      `body failed validation: ${path} should contain at most \`${BLOCK_LIMITS.perRequest}\` blocks including nested children, instead was \`${counter.blocks}\`.`,
    );
  }
  return parsed;
}

function parseArray(value: unknown, path: string, depth: number, counter: { blocks: number }): ParsedBlock[] {
  if (!Array.isArray(value)) {
    throw invalid(
      `body failed validation: ${path} should be an array, instead was \`${JSON.stringify(value)}\`.`,
    );
  }
  if (value.length > BLOCK_LIMITS.children)
    throw tooLong(`${path}.length`, BLOCK_LIMITS.children, value.length);
  return value.map((block, i) => parseBlock(block, `${path}[${i}]`, depth, counter));
}

function parseBlock(block: unknown, path: string, depth: number, counter: { blocks: number }): ParsedBlock {
  counter.blocks++;
  if (!isObject(block)) throw invalid(`body failed validation: ${path} should be an object.`);
  const type = typeof block.type === 'string' ? block.type : Object.keys(block).find((k) => KNOWN.has(k));
  if (!type || !KNOWN.has(type)) {
    throw invalid(
      `body failed validation: ${path}.type should be a supported block type, instead was \`${String(block.type)}\`.`,
    );
  }
  const body = block[type];
  if (!isObject(body))
    throw invalid(`body failed validation: ${path}.${type} should be defined, instead was \`undefined\`.`);
  const { children: rawChildren, ...content } = body;
  const at = `${path}.${type}`;
  const text: Record<string, RichTextItem[]> = {};
  if (TEXT_BLOCKS.includes(type)) text.rich_text = parseRichText(content.rich_text, `${at}.rich_text`);
  if (content.caption !== undefined) text.caption = parseRichText(content.caption, `${at}.caption`);
  const parsed: ParsedBlock = { type, content, text, children: [] };
  if (type === 'table_row') parsed.cells = parseCells(content.cells, `${at}.cells`);
  if (rawChildren === undefined) {
    if (type === 'table')
      throw invalid(`body failed validation: ${at}.children should be defined, instead was \`undefined\`.`);
    return parsed;
  }
  if (!CAN_NEST.has(type) || depth >= MAX_DEPTH) {
    throw invalid(
      `body failed validation: ${at}.children should be not present, instead was \`${JSON.stringify(rawChildren).slice(0, 60)}\`.`,
    );
  }
  parsed.children = parseArray(rawChildren, `${at}.children`, depth + 1, counter);
  if (type === 'table') checkTable(parsed, at);
  return parsed;
}

function parseCells(value: unknown, path: string): RichTextItem[][] {
  if (!Array.isArray(value)) throw invalid(`body failed validation: ${path} should be an array.`);
  return value.map((cell, i) => parseRichText(cell, `${path}[${i}]`));
}

function checkTable(table: ParsedBlock, path: string): void {
  const width = table.content.table_width;
  table.children.forEach((row, i) => {
    if (row.type !== 'table_row')
      throw invalid(`body failed validation: ${path}.children[${i}].type should be \`"table_row"\`.`);
    if (typeof width === 'number' && row.cells?.length !== width) {
      throw invalid(`Number of cells in table row must match the table width of the parent.`);
    }
  });
}

/** A block's type object in a response: rich text rendered, without children (those are listed separately). */
export function renderContent(
  block: Pick<ParsedBlock, 'content' | 'text' | 'cells'>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...block.content };
  for (const [field, items] of Object.entries(block.text)) out[field] = renderRichText(items);
  if (block.cells) out.cells = block.cells.map((cell) => renderRichText(cell));
  if ('rich_text' in out && !('color' in out)) out.color = 'default';
  return out;
}

/** What a person reads in the block: its text, a table row's cells joined by " | ", an equation's expression. */
export function blockText(block: Pick<ParsedBlock, 'type' | 'content' | 'text' | 'cells'>): string {
  if (block.cells) return block.cells.map(plainTextOf).join(' | ');
  if (block.text.rich_text) return plainTextOf(block.text.rich_text);
  if (block.type === 'equation' && typeof block.content.expression === 'string')
    return block.content.expression;
  return '';
}
