// Splits a raw RFC 2822 message into its MIME tree: the structure Gmail reports as `payload`.

export interface MimeHeader {
  name: string;
  value: string;
}

/** One MIME part with its headers decoded (encoded words) and its body transfer-decoded. */
export interface MimePart {
  headers: MimeHeader[];
  mimeType: string;
  filename: string;
  body: Buffer;
  parts: MimePart[];
}

/** Parses a raw message (bytes) into its MIME tree. Never throws: malformed input yields a text part. */
export function parseMime(raw: Buffer): MimePart {
  return parsePart(raw.toString('latin1'));
}

/** The value of the first header called `name` (case-insensitive). */
export function headerValue(headers: MimeHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

function parsePart(text: string): MimePart {
  const split = /\r?\n\r?\n/.exec(text);
  const head = split ? text.slice(0, split.index) : text;
  const rest = split ? text.slice(split.index + split[0].length) : '';
  const rawHeaders = unfold(head);
  const headers = rawHeaders.map((h) => ({ name: h.name, value: decodeWords(h.value) }));
  const contentType = parseParams(headerValue(rawHeaders, 'content-type') ?? 'text/plain');
  const mimeType = contentType.value.toLowerCase() || 'text/plain';
  const disposition = parseParams(headerValue(rawHeaders, 'content-disposition') ?? '');
  const filename = decodeWords(disposition.params.filename ?? contentType.params.name ?? '');
  const boundary = contentType.params.boundary;
  if (mimeType.startsWith('multipart/') && boundary) {
    return { headers, mimeType, filename, body: Buffer.alloc(0), parts: splitParts(rest, boundary) };
  }
  const encoding = (headerValue(rawHeaders, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  return { headers, mimeType, filename, body: decodeBody(rest, encoding), parts: [] };
}

function splitParts(body: string, boundary: string): MimePart[] {
  const delimiter = `--${boundary}`;
  const lines = body.split(/\r?\n/);
  const parts: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) break;
    if (trimmed === delimiter) {
      current = [];
      parts.push(current);
    } else current?.push(line);
  }
  return parts.map((p) => parsePart(p.join('\r\n')));
}

function unfold(head: string): MimeHeader[] {
  const headers: MimeHeader[] = [];
  for (const line of head.split(/\r?\n/)) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  // Header text is bytes read as latin1; re-read it as UTF-8 (raw 8-bit headers are UTF-8 in practice).
  return headers.map((h) => ({ name: h.name, value: Buffer.from(h.value, 'latin1').toString('utf8') }));
}

function parseParams(value: string): { value: string; params: Record<string, string> } {
  const [first = '', ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const piece of rest) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    const key = piece.slice(0, eq).trim().toLowerCase();
    params[key] = piece
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { value: first.trim(), params };
}

function decodeBody(body: string, encoding: string): Buffer {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return Buffer.from(body, 'latin1');
}

function decodeQuotedPrintable(text: string): Buffer {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(joined.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

const ENCODED_WORD = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;

/**
 * Decodes RFC 2047 encoded words. Adjacent words in the same charset are joined as bytes first,
 * because an encoder may split one multi-byte character across two words.
 */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return value;
  const compact = value.replace(/(\?=)\s+(?==\?)/g, '$1');
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: Buffer[] } | undefined;
  const flush = () => {
    if (pending) out += decodeCharset(Buffer.concat(pending.bytes), pending.charset);
    pending = undefined;
  };
  for (const match of compact.matchAll(ENCODED_WORD)) {
    const [word, rawCharset = 'utf-8', kind = 'B', data = ''] = match;
    const between = compact.slice(last, match.index);
    if (between) {
      flush();
      out += between;
    }
    const charset = rawCharset.split('*')[0]!.toLowerCase();
    const bytes =
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : decodeQuotedPrintable(data.replace(/_/g, ' ').replace(/=\r?\n/g, ''));
    if (pending && pending.charset !== charset) flush();
    pending ??= { charset, bytes: [] };
    pending.bytes.push(bytes);
    last = (match.index ?? 0) + word.length;
  }
  flush();
  return out + compact.slice(last);
}

/** Decodes bytes in a named charset; unknown charsets fall back to UTF-8. */
export function decodeCharset(bytes: Buffer, charset = 'utf-8'): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}
