// LinkedIn's "little text" format for post commentary: what a post shows for the text it was sent.

/** The characters little text reserves; each must be sent backslash-escaped to appear as itself. */
export const LITTLE_TEXT_RESERVED = new Set([
  '\\',
  '|',
  '{',
  '}',
  '@',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '#',
  '*',
  '_',
  '~',
]);

/**
 * What LinkedIn keeps of `commentary`: `raw` is the little text up to the first unescaped reserved
 * character (LinkedIn cuts the post there without an error), `shown` is what readers see (escapes
 * removed), and `cut` tells whether anything was lost.
 */
export function readLittleText(commentary: string): { raw: string; shown: string; cut: boolean } {
  let shown = '';
  let i = 0;
  while (i < commentary.length) {
    const ch = commentary[i]!;
    if (ch === '\\' && i + 1 < commentary.length && LITTLE_TEXT_RESERVED.has(commentary[i + 1]!)) {
      shown += commentary[i + 1];
      i += 2;
      continue;
    }
    if (LITTLE_TEXT_RESERVED.has(ch)) return { raw: commentary.slice(0, i), shown, cut: true };
    shown += ch;
    i++;
  }
  return { raw: commentary, shown, cut: false };
}
