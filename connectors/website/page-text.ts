// A page's readable text and title: what an LLM is given to learn about a company.
import type { HtmlToTextOptions } from 'html-to-text';
import { lazyModule } from '../core/index.ts';

// Loaded on first use: ~8 MB that a Baton whose recipes read no websites never needs.
const htmlToText = lazyModule<typeof import('html-to-text')>('html-to-text');

const heading = (selector: string) => ({ selector, options: { uppercase: false } });
const skip = (selector: string) => ({ selector, format: 'skip' });

// Keep headings, paragraphs, lists, tables and the words of links; drop what a reader never sees
// as content: scripts, styles, navigation menus, images, embedded frames and hidden elements.
const toTextOptions: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map(heading),
    { selector: 'table', options: { uppercaseHeaderCells: false } },
    ...['script', 'style', 'noscript', 'template', 'svg', 'canvas', 'iframe', 'object', 'nav', 'img'].map(
      skip,
    ),
    ...['button', 'select', '[hidden]', '[aria-hidden="true"]'].map(skip),
  ],
};
let compiled: { toText: (html: string) => string; plain: (html: string) => string } | undefined;
const converters = () => {
  compiled ??= {
    toText: htmlToText().compile(toTextOptions),
    plain: htmlToText().compile({ wordwrap: false }),
  };
  return compiled;
};

/** The page's <title>, entities decoded and whitespace collapsed; undefined when absent or empty. */
export function pageTitle(html: string): string | undefined {
  const match = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  if (!match) return undefined;
  const title = converters().plain(match[1]!).replace(/\s+/g, ' ').trim();
  return title ? title.slice(0, 300) : undefined;
}

/** The page's readable text, blank lines squeezed, cut at a word to at most `maxChars`. */
export function pageText(html: string, maxChars: number): string {
  const text = converters()
    .toText(html)
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars - 1);
  const lastSpace = cut.search(/\s\S*$/);
  return `${lastSpace > maxChars / 2 ? cut.slice(0, lastSpace) : cut}…`;
}

/**
 * Decodes a body with the charset the Content-Type names, else a <meta charset> in the first 2 KB,
 * else UTF-8 (also when the label is unknown).
 */
export function decodeBody(body: Buffer, contentType: string): string {
  const label =
    /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1] ??
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(body.subarray(0, 2048).toString('latin1'))?.[1] ??
    'utf-8';
  try {
    return new TextDecoder(label).decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}
