// LinkedIn "little text": post commentary where \ | { } @ [ ] ( ) < > # * _ ~ are markup.

const RESERVED = /[\\|{}@[\]()<>#*_~]/g;

/**
 * `text` as little text that shows exactly as written: every reserved character backslash-escaped.
 * Unescaped, LinkedIn silently cuts the post at the first one (a `(` or `#` in a sentence would end
 * the post there). Hashtags and mentions so escaped show as plain text, not as links.
 */
export function escapeLittleText(text: string): string {
  return text.replace(RESERVED, (ch) => `\\${ch}`);
}
