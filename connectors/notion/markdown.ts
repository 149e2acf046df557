// Markdown → Notion blocks (martian), then cut to Notion's request limits so nothing is lost or refused.
//
// martian (tryfabric/martian) converts GitHub-flavoured Markdown and splits text nodes at 2,000
// characters, but by default truncates to 1,000 blocks and leaves other limits to the caller. We call it
// with truncation off and then: split inline code and link text over 2,000 characters, drop link URLs over
// 2,000 characters (the text stays), split blocks with more than 100 rich text elements into several
// blocks, flatten nesting deeper than Notion takes in one request, lift children past 100 into following
// siblings, split tables over 100 rows, and batch the top-level blocks for create + append requests.
import { lazyModule } from '../core/index.ts';

// Loaded at the first conversion (a Notion recipe at work), not when Baton starts.
const martian = lazyModule<typeof import('@tryfabric/martian')>('@tryfabric/martian');

/** A block in request form. Kept loose here; the client hands these to the SDK as they are. */
export type BlockRequest = Record<string, unknown> & { type: string };

export const LIMITS = {
  /** Children in one array (the create's `children`, one append, one block's nested children). */
  children: 100,
  /** Blocks in one request, nested ones included. */
  blocksPerRequest: 1000,
  /** Request body size: Notion takes 500 KB; we stay well under. */
  bytesPerRequest: 400_000,
  richTextElements: 100,
  textContent: 2000,
  url: 2000,
  /** A request's children may nest this many levels (top-level blocks are level 1). */
  depth: 3,
} as const;

type RichTextItem = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The page body for `markdown` as top-level blocks, each within Notion's limits for one request.
 * All text is kept; only structure bends (deep nesting is flattened, long lists are continued as siblings).
 */
export function markdownBlocks(markdown: string): BlockRequest[] {
  if (markdown.trim() === '') return [];
  const raw = martian().markdownToBlocks(markdown, { notionLimits: { truncate: false } }) as unknown[];
  const normalized = raw.flatMap((b) =>
    isObject(b) && typeof b.type === 'string' ? normalize(b as BlockRequest) : [],
  );
  return fitLevel(normalized, 1);
}

/**
 * Groups top-level blocks into requests: at most 100 top-level blocks, 1,000 blocks in all and
 * ~400 KB per request.
 */
