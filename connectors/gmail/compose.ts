// Builds the RFC 2822 message Gmail stores as a draft, with a Message-ID derived from the idempotency key.
import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/**
 * The Message-ID for an idempotency key: stable across processes and restarts, so a draft created by
 * an attempt whose answer was lost can be found again by searching `rfc822msgid:`.
 */
export function messageIdFor(idempotencyKey: string, domain = 'baton.local'): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32);
  return `<baton-${digest}@${domain}>`;
}

/**
 * The header that names Baton's mail for good. Gmail replaces the Message-ID when it sends
 * (FlowCrypt/flowcrypt-browser#4273) but sends other headers as written, so the sent copy is still
 * recognised by this one: it carries the draft's own Message-ID.
 */
export const MARKER_HEADER = 'X-Baton-Id';

/** A Message-ID without its angle brackets (the form `rfc822msgid:` searches take). */
export const bareMessageId = (id: string): string => id.trim().replace(/^<|>$/g, '');

export interface ComposedMail {
  from?: { name?: string; address: string };
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  /** `List-Unsubscribe` target (RFC 2369), e.g. `mailto:me@example.com?subject=unsubscribe`. */
  listUnsubscribe?: string;
}

/**
 * The base64url-encoded raw message. nodemailer encodes non-ASCII names and subjects as encoded
 * words and bodies as quoted-printable; it never reads files or URLs here.
 */
export async function composeRaw(mail: ComposedMail): Promise<string> {
  const from = mail.from
    ? mail.from.name
      ? { name: mail.from.name, address: mail.from.address }
      : mail.from.address
    : undefined;
  const message = await new MailComposer({
    ...(from ? { from } : {}),
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html !== undefined ? { html: mail.html } : {}),
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references?.length ? { references: mail.references } : {}),
    headers: {
      [MARKER_HEADER]: mail.messageId,
      ...(mail.listUnsubscribe ? { 'List-Unsubscribe': `<${mail.listUnsubscribe}>` } : {}),
    },
    textEncoding: 'quoted-printable',
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
  return message.toString('base64url');
}
