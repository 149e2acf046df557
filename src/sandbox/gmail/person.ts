// The mailbox as a person sees it: parsed drafts, sent mail and inbox, and mail arriving from outside.
import type { Clock } from '../../clock.ts';
import { composeInbound } from './inbound.ts';
import { bareMessageId } from './mail-view.ts';
import type { Mailbox, StoredMessage } from './mailbox.ts';
import type { MailStore } from './store.ts';

/** A message as a test or the sandbox page reads it. */
export interface EmulatedMessage {
  /** Gmail's message id. */
  id: string;
  threadId: string;
  labelIds: string[];
  /** Sender address, and display name ('' when none). */
  from: string;
  fromName: string;
  /** Recipient addresses, comma-separated. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** The Message-ID header, with angle brackets. */
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** The List-Unsubscribe header as written, e.g. `<mailto:me@example.com>`. */
  listUnsubscribe?: string;
  internalDate: number;
}

/** A draft: `id` is the draft id; `gmailMessageId` the id of the message it currently holds. */
export interface EmulatedDraft extends Omit<EmulatedMessage, 'id'> {
  id: string;
  gmailMessageId: string;
}

export interface PersonView {
  setDefault(email: string): void;
  /** The mailbox helpers use when none is named; throws when there is none yet. */
  defaultMailbox(): string;
  noticeCaller(email: string): void;
  drafts(mailbox?: string): EmulatedDraft[];
  withLabel(label: string, mailbox?: string): EmulatedMessage[];
  thread(threadId: string, mailbox?: string): EmulatedMessage[];
  receiveReply(target: string, reply: InboundReply): Promise<EmulatedMessage>;
  receive(mail: InboundOptions): Promise<EmulatedMessage>;
}

/** A reply arriving in a thread (see GmailEmulator.receiveReply). */
export interface InboundReply {
  from: string;
  text: string;
  html?: string;
  subject?: string;
  /** Extra headers, e.g. `{ 'Auto-Submitted': 'auto-replied' }` for an out-of-office answer. */
  headers?: Record<string, string>;
  mailbox?: string;
}

/** Mail arriving from outside (see GmailEmulator.receive). */
export interface InboundOptions {
  from: string;
  to?: string;
  subject: string;
  text: string;
  html?: string;
  /** Deliver into this thread, replying to its latest sent or received message (or `inReplyTo`). */
  threadId?: string;
  /**
   * The Message-ID this mail answers; sets In-Reply-To and References. Without `threadId`, the mail
   * joins that message's thread by Gmail's rule (the subjects must match), else starts a new one.
   */
  inReplyTo?: string;
  /** Extra headers, e.g. `{ 'Auto-Submitted': 'auto-replied' }`. */
  headers?: Record<string, string>;
  mailbox?: string;
}

/** Person-style helpers over a store; the default mailbox is the one set, else the first API caller's. */
export function personView(store: MailStore, clock: Clock): PersonView {
  let explicit: string | undefined;
  let firstCaller: string | undefined;

  const box = (mailbox?: string): Mailbox => {
    const email = mailbox ?? explicit ?? firstCaller;
    if (!email) {
      throw new Error(
        'GmailEmulator: no mailbox yet — pass one, call setMailbox(), or make an API call first',
      );
    }
    return store.mailbox(email);
  };

  return {
    defaultMailbox: () => box().email,
    setDefault: (email) => {
      explicit = email.toLowerCase();
    },
    noticeCaller: (email) => {
      firstCaller ??= email;
    },
    drafts: (mailbox) => {
      const b = box(mailbox);
      return b.draftIds().map((draftId) => {
        const message = b.draft(draftId)!;
        return { ...view(message), id: draftId, gmailMessageId: message.id };
      });
    },
    withLabel: (label, mailbox) => box(mailbox).withLabel(label).map(view),
    thread: (threadId, mailbox) => box(mailbox).thread(threadId).map(view),
    receiveReply: async (target, reply) => {
      const b = box(reply.mailbox);
      const thread = target.includes('@') ? threadOfMessageId(b, target) : b.thread(target);
      const original = thread.filter((m) => !m.labelIds.includes('DRAFT')).at(-1);
      if (!original) {
        throw new Error(`GmailEmulator: ${target} has no sent or received message in ${b.email} to reply to`);
      }
      const subject = reply.subject ?? replySubject(original.mail.subject);
      const references = [
        ...original.mail.references,
        ...(original.mail.messageId ? [original.mail.messageId] : []),
      ];
      const { raw } = await composeInbound({
        from: reply.from,
        to: b.email,
        subject,
        text: reply.text,
        ...(reply.html ? { html: reply.html } : {}),
        ...(original.mail.messageId ? { inReplyTo: original.mail.messageId } : {}),
        references,
        date: new Date(clock.now()),
        ...(reply.headers ? { headers: reply.headers } : {}),
      });
      return view(await store.deliver(b, raw, ['INBOX', 'UNREAD'], original.threadId));
    },
    receive: async (mail) => {
      const b = box(mail.mailbox);
      const thread = mail.threadId ? b.thread(mail.threadId) : [];
      if (mail.threadId && thread.length === 0) {
        throw new Error(`GmailEmulator: no thread ${mail.threadId} in ${b.email}`);
      }
      const parent = mail.inReplyTo
        ? threadOfMessageId(b, mail.inReplyTo).find((m) => sameId(m.mail.messageId, mail.inReplyTo))
        : thread.filter((m) => !m.labelIds.includes('DRAFT')).at(-1);
      const inReplyTo = parent?.mail.messageId ?? mail.inReplyTo;
      const references = parent
        ? [...parent.mail.references, ...(parent.mail.messageId ? [parent.mail.messageId] : [])]
        : inReplyTo
          ? [inReplyTo]
          : [];
      const { raw } = await composeInbound({
        from: mail.from,
        to: mail.to ?? b.email,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(inReplyTo ? { inReplyTo } : {}),
        references,
        date: new Date(clock.now()),
        ...(mail.headers ? { headers: mail.headers } : {}),
      });
      const threadId =
        mail.threadId ??
        (inReplyTo ? store.threadOfReply(b, { inReplyTo, references, subject: mail.subject }) : undefined);
      return view(await store.deliver(b, raw, ['INBOX', 'UNREAD'], threadId));
    },
  };
}

const sameId = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && bareMessageId(a) === bareMessageId(b);

function threadOfMessageId(box: Mailbox, messageId: string): StoredMessage[] {
  const wanted = bareMessageId(messageId);
  const hit = box.newestFirst().find((m) => m.mail.messageId && bareMessageId(m.mail.messageId) === wanted);
  return hit ? box.thread(hit.threadId) : [];
}

const replySubject = (subject: string): string => (/^re:/i.test(subject.trim()) ? subject : `Re: ${subject}`);

function view(message: StoredMessage): EmulatedMessage {
  const { mail } = message;
  return {
    id: message.id,
    threadId: message.threadId,
    labelIds: [...message.labelIds],
    from: mail.from?.address ?? '',
    fromName: mail.from?.name ?? '',
    to: mail.to.map((a) => a.address).join(', '),
    subject: mail.subject,
    text: mail.text.replace(/\r?\n$/, ''),
    ...(mail.html !== undefined ? { html: mail.html } : {}),
    ...(mail.messageId ? { messageId: mail.messageId } : {}),
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    references: [...mail.references],
    ...(mail.listUnsubscribe ? { listUnsubscribe: mail.listUnsubscribe } : {}),
    internalDate: message.internalDate,
  };
}
