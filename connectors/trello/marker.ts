// The footer line that makes Baton's cards and comments findable by idempotency key.
//
// Trello has no idempotency keys, so Baton writes the key into the text it creates:
//
//     <the text>
//
//     ---
//     Baton · baton:<key>
//
// Before creating a card (and before every retry of the create) the connector looks for a card on the
// board whose description carries `baton:<key>`; finding one means the create already happened.

const SEPARATOR = '---';
const LABEL = 'Baton ·';
/** A markdown horizontal rule, however the editor rewrote it (`---`, `\---`, `* * *`). */
const RULE = /^\s*(?:\\?[-*_]\s*){3,}$/;
const FOOTER_LINE = /^\s*Baton ·\s+baton:(\S+)\s*$/;

/** Room the footer takes, so callers can check Trello's 16,384-character limit up front. */
export const footerLength = (key: string): number => markedText('', key).length;

/** `text` with Baton's footer for `key` appended (any earlier Baton footer replaced). */
export function markedText(text: string, key: string): string {
  const body = stripMarker(text).trimEnd();
  return `${body}${body ? '\n\n' : ''}${SEPARATOR}\n${LABEL} baton:${key}`;
}

/** The idempotency key in Baton's footer line, if the text still carries one. */
export function markerOf(text: string): string | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = FOOTER_LINE.exec(lines[i]!);
    if (match) return unescapeMarkdown(match[1]!);
  }
  return undefined;
}

/**
 * True when any line carries `baton:<key>` as a whole word: a human may have reworded the rest of the
 * line, wrapped it in brackets or emphasis, or Trello's editor may have backslash-escaped it.
 */
export function hasMarker(text: string, key: string): boolean {
  const token = `baton:${key}`;
  return text
    .split(/\s+/)
    .some((word) => unescapeMarkdown(word).replace(/^[([*_"'`]+|[)\]*_"'`.,;]+$/g, '') === token);
}

/** Undoes the backslash escapes Trello's rich editor adds to markdown characters (`run\_1`). */
const unescapeMarkdown = (text: string): string => text.replace(/\\(.)/g, '$1');

/** The text without Baton's footer line and its `---` separator: what a human wrote or kept. */
export function stripMarker(text: string): string {
  const lines = text.split('\n');
  const at = lines.findLastIndex((line) => FOOTER_LINE.test(line));
  if (at < 0) return text;
  let start = at;
  if (start > 0 && RULE.test(lines[start - 1]!)) start--;
  const kept = [...lines.slice(0, start), ...lines.slice(at + 1)];
  return kept.join('\n').trimEnd();
}
