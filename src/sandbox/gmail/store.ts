// The emulator's state changes: drafts created, replaced, sent and deleted; mail delivered; threading.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { invalidArgument, notFound } from './errors.ts';
import { baseSubject, isDeliverable, type MailView, readMail } from './mail-view.ts';
import { Mailbox, type StoredMessage } from './mailbox.ts';

/**
 * All mailboxes of one emulator. Methods throw Gmail error Responses (400/404) for input Gmail
 * would refuse, so HTTP handlers can let them through unchanged.
 */
export class MailStore {
  readonly #mailboxes = new Map<string, Mailbox>();
  #seq = 0;

  constructor(private readonly clock: Clock) {}

  /** The mailbox of `email`, created empty on first use. */
  mailbox(email: string): Mailbox {
    const key = email.toLowerCase();
    let box = this.#mailboxes.get(key);
    if (!box) {
      box = new Mailbox(key);
      this.#mailboxes.set(key, box);
    }
    return box;
  }

  reset(): void {
    this.#mailboxes.clear();
  }

  /** drafts.create: stores `raw` under a new draft id with the DRAFT label. */
  async createDraft(
    box: Mailbox,
    raw: Buffer,
    threadId?: string,
  ): Promise<{ draftId: string; message: StoredMessage }> {
    const prepared = await this.#prepare(raw);
    const draftId = this.#draftId();
    const message = this.#store(box, prepared, ['DRAFT'], this.#threadFor(box, threadId, prepared.mail));
    box.drafts.set(draftId, message.id);
    return { draftId, message };
  }

  /** drafts.update: the draft's message is replaced by a new message (new id), the draft id stays. */
  async updateDraft(box: Mailbox, draftId: string, raw: Buffer, threadId?: string): Promise<StoredMessage> {
    const current = box.draft(draftId);
    if (!current) throw notFound();
    const prepared = await this.#prepare(raw);
    // Asking to stay in the draft's own thread keeps it there; any other thread follows the threading rule.
    const thread =
      threadId !== undefined && threadId === current.threadId
        ? current.threadId
        : this.#threadFor(box, threadId, prepared.mail);
    box.remove(current.id);
    const message = this.#store(box, prepared, ['DRAFT'], thread);
    box.drafts.set(draftId, message.id);
    return message;
  }

  /**
   * drafts.send: the draft disappears and a new message with the SENT label takes its place in the
   * thread, with a Message-ID of Gmail's making (see #sendable).
   */
  send(box: Mailbox, draftId: string): StoredMessage {
    const draft = box.draft(draftId);
    if (!draft) throw notFound();
    const sent = this.#sendable(box, draft);
    box.remove(draft.id);
    box.drafts.delete(draftId);
    return this.#store(box, sent, ['SENT'], draft.threadId);
  }

  /**
   * messages.send: `raw` goes out at once with the SENT label, in `threadId` only when Gmail's
   * threading rule allows (else a new thread), with a Message-ID of Gmail's making.
   */
  async sendMessage(box: Mailbox, raw: Buffer, threadId?: string): Promise<StoredMessage> {
    const prepared = await this.#prepare(raw);
    const thread = this.#threadFor(box, threadId, prepared.mail);
    return this.#store(box, this.#sendable(box, prepared), ['SENT'], thread);
  }