export function blockBatches(blocks: readonly BlockRequest[]): BlockRequest[][] {
  const batches: BlockRequest[][] = [];
  let current: BlockRequest[] = [];
  let count = 0;
  let bytes = 0;
  for (const block of blocks) {
    const size = treeSize(block);
    const weight = byteSize(block);
    if (
      current.length > 0 &&
      (current.length >= LIMITS.children ||
        count + size > LIMITS.blocksPerRequest ||
        bytes + weight > LIMITS.bytesPerRequest)
    ) {
      batches.push(current);
      current = [];
      count = 0;
      bytes = 0;
    }
    current.push(block);
    count += size;
    bytes += weight;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

// ---- one block: rich text within limits --------------------------------------------------------

function body(block: BlockRequest): Record<string, unknown> {
  const b = block[block.type];
  return isObject(b) ? b : {};
}

function childrenOf(block: BlockRequest): BlockRequest[] {
  const children = body(block).children;
  return Array.isArray(children) ? (children as BlockRequest[]) : [];
}

function withChildren(block: BlockRequest, children: BlockRequest[] | undefined): BlockRequest {
  const { children: _drop, ...rest } = body(block);
  return {
    ...block,
    [block.type]: children && children.length > 0 ? { ...rest, children } : rest,
  } as BlockRequest;
}

/** The block with its rich text and its children's within limits; may become several blocks. */
function normalize(block: BlockRequest): BlockRequest[] {
  const content = { ...body(block) };
  if (Array.isArray(content.caption))
    content.caption = fitRichText(content.caption).slice(0, LIMITS.richTextElements);
  if (Array.isArray(content.cells))
    content.cells = content.cells.map((cell) => fitCell(Array.isArray(cell) ? cell : []));
  if (Array.isArray(content.children)) {
    content.children = content.children.flatMap((c) =>
      isObject(c) && typeof c.type === 'string' ? normalize(c as BlockRequest) : [],
    );
  }
  const base = { ...block, [block.type]: content } as BlockRequest;
  if (!Array.isArray(content.rich_text)) return [base];
  const pieces = chunk(fitRichText(content.rich_text), LIMITS.richTextElements);
  if (pieces.length <= 1)
    return [{ ...base, [block.type]: { ...content, rich_text: pieces[0] ?? [] } } as BlockRequest];
  // Too many elements for one block: continue in blocks of the same type; children stay with the last.
  return pieces.map((rich_text, i) => {
    const { children, ...rest } = content;
    const last = i === pieces.length - 1;
    return {
      ...block,
      [block.type]: { ...rest, rich_text, ...(last && children ? { children } : {}) },
    } as BlockRequest;
  });
}

/** Text over 2,000 characters split into several elements; link URLs over 2,000 characters dropped. */
function fitRichText(items: unknown[]): RichTextItem[] {
  return items.flatMap((item): RichTextItem[] => {
    if (!isObject(item)) return [];
    if (
      isObject(item.equation) &&
      typeof item.equation.expression === 'string' &&
      item.equation.expression.length > 1000
    ) {
      return textPieces(item.equation.expression, { ...item, type: 'text' }, undefined);
    }
    if (!isObject(item.text) || typeof item.text.content !== 'string') return [item];
    const link =
      isObject(item.text.link) &&
      typeof item.text.link.url === 'string' &&
      item.text.link.url.length <= LIMITS.url
        ? item.text.link
        : undefined;
    return textPieces(item.text.content, item, link);
  });
}

function textPieces(
  content: string,
  template: RichTextItem,
  link: Record<string, unknown> | undefined,
): RichTextItem[] {
  const { equation: _e, text: _t, ...rest } = template;
  const pieces: RichTextItem[] = [];
  for (let i = 0; i < Math.max(1, content.length); i += LIMITS.textContent) {
    pieces.push({
      ...rest,
      type: 'text',
      text: { content: content.slice(i, i + LIMITS.textContent), ...(link ? { link } : {}) },
    });
  }
  return pieces;
}

/** A table cell keeps its formatting when it fits; otherwise it becomes plain text pieces. */
function fitCell(cell: unknown[]): RichTextItem[] {
  const fitted = fitRichText(cell);
  if (fitted.length <= LIMITS.richTextElements) return fitted;
  const text = fitted
    .map((i) => (isObject(i.text) && typeof i.text.content === 'string' ? i.text.content : ''))
    .join('');
  return textPieces(text, { type: 'text' }, undefined).slice(0, LIMITS.richTextElements);
}

// ---- structure: nesting depth, children per block, blocks and bytes per request ------------------

/**
 * Blocks at `depth` (1 = top level), each with at most 100 children nested at most to LIMITS.depth and
 * small enough for one request; what does not fit follows as siblings at this level.
 */
function fitLevel(blocks: BlockRequest[], depth: number): BlockRequest[] {
  const out: BlockRequest[] = [];
  for (const block of blocks) {
    const kids = childrenOf(block);
    if (kids.length === 0) {
      out.push(block);
    } else if (block.type === 'table') {
      out.push(...fitTable(block, depth));
    } else if (depth >= LIMITS.depth) {
      out.push(withChildren(block, undefined), ...fitLevel(kids, depth));
    } else {
      const fitted = fitLevel(kids, depth + 1);
      const kept = fitted.slice(0, LIMITS.children);
      const lifted = fitted.slice(LIMITS.children);
      let parent = withChildren(block, kept);
      while (
        kept.length > 0 &&
        (treeSize(parent) > LIMITS.blocksPerRequest || byteSize(parent) > LIMITS.bytesPerRequest)
      ) {
        lifted.unshift(kept.pop()!);
        parent = withChildren(block, kept);
      }
      out.push(parent, ...lifted);
    }
  }
  return out;
}

/** A table of at most 100 rows per block (continued in further tables); as text rows where it cannot nest. */
function fitTable(table: BlockRequest, depth: number): BlockRequest[] {
  const rows = childrenOf(table);
  if (depth >= LIMITS.depth) {
    return rows.map((row) => {
      const cells = body(row).cells;
      const text = Array.isArray(cells)
        ? cells.map((c) => (Array.isArray(c) ? plain(c) : '')).join(' | ')
        : '';
      return {
        object: 'block',
        type: 'paragraph',
        paragraph: {
          rich_text: textPieces(text, { type: 'text' }, undefined).slice(0, LIMITS.richTextElements),
        },
      } as BlockRequest;
    });
  }
  // Continuation tables start with a data row, not the header.
  return chunk(rows, LIMITS.children).map((part, i) =>
    withChildren(
      i === 0 ? table : ({ ...table, table: { ...body(table), has_column_header: false } } as BlockRequest),
      part,
    ),
  );
}

function plain(items: unknown[]): string {
  return items
    .map((i) => (isObject(i) && isObject(i.text) && typeof i.text.content === 'string' ? i.text.content : ''))
    .join('');
}

/** The block and all its descendants. */
function treeSize(block: BlockRequest): number {
  return 1 + childrenOf(block).reduce((n, c) => n + treeSize(c), 0);
}

function byteSize(block: BlockRequest): number {
  return Buffer.byteLength(JSON.stringify(block));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
