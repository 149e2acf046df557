// Placeholder values as data: cleaned, capped, and unable to form another `{{placeholder}}`.

/** Longest value put into a deck, in characters; longer ones are cut and end with `…`. */
export const MAX_VALUE_CHARS = 1000;

/** Placeholder names: letters, digits, `_`, `.` and `-` (`{{company}}`, `{{lead.first_name}}`). */
export const PLACEHOLDER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export const placeholder = (name: string): string => `{{${name}}}`;

const ZWSP = '\u200B';

/**
 * `value` ready to be put into a deck as plain text: line breaks kept (as `\n`), other control
 * characters dropped, cut to MAX_VALUE_CHARS, and an invisible zero-width space put between any two
 * braces and after (before) a leading (trailing) brace, so neither the value alone nor the value with
 * the template text around it can spell `{{name}}`. Replacements then cannot chain, whatever their
 * order, and filling a deck a second time changes nothing.
 */
export function asData(value: string): { text: string; truncated: boolean } {
  const cleaned = value
    .replace(/\r\n?/g, '\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
  const chars = Array.from(cleaned);
  const truncated = chars.length > MAX_VALUE_CHARS;
  const capped = truncated ? `${chars.slice(0, MAX_VALUE_CHARS - 1).join('')}…` : cleaned;
  let text = capped.replace(/([{}])(?=[{}])/g, `$1${ZWSP}`);
  if (/^[{}]/.test(text)) text = ZWSP + text;
  if (/[{}]$/.test(text)) text += ZWSP;
  return { text, truncated };
}

/** How often `needle` occurs in the text boxes (non-overlapping, exact case), as replaceAllText counts. */
export function occurrences(textBoxes: readonly string[], needle: string): number {
  let count = 0;
  for (const text of textBoxes) {
    for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count++;
  }
  return count;
}