  /**
   * What goes out when a message is sent. Gmail gives the sent message a Message-ID of its own,
   * whatever the client wrote, and no longer keeps the old one in X-Google-Original-Message-ID
   * (FlowCrypt/flowcrypt-browser#4273, googleapis/google-api-nodejs-client#3204); other headers,
   * X- ones included, are sent as written. Missing From/Date are added.
   */
  #sendable(box: Mailbox, message: { raw: Buffer; mail: MailView }): { raw: Buffer; mail: MailView } {
    const { mail } = message;
    if (mail.to.length + mail.cc.length + mail.bcc.length === 0)
      throw invalidArgument('Recipient address required');
    const messageId = gmailMessageId();
    const missing: string[] = [`Message-ID: ${messageId}`];
    if (!mail.from) missing.push(`From: ${box.email}`);
    if (!mail.date) missing.push(`Date: ${new Date(this.clock.now()).toUTCString()}`);
    const raw = Buffer.concat([
      Buffer.from(`${missing.join('\r\n')}\r\n`),
      withoutHeader(message.raw, 'Message-ID'),
    ]);
    return {
      raw,
      mail: {
        ...mail,
        messageId,
        from: mail.from ?? { name: '', address: box.email },
        date: mail.date ?? new Date(this.clock.now()),
      },
    };
  }

  /** drafts.delete: false when there was no such draft. */
  deleteDraft(box: Mailbox, draftId: string): boolean {
    const draft = box.draft(draftId);
    if (!draft) return false;
    box.remove(draft.id);
    box.drafts.delete(draftId);
    return true;
  }

  /**
   * The thread inbound mail joins by its headers: the thread of a message its In-Reply-To or
   * References name, when the subjects match (Gmail's rule); otherwise undefined (a new thread).
   */
  threadOfReply(box: Mailbox, mail: { inReplyTo?: string; references?: string[]; subject: string }) {
    const refs = new Set([mail.inReplyTo, ...(mail.references ?? [])].filter((r): r is string => !!r));
    if (refs.size === 0) return undefined;
    const subject = baseSubject(mail.subject);
    const parent = box
      .newestFirst()
      .find((m) => m.mail.messageId !== undefined && refs.has(m.mail.messageId));
    if (!parent) return undefined;
    return box.thread(parent.threadId).some((m) => baseSubject(m.mail.subject) === subject)
      ? parent.threadId
      : undefined;
  }

  /** Mail arriving in `box` (inbound), in `threadId` when given, otherwise a new thread. */
  async deliver(box: Mailbox, raw: Buffer, labels: string[], threadId?: string): Promise<StoredMessage> {
    const prepared = await this.#prepare(raw);
    return this.#store(box, prepared, labels, threadId);
  }

  /** Parses and checks a raw message; adds a Message-ID when it has none, as Gmail does. */
  async #prepare(raw: Buffer): Promise<{ raw: Buffer; mail: MailView }> {
    let mail: MailView;
    try {
      mail = await readMail(raw);
    } catch {
      throw invalidArgument('Invalid raw message: not a readable RFC 2822 message');
    }
    if (mail.hasToHeader && (mail.to.length === 0 || mail.to.some((a) => !isDeliverable(a.address)))) {
      throw invalidArgument('Invalid To header');
    }
    if (mail.messageId) return { raw, mail };
    const messageId = gmailMessageId();
    return {
      raw: Buffer.concat([Buffer.from(`Message-ID: ${messageId}\r\n`), raw]),
      mail: { ...mail, messageId },
    };
  }

  /**
   * The thread a new message joins: `requested` only when that thread holds a message the new one
   * replies to (In-Reply-To/References) AND the subjects match; otherwise undefined (a new thread).
   * An unknown thread id is a 404, like Gmail.
   */
  #threadFor(box: Mailbox, requested: string | undefined, mail: MailView): string | undefined {
    if (!requested) return undefined;
    const thread = box.thread(requested);
    if (thread.length === 0) throw notFound();
    const refs = new Set([mail.inReplyTo, ...mail.references].filter((r): r is string => !!r));
    const replies = thread.some((m) => m.mail.messageId !== undefined && refs.has(m.mail.messageId));
    const subject = baseSubject(mail.subject);
    const sameSubject = thread.some((m) => baseSubject(m.mail.subject) === subject);
    return replies && sameSubject ? requested : undefined;
  }

  #store(box: Mailbox, prepared: { raw: Buffer; mail: MailView }, labels: string[], threadId?: string) {
    const id = this.#messageId();
    return box.add({
      id,
      threadId: threadId ?? id,
      labelIds: labels,
      raw: prepared.raw,
      internalDate: this.clock.now(),
      mail: prepared.mail,
    });
  }

  /** 16 hex digits: time in the high bits, like Gmail's ids. */
  #messageId(): string {
    this.#seq = (this.#seq + 1) & 0xfffff;
    return ((BigInt(this.clock.now()) << 20n) | BigInt(this.#seq)).toString(16).padStart(16, '0');
  }

  #draftId(): string {
    this.#seq = (this.#seq + 1) & 0xfffff;
    return `r${(BigInt(this.clock.now()) << 20n) | BigInt(this.#seq)}`;
  }
}

/** A Message-ID of Gmail's making. */
const gmailMessageId = (): string => `<${randomBytes(16).toString('hex')}@mail.gmail.com>`;

/** `raw` without the header `name` (folded continuation lines included); the body is untouched. */
function withoutHeader(raw: Buffer, name: string): Buffer {
  const text = raw.toString('latin1');
  const blank = /\r?\n\r?\n/.exec(text);
  // The head keeps its last line break, so every header line to remove ends with one.
  const end = blank ? blank.index + (blank[0].startsWith('\r') ? 2 : 1) : text.length;
  const pattern = new RegExp(`^${name}:.*(?:\\r?\\n[ \\t].*)*(?:\\r?\\n|$)`, 'gim');
  return Buffer.from(text.slice(0, end).replace(pattern, '') + text.slice(end), 'latin1');
}
