// Renders stored messages as Gmail Message resources in the four formats: full, metadata, minimal, raw.
import type { StoredMessage } from './mailbox.ts';
import { type MimePart, parseMime } from './mime.ts';

export type MessageFormat = 'full' | 'metadata' | 'minimal' | 'raw';

export const MESSAGE_FORMATS: readonly MessageFormat[] = ['full', 'metadata', 'minimal', 'raw'];

interface PayloadJson {
  partId: string;
  mimeType: string;
  filename: string;
  headers: { name: string; value: string }[];
  body: { size: number; data?: string };
  parts?: PayloadJson[];
}

/** A Message resource; `metadataHeaders` limits the headers of the metadata format. */
export function renderMessage(
  message: StoredMessage,
  format: MessageFormat,
  metadataHeaders: string[] = [],
): Record<string, unknown> {
  const base = {
    id: message.id,
    threadId: message.threadId,
    labelIds: [...message.labelIds],
    snippet: snippetOf(message),
  };
  const tail = {
    sizeEstimate: message.raw.length,
    historyId: String(message.historyId),
    internalDate: String(message.internalDate),
  };
  if (format === 'minimal') return { ...base, ...tail };
  if (format === 'raw') return { ...base, ...tail, raw: message.raw.toString('base64url') };
  const tree = parseMime(message.raw);
  if (format === 'metadata') {
    const wanted = metadataHeaders.map((h) => h.toLowerCase());
    const headers = tree.headers.filter((h) => wanted.length === 0 || wanted.includes(h.name.toLowerCase()));
    return { ...base, payload: { mimeType: tree.mimeType, headers }, ...tail };
  }
  return { ...base, payload: renderPart(tree, ''), ...tail };
}

/** The minimal reference lists and create/send answers use. */
export const messageRef = (message: StoredMessage) => ({ id: message.id, threadId: message.threadId });

function renderPart(part: MimePart, partId: string): PayloadJson {
  const json: PayloadJson = {
    partId,
    mimeType: part.mimeType,
    filename: part.filename,
    headers: part.headers,
    body:
      part.parts.length > 0
        ? { size: 0 }
        : {
            size: part.body.length,
            ...(part.body.length > 0 ? { data: part.body.toString('base64url') } : {}),
          },
  };
  if (part.parts.length > 0) {
    json.parts = part.parts.map((child, i) => renderPart(child, partId ? `${partId}.${i}` : String(i)));
  }
  return json;
}

/** Gmail's snippet: the start of the plain text, whitespace collapsed, HTML-escaped. */
export function snippetOf(message: StoredMessage): string {
  const source = message.mail.text || (message.mail.html ?? '').replace(/<[^>]*>/g, ' ');
  const collapsed = source.replace(/\s+/g, ' ').trim();
  const cut = collapsed.length > 200 ? `${collapsed.slice(0, 200)}` : collapsed;
  return cut
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
