// What a stored message says, read once with mailparser: addresses, subject, ids and bodies.
import { type AddressObject, simpleParser } from 'mailparser';

export interface MailAddress {
  name: string;
  address: string;
}

export interface MailView {
  from?: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  /** True when the message has a To header, even an unreadable one. */
  hasToHeader: boolean;
  subject: string;
  /** With angle brackets, as in the header. */
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  text: string;
  html?: string;
  date?: Date;
  /** The List-Unsubscribe header as written (RFC 2369), e.g. `<mailto:me@example.com>`. */
  listUnsubscribe?: string;
}

/** Parses raw RFC 2822 bytes. Throws when mailparser cannot read the message at all. */
export async function readMail(raw: Buffer): Promise<MailView> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const references = parsed.references;
  const listUnsubscribe = parsed.headerLines
    .find((h) => h.key === 'list-unsubscribe')
    ?.line.replace(/^[^:]*:\s*/, '');
  return {
    ...(parsed.from?.value[0] ? { from: toAddress(parsed.from.value[0]) } : {}),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    bcc: addresses(parsed.bcc),
    hasToHeader: parsed.headers.has('to'),
    subject: parsed.subject ?? '',
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    ...(parsed.inReplyTo ? { inReplyTo: parsed.inReplyTo } : {}),
    references: Array.isArray(references) ? references : references ? references.split(/\s+/) : [],
    text: parsed.text ?? '',
    ...(typeof parsed.html === 'string' ? { html: parsed.html } : {}),
    ...(parsed.date ? { date: parsed.date } : {}),
    ...(listUnsubscribe ? { listUnsubscribe } : {}),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((o) => o.value.flatMap((v) => (v.group ? v.group.map(toAddress) : [toAddress(v)])));
}

function toAddress(value: { name?: string; address?: string }): MailAddress {
  return { name: value.name ?? '', address: value.address ?? '' };
}

/** An address Gmail accepts as a recipient: local@domain.tld, nothing else. */
export function isDeliverable(address: string): boolean {
  return /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+\.[^\s@<>()",;:\\]+$/.test(address);
}

/** Strips Re:/Fwd: prefixes and case so "Re: Hello" and "hello" compare equal (Gmail's threading rule). */
export function baseSubject(subject: string): string {
  let s = subject.trim();
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/^(re|fwd?|aw|sv|tr)\s*(\[\d+\])?\s*:\s*/i, '').trim();
  }
  return s.replace(/\s+/g, ' ').toLowerCase();
}

/** A Message-ID without its angle brackets. */
export const bareMessageId = (id: string): string => id.trim().replace(/^<|>$/g, '');
