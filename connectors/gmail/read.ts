// Reads Gmail answers into plain values: a thread's messages (payload), a draft's raw MIME (mailparser).
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { MARKER_HEADER } from './compose.ts';
import type { GmailMessage, MessagePart } from './schemas.ts';
import type { MailMessage } from './types.ts';

/** A message of a `format=full` answer. */
export function readMessage(message: GmailMessage): MailMessage {
  const headers = message.payload?.headers ?? [];
  const header = (name: string) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
  const [from] = parseAddresses(header('From') ?? '');
  const messageId = header('Message-ID') ?? header('Message-Id');
  const inReplyTo = header('In-Reply-To');
  return {
    id: message.id,
    threadId: message.threadId,
    labelIds: message.labelIds ?? [],
    from: from ?? { name: '', address: '' },
    to: parseAddresses(header('To') ?? '').map((a) => a.address),
    subject: header('Subject') ?? '',
    ...(messageId ? { messageId } : {}),
    ...(inReplyTo ? { inReplyTo } : {}),
    date: Number(message.internalDate ?? 0),
    text: textOf(message.payload) ?? '',
    snippet: unescapeHtml(message.snippet ?? ''),
  };
}

export function parseAddresses(value: string): { name: string; address: string }[] {
  return addressparser(value, { flatten: true }).map((a) => ({ name: a.name, address: a.address }));
}

/** The plain-text body: the first text/plain part, else the first HTML part with its tags removed. */
function textOf(payload: MessagePart | null | undefined): string | undefined {
  const plain = findPart(payload, 'text/plain');
  if (plain) return plain;
  const html = findPart(payload, 'text/html');
  return html === undefined ? undefined : htmlToText(html);
}

function findPart(part: MessagePart | null | undefined, mimeType: string): string | undefined {
  if (!part) return undefined;
  if (part.mimeType === mimeType && part.body?.data && !part.filename) {
    const charset = /charset="?([^";]+)"?/i.exec(
      part.headers?.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '',
    )?.[1];
    return normalizeLines(decode(Buffer.from(part.body.data, 'base64url'), charset));
  }
  for (const child of part.parts ?? []) {
    const found = findPart(child, mimeType);
    if (found !== undefined) return found;
  }
  return undefined;
}

function decode(bytes: Buffer, charset = 'utf-8'): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

/** MIME bodies use CRLF and a single-part body ends with one: give callers LF and no trailing break. */
const normalizeLines = (text: string): string => text.replace(/\r\n/g, '\n').replace(/\n$/, '');

function htmlToText(html: string): string {
  return unescapeHtml(
    html
      .replace(/<(br|\/p|\/div)[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
  );
}

/** Undoes the HTML escaping of Gmail's snippets. */
export function unescapeHtml(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** What a draft's raw MIME says (drafts.get format=raw). */
export interface DraftMime {
  to: string;
  /** Every address the draft would go to now: To, Cc and Bcc, in that order. */
  recipients: string[];
  /** Baton's mark (MARKER_HEADER), when Baton wrote the draft. */
  marker?: string;
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** The `List-Unsubscribe` target without its angle brackets, when the draft has one. */
  listUnsubscribe?: string;
}

export async function readDraftMime(rawBase64url: string): Promise<DraftMime> {
  // Loaded on first use: mailparser is ~10 MB of a Baton's idle memory, and idle Batons parse no drafts.
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(Buffer.from(rawBase64url, 'base64url'), {
    skipImageLinks: true,
    skipTextToHtml: true,
  });
  const list = (field: typeof parsed.to) =>
    (Array.isArray(field) ? field : field ? [field] : [])
      .flatMap((o) => o.value.flatMap((v) => (v.group ? v.group : [v])).map((v) => v.address ?? ''))
      .filter(Boolean);
  const references = parsed.references;
  const marker = parsed.headers.get(MARKER_HEADER.toLowerCase());
  // The raw line: mailparser folds List-* headers into an object that drops the original form.
  const unsubscribeLine = parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line;
  const listUnsubscribe = unsubscribeLine ? /<([^<>]+)>/.exec(unsubscribeLine)?.[1] : undefined;
  return {
    to: list(parsed.to).join(', '),
    recipients: [...list(parsed.to), ...list(parsed.cc), ...list(parsed.bcc)],
    ...(typeof marker === 'string' ? { marker } : {}),
    subject: parsed.subject ?? '',
    text: normalizeLines(parsed.text ?? ''),
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
    references: Array.isArray(references) ? references : references ? references.split(/\s+/) : [],
    ...(listUnsubscribe ? { listUnsubscribe } : {}),
  };
}
