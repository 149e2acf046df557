// Builds the raw RFC 2822 bytes of mail arriving from outside (a lead's reply, a fresh inbound mail).
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

export interface InboundMail {
  /** An address or `Name <address>`. */
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  inReplyTo?: string;
  references?: string[];
  date: Date;
  /** Extra headers as the sender wrote them, e.g. `{ 'Auto-Submitted': 'auto-replied' }`. */
  headers?: Record<string, string>;
}

/** The raw message and the Message-ID it was given. */
export async function composeInbound(mail: InboundMail): Promise<{ raw: Buffer; messageId: string }> {
  const messageId = `<${randomBytes(12).toString('hex')}@mail.example.net>`;
  const raw = await new MailComposer({
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html ? { html: mail.html } : {}),
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references?.length ? { references: mail.references } : {}),
    messageId,
    date: mail.date,
    ...(mail.headers ? { headers: mail.headers } : {}),
    textEncoding: 'quoted-printable',
    disableFileAccess: true,
    disableUrlAccess: true,
  })
    .compile()
    .build();
  return { raw, messageId };
}
