// Safe HTML building: a tagged template that escapes every interpolated value unless it is already HTML.

/** A fragment of markup that is already safe to insert (built by `html`, never from raw text). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * `html\`<td>${value}</td>\``: strings and numbers are escaped, `Html` fragments are inserted as they
 * are, arrays are joined, and `undefined`, `null` and `false` render nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** A time as the page shows it: `HH:MM:SS` (local time of the machine running the sandbox). */
export function clockTime(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return new Date(ms).toTimeString().slice(0, 8);
}
