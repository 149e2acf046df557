// Rich text: checked against Notion's size limits on the way in, rendered with plain_text on the way out.
import { invalid, tooLong } from './errors.ts';

/** Notion's request limits for rich text. */
export const RICH_TEXT_LIMITS = { elements: 100, content: 2000, url: 2000, equation: 1000 } as const;

export interface Annotations {
  bold: boolean;
  italic: boolean;
  strikethrough: boolean;
  underline: boolean;
  code: boolean;
  color: string;
}

/** One stored rich text element, already in the response shape. */
export type RichTextItem =
  | { type: 'text'; text: { content: string; link: { url: string } | null }; annotations: Annotations }
  | { type: 'equation'; equation: { expression: string }; annotations: Annotations }
  | { type: 'mention'; mention: Record<string, unknown>; annotations: Annotations; plain: string };

const DEFAULT_ANNOTATIONS: Annotations = {
  bold: false,
  italic: false,
  strikethrough: false,
  underline: false,
  code: false,
  color: 'default',
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses a request's rich text array at `path` (e.g. `body.children[4].paragraph.rich_text`).
 * @throws 400 validation_error for more than 100 elements, content over 2,000 characters, a link URL
 *   over 2,000 characters, or an element that is not text, equation or mention.
 */
export function parseRichText(value: unknown, path: string): RichTextItem[] {
  if (!Array.isArray(value)) {
    throw invalid(
      `body failed validation: ${path} should be an array, instead was \`${JSON.stringify(value)}\`.`,
    );
  }
  if (value.length > RICH_TEXT_LIMITS.elements) {
    throw tooLong(`${path}.length`, RICH_TEXT_LIMITS.elements, value.length);
  }
  return value.map((item, i) => parseItem(item, `${path}[${i}]`));
}

function parseItem(item: unknown, path: string): RichTextItem {
  if (!isObject(item)) throw invalid(`body failed validation: ${path} should be an object.`);
  const annotations = { ...DEFAULT_ANNOTATIONS, ...(isObject(item.annotations) ? item.annotations : {}) };
  const type =
    item.type ?? (item.text ? 'text' : item.equation ? 'equation' : item.mention ? 'mention' : undefined);
  if (type === 'text' && isObject(item.text) && typeof item.text.content === 'string') {
    const content = item.text.content;
    if (content.length > RICH_TEXT_LIMITS.content) {
      throw tooLong(`${path}.text.content.length`, RICH_TEXT_LIMITS.content, content.length);
    }
    const link =
      isObject(item.text.link) && typeof item.text.link.url === 'string' ? item.text.link.url : null;
    if (link !== null && link.length > RICH_TEXT_LIMITS.url) {
      throw tooLong(`${path}.text.link.url.length`, RICH_TEXT_LIMITS.url, link.length);
    }
    return { type: 'text', text: { content, link: link === null ? null : { url: link } }, annotations };
  }
  if (type === 'equation' && isObject(item.equation) && typeof item.equation.expression === 'string') {
    const expression = item.equation.expression;
    if (expression.length > RICH_TEXT_LIMITS.equation) {
      throw tooLong(`${path}.equation.expression.length`, RICH_TEXT_LIMITS.equation, expression.length);
    }
    return { type: 'equation', equation: { expression }, annotations };
  }
  if (type === 'mention' && isObject(item.mention)) {
    const date = isObject(item.mention.date) ? item.mention.date.start : undefined;
    return {
      type: 'mention',
      mention: item.mention,
      annotations,
      plain: typeof date === 'string' ? date : '',
    };
  }
  throw invalid(
    `body failed validation. Fix one: ${path}.text should be defined, instead was \`undefined\`. ${path}.equation should be defined, instead was \`undefined\`. ${path}.mention should be defined, instead was \`undefined\`.`,
  );
}

/** Rich text from plain text, as the person API and property writes store it. */
export function plainRichText(text: string): RichTextItem[] {
  return text === ''
    ? []
    : [{ type: 'text', text: { content: text, link: null }, annotations: { ...DEFAULT_ANNOTATIONS } }];
}

export function plainTextOf(items: readonly RichTextItem[]): string {
  return items.map(itemPlainText).join('');
}

function itemPlainText(item: RichTextItem): string {
  if (item.type === 'text') return item.text.content;
  if (item.type === 'equation') return item.equation.expression;
  return item.plain;
}

/** The response form: each element with `plain_text` and `href`. */
export function renderRichText(items: readonly RichTextItem[]): unknown[] {
  return items.map((item) => {
    const plain_text = itemPlainText(item);
    if (item.type === 'text') {
      return { ...item, plain_text, href: item.text.link?.url ?? null };
    }
    if (item.type === 'equation') return { ...item, plain_text, href: null };
    return { type: 'mention', mention: item.mention, annotations: item.annotations, plain_text, href: null };
  });
}
