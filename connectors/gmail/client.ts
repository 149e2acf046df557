// The Gmail connector: idempotent drafts, sending, threads and replies over @googleapis/gmail.
import { gmail, type gmail_v1 } from '@googleapis/gmail';
import type { OAuth2Client } from 'google-auth-library';
import { type Logger, silentLogger } from '../../src/log.ts';
import { NotFoundError, type RateLimit, ServiceError, type ServicePolicy } from '../core/index.ts';
import { MailboxChanges } from './changes.ts';
import { bareMessageId, composeRaw, messageIdFor } from './compose.ts';
import { draftGone, WrongRecipientError } from './errors.ts';
import { MailboxLookups, type MessageMark } from './lookups.ts';
import { classifyGmailError, createGmailPolicy, type GmailBudget } from './policy.ts';
import { type DraftMime, readMessage } from './read.ts';
import {
  baseSubject,
  headerOf,
  PARENT_HEADERS,
  REPLY_HEADERS,
  referencesAfter,
  repliesAmong,
  replySubject,
} from './replies.ts';
import {
  CreateDraftSchema,
  DraftAnswer,
  DraftContentSchema,
  GmailMessage,
  MessageList,
  parseAnswer,
  parseInput,
  RepliesInSchema,
  SendEditSchema,
  SendReplySchema,
  ThreadAnswer,
} from './schemas.ts';
import type {
  CreateDraftInput,
  Draft,
  DraftContent,
  DraftRef,
  GmailReply,
  MailMessage,
  MailThread,
  SendEdit,
  SendReplyInput,
  SentRef,
} from './types.ts';
import { type WriteOnceOptions, writeOnce } from './write-once.ts';

export interface GmailClientOptions {
  /** From `createGoogleAuth` (OAuth refresh token, or a service account impersonating the mailbox). */
  auth: OAuth2Client;
  /** The From line. Without `email`, the signed-in mailbox's address (asked once via getProfile). */
  sender?: { name?: string; email?: string };
  log?: Logger;
  /** Request budgets per kind (defaults: GMAIL_LIMITS). */
  limits?: Partial<Record<GmailBudget, RateLimit>>;
  /** Attempts per request including the first (default 5). */
  maxAttempts?: number;
  /** Backoff start and cap in ms (defaults 500 ms, 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Consecutive failures that pause Gmail calls (default 8), and for how long (default 60 s). */
  breakAfter?: number;
  pauseMs?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Host part of the Message-IDs Baton gives its drafts (default baton.local). */
  messageIdDomain?: string;
}

/**
 * One mailbox, through one ServicePolicy: every request waits for its rate budget (read / write /
 * send), 429s and 5xx are retried with backoff, repeated failures pause the service. The SDK's own
 * retries are off (`retry: false`) so each retry is counted once, here.
 *
 * Drafts carry a Message-ID derived from the caller's idempotency key, repeated in an X-Baton-Id
 * header because Gmail gives the email a Message-ID of its own when it sends it. Creating and
 * sending look for that mark before every attempt (by search, and among the newest drafts and sent
 * mail, which the lagging search index may not hold yet), so a crash or a lost answer never yields
 * a second draft or a second email.
 */
export class GmailClient {
  readonly policy: ServicePolicy;
  /** The mailbox's change feeds (history, newest inbox mail), for triggers such as gmailReplies. */
  readonly changes: MailboxChanges;
  readonly #api: gmail_v1.Gmail;
  readonly #lookups: MailboxLookups;
  readonly #options: GmailClientOptions;
  readonly #log: Logger;
  /** Draft id → its Message-ID, for sendDraft after the draft is gone (this process only). */
  readonly #messageIds = new Map<string, string>();
  #mailbox: Promise<string> | undefined;

  constructor(options: GmailClientOptions) {
    this.#options = options;
    this.#log = (options.log ?? silentLogger).child({ service: 'gmail' });
    this.policy = createGmailPolicy({ ...options, log: this.#log });
    this.#api = gmail({
      version: 'v1',
      auth: options.auth,
      retry: false,
      timeout: options.timeoutMs ?? 30_000,
    });
    this.#lookups = new MailboxLookups(this.#api, this.policy, this.#log);
    this.changes = new MailboxChanges(this.#api, this.policy);
  }

  /** True while Gmail calls are paused by the circuit breaker (a trigger skips its poll). */
  get paused(): boolean {
    return this.policy.paused;
  }

  /**
   * Creates a draft to exactly one recipient. Idempotent by `idempotencyKey`: when a draft — or an
   * already sent message to `to` — carries the key's mark, that one is returned and nothing is created.
   * @throws ServiceError when `to` is not a single address or the input is malformed (never retryable);
   *   AuthError / ServiceError from Gmail otherwise.
   */
  async createDraft(input: CreateDraftInput): Promise<DraftRef | SentRef> {
    const draft = parseInput(CreateDraftSchema, input, 'createDraft');
    const messageId = messageIdFor(draft.idempotencyKey, this.#options.messageIdDomain);
    const mailbox = await this.senderAddress();
    let raw: string | undefined;
    return this.#writeOnce<DraftRef | SentRef>({
      operation: 'drafts.create',
      budget: 'write',
      checkedFirst: draft.noEarlierTry === true,
      find: () => this.#findByMark(messageId, draft.to, mailbox),
      write: async () => {
        raw ??= await this.#compose(draft, messageId, mailbox);
        const { data } = await this.#api.users.drafts.create({
          userId: 'me',
          requestBody: { message: { raw, ...(draft.threadId ? { threadId: draft.threadId } : {}) } },
        });
        const created = parseAnswer(DraftAnswer, data, 'drafts.create');
        if (draft.threadId && created.message.threadId !== draft.threadId) {
          this.#log.warn(
            { threadId: draft.threadId },
            'Gmail started a new thread: a reply only threads when inReplyTo/references name a message of the thread and the subject matches',
          );
        }
        return this.#draftRef(created.id, messageId, created.message.threadId, mailbox);
      },
    });
  }

  /**
   * Replaces a draft's content, keeping its Message-ID (and so its idempotency key). Safe to repeat.
   * @throws NotFoundError when the draft no longer exists (sent or deleted).
   */
  async updateDraft(draftId: string, content: DraftContent): Promise<DraftRef> {
    const next = parseInput(DraftContentSchema, content, 'updateDraft');
    const current = await this.#readDraft(draftId);
    if (!current) throw draftGone(draftId);
    const mailbox = await this.senderAddress();
    const messageId =
      this.#messageIds.get(draftId) ?? messageIdFor(`draft:${draftId}`, this.#options.messageIdDomain);
    return this.#putDraft(
      draftId,
      { ...next, threadId: next.threadId ?? current.threadId },
      messageId,
      mailbox,
    );
  }

  /**
   * Sends a draft. With `edit.to`, only when the draft goes to exactly that address (To, no other
   * To/Cc/Bcc). With `edit.subject` / `edit.text` / `edit.html` the draft is rewritten first (the
   * recipient and threading headers stay); a new text without html drops the old html part, so the
   * recipient reads exactly the edited text. Idempotent: when the draft is gone but a sent message
   * carries its mark, that message is returned and nothing is sent. Pass the DraftRef from
   * createDraft (or `edit.messageId`) so this also holds in a new process.
   * @returns the sent email, with the Message-ID Gmail gave it and the addresses it went to.
   * @throws WrongRecipientError (not retryable, nothing sent) when `edit.to` is set and the draft is
   *   addressed to anyone else; NotFoundError when the draft is gone and no sent message carries its mark.
   */
  async sendDraft(draft: string | DraftRef | SentRef, edit: SendEdit = {}): Promise<SentRef> {
    if (typeof draft !== 'string' && draft.status === 'sent') return draft;
    const change = parseInput(SendEditSchema, edit, 'sendDraft');
    const draftId = typeof draft === 'string' ? draft : draft.draftId;
    const known =
      typeof draft === 'string' ? (change.messageId ?? this.#messageIds.get(draftId)) : draft.messageId;
    const mailbox = await this.senderAddress();
    const current = await this.#readDraft(draftId);
    if (!current) {
      const threadId = typeof draft === 'string' ? undefined : draft.threadId;
      const sent = known ? await this.#findSent(known, mailbox, { threadId, to: change.to }) : undefined;
      if (sent) return sent;
      throw draftGone(draftId);
    }
    const mime = current.mime;
    if (change.to !== undefined) {
      const expected = change.to.toLowerCase();
      if (!mime.recipients.length || mime.recipients.some((r) => r.toLowerCase() !== expected)) {
        throw new WrongRecipientError(draftId, mime.recipients, change.to);
      }
    }
    // The key's mark, even when an edit in Gmail dropped it: the sent email must carry it.
    let messageId = mime.marker ?? known ?? mime.messageId;
    const rewrite =
      change.text !== undefined ||
      change.html !== undefined ||
      (change.subject !== undefined && change.subject !== mime.subject) ||
      (mime.marker === undefined && messageId !== undefined);
    if (rewrite) {
      const html = change.html ?? (change.text !== undefined ? undefined : mime.html);
      messageId ??= messageIdFor(`draft:${draftId}`, this.#options.messageIdDomain);
      await this.#putDraft(
        draftId,
        {
          to: change.to ?? mime.to,
          subject: change.subject ?? mime.subject,
          text: change.text ?? mime.text,
          ...(html !== undefined ? { html } : {}),
          threadId: current.threadId,
          ...(mime.inReplyTo ? { inReplyTo: mime.inReplyTo } : {}),
          ...(mime.references.length ? { references: mime.references } : {}),
          ...(mime.listUnsubscribe ? { listUnsubscribe: mime.listUnsubscribe } : {}),
        },
        messageId,
        mailbox,
      );
    }
    const mark = messageId;
    const threadId = current.threadId;
    return this.#writeOnce<SentRef>({
      operation: 'drafts.send',
      budget: 'send',
      checkedFirst: true,
      // The send keeps the draft's thread, which threads.get reads without the lagging search.
      find: () => (mark ? this.#findSent(mark, mailbox, { threadId }) : Promise.resolve(undefined)),
      write: async () => {
        const { data } = await this.#api.users.drafts.send({ userId: 'me', requestBody: { id: draftId } });
        const sent = parseAnswer(GmailMessage, data, 'drafts.send');
        // Gmail chose the Message-ID the lead received: read it back. Should this read fail, the
        // retry finds the sent message in the thread instead of sending again.
        const real = await this.#lookups.mark(sent.id);
        if (!real) throw new Error(`gmail drafts.send: sent message ${sent.id} cannot be read back`);
        return this.#sentRef(real, mailbox);
      },
    });
  }

  /**
   * Sends a follow-up into an existing thread, exactly once per `idempotencyKey`, to `to` only.
   * Reads the thread first (one threads.get): when a sent message there already carries the key's
   * mark (an earlier attempt, a crash after the send), that one is returned and nothing is sent.
   * Otherwise sends (messages.send) with Gmail's `threadId`, `In-Reply-To` = the real Message-ID of
   * the thread's latest message (read back from the thread: Gmail rewrites Message-IDs on send),
   * `References` = that message's chain plus its Message-ID, and the subject with one `Re: `.
   * @returns the sent email, with the Message-ID Gmail gave it.
   * @throws NotFoundError when the thread does not exist; ServiceError (not retryable, nothing sent)
   *   when `to` is not one address, or the subject is not the thread's (Gmail would start a new
   *   thread); AuthError / ServiceError from Gmail otherwise.
   */
  async sendReply(input: SendReplyInput): Promise<SentRef> {
    const reply = parseInput(SendReplySchema, input, 'sendReply');
    const mark = messageIdFor(reply.idempotencyKey, this.#options.messageIdDomain);
    const mailbox = await this.senderAddress();
    const { messages, sent } = await this.#lookups.threadMarked(reply.threadId, mark, PARENT_HEADERS);
    if (sent) return this.#sentRef(sent, mailbox);
    const parent = messages
      .filter((m) => !(m.labelIds ?? []).includes('DRAFT') && headerOf(m, 'Message-ID'))
      .at(-1);
    if (!parent) {
      throw new ServiceError(
        'gmail',
        `gmail sendReply: thread ${reply.threadId} has no message to reply to`,
        {
          retryable: false,
          hint: 'pass the threadId of an email that was sent or received (SentRef.threadId), not of a draft',
        },
      );
    }
    const subject = replySubject(reply.subject);
    const threadSubject = headerOf(messages[0] ?? parent, 'Subject') ?? '';
    if (baseSubject(subject) !== baseSubject(threadSubject)) {
      throw new ServiceError(
        'gmail',
        `gmail sendReply: subject "${reply.subject}" is not the thread's ("${threadSubject}"); Gmail would start a new thread`,
        { retryable: false, hint: 'pass the subject of the first email of the thread' },
      );
    }
    const parentId = headerOf(parent, 'Message-ID') ?? '';
    const references = referencesAfter({
      messageId: parentId,
      ...optional('references', headerOf(parent, 'References')),
      ...optional('inReplyTo', headerOf(parent, 'In-Reply-To')),
    });
    const threadId = reply.threadId;
    let raw: string | undefined;
    return this.#writeOnce<SentRef>({
      operation: 'messages.send',
      budget: 'send',
      checkedFirst: true,
      // A retry after an unknown outcome looks in the thread, then among mail sent to `to`.
      find: () => this.#findSent(mark, mailbox, { threadId, to: reply.to }),
      write: async () => {
        raw ??= await this.#compose(
          {
            to: reply.to,
            subject,
            text: reply.text,
            ...optional('html', reply.html),
            inReplyTo: parentId,
            references,
            ...optional('listUnsubscribe', reply.listUnsubscribe),
          },
          mark,
          mailbox,
        );
        const { data } = await this.#api.users.messages.send({
          userId: 'me',
          requestBody: { raw, threadId },
        });
        const message = parseAnswer(GmailMessage, data, 'messages.send');
        if (message.threadId !== threadId) {
          this.#log.warn({ threadId, landedIn: message.threadId }, 'Gmail put the follow-up in a new thread');
        }
        // The Message-ID the lead received is Gmail's: read it back (a failed read is retried by
        // finding the sent message in the thread, never by sending again).
        const real = await this.#lookups.mark(message.id);
        if (!real) throw new Error(`gmail messages.send: sent message ${message.id} cannot be read back`);
        return this.#sentRef(real, mailbox);
      },
    });
  }

  /**
   * The sent email Baton marked with `idempotencyKey` (by createDraft then sendDraft, or sendReply),
   * looked for in `threadId` when given (threads.get), then among mail sent to `to` (a search, whose
   * index lags a fresh send), then among the newest sent mail. For a run taken up again after its
   * data folder was lost: what its first life sent. Undefined when nothing carries the mark.
   */
  async findSent(
    idempotencyKey: string,
    where: { to?: string; threadId?: string } = {},
  ): Promise<SentRef | undefined> {
    const mark = messageIdFor(idempotencyKey, this.#options.messageIdDomain);
    return this.#findSent(mark, await this.senderAddress(), where);
  }

  /**
   * The answers in a thread (one threads.get, format=metadata): messages without the SENT or DRAFT
   * label, from an address that is not ours (the mailbox's and `sender.email`, case-insensitive),
   * from `options.from` only when given, that reached the mailbox after `options.after`. Automatic
   * mail does not count: `Auto-Submitted` other than `no` (out-of-office), mailer-daemon@ and
   * postmaster@ (bounces). Oldest first; empty when there is none.
   * @throws NotFoundError when the thread does not exist.
   */
  async repliesIn(threadId: string, options: { after: Date | number; from?: string }): Promise<GmailReply[]> {
    const { after, from } = parseInput(RepliesInSchema, options, 'repliesIn');
    const ours = new Set([(await this.mailboxAddress()).toLowerCase()]);
    const configured = this.#options.sender?.email;
    if (configured) ours.add(configured.toLowerCase());
    const messages = await this.#lookups.threadMessages(threadId, REPLY_HEADERS);
    return repliesAmong(messages, {
      after: after instanceof Date ? after.getTime() : typeof after === 'string' ? Date.parse(after) : after,
      ours,
      ...optional('from', from?.toLowerCase()),
    });
  }

  /** Deletes a draft; true when it was deleted now, false when it was already gone (not an error). */
  async deleteDraft(draftId: string): Promise<boolean> {
    try {
      await this.policy.call(
        `drafts.delete ${draftId}`,
        () => this.#api.users.drafts.delete({ userId: 'me', id: draftId }),
        'write',
      );
      this.#messageIds.delete(draftId);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  /**
   * A draft as it is now in Gmail (a human may have edited it).
   * @throws NotFoundError when the draft no longer exists.
   */
  async getDraft(draftId: string): Promise<Draft> {
    const current = await this.#readDraft(draftId);
    if (!current) throw draftGone(draftId);
    const mailbox = await this.senderAddress();
    const { mime } = current;
    const messageId = mime.messageId ?? '';
    return {
      ...this.#draftRef(draftId, messageId, current.threadId, mailbox),
      to: mime.to,
      subject: mime.subject,
      text: mime.text,
      ...(mime.html !== undefined ? { html: mime.html } : {}),
      ...(mime.inReplyTo ? { inReplyTo: mime.inReplyTo } : {}),
      references: mime.references,
    };
  }

  /**
   * The ids of messages matching a Gmail search (`q`, as in Gmail's search box), newest first; one
   * messages.list request. Searches run on Gmail's index, which lags fresh mail by seconds to minutes.
   */
  async searchMessages(q: string, maxResults = 100): Promise<{ id: string; threadId: string }[]> {
    const { data } = await this.policy.call(
      'messages.list',
      () => this.#api.users.messages.list({ userId: 'me', q, maxResults }),
      'read',
    );
    return parseAnswer(MessageList, data, 'messages.list').messages ?? [];
  }

  /**
   * One message, read in full (messages.get format=full).
   * @throws NotFoundError when the message does not exist (or was deleted).
   */
  async getMessage(id: string): Promise<MailMessage> {
    const { data } = await this.policy.call(
      `messages.get ${id}`,
      () => this.#api.users.messages.get({ userId: 'me', id, format: 'full' }),
      'read',
    );
    return readMessage(parseAnswer(GmailMessage, data, 'messages.get'));
  }

  /**
   * A thread's messages, oldest first.
   * @throws NotFoundError when the thread does not exist (or was deleted).
   */
  async getThread(threadId: string): Promise<MailThread> {
    const { data } = await this.policy.call(
      `threads.get ${threadId}`,
      () => this.#api.users.threads.get({ userId: 'me', id: threadId, format: 'full' }),
      'read',
    );
    const thread = parseAnswer(ThreadAnswer, data, 'threads.get');
    return {
      id: thread.id,
      messages: (thread.messages ?? []).map(readMessage).sort((a, b) => a.date - b.date),
    };
  }

  /**
   * The first message in the thread that arrived after `after` (epoch ms) and is not ours — not a
   * draft, not sent by this mailbox, not from `ourAddress` (default: the sender address) — or
   * undefined. Counts out-of-office answers and bounces too: a recipe waiting for the lead wants
   * `repliesIn` (or `gmailReplyWait`).
   * @throws NotFoundError when the thread does not exist.
   */
  async findReply(
    threadId: string,
    options: { after: number; ourAddress?: string },
  ): Promise<MailMessage | undefined> {
    const ours = (options.ourAddress ?? (await this.senderAddress())).toLowerCase();
    const thread = await this.getThread(threadId);
    return thread.messages.find(
      (m) =>
        m.date > options.after &&
        !m.labelIds.includes('DRAFT') &&
        !m.labelIds.includes('SENT') &&
        m.from.address.toLowerCase() !== ours,
    );
  }

  /** The address Baton sends from: `sender.email`, else the signed-in mailbox (asked once). */
  senderAddress(): Promise<string> {
    const configured = this.#options.sender?.email;
    return configured ? Promise.resolve(configured) : this.mailboxAddress();
  }

  /** The signed-in mailbox's address (users.getProfile, asked once per client). */
  mailboxAddress(): Promise<string> {
    this.#mailbox ??= this.changes
      .profile()
      .then((profile) => profile.emailAddress)
      .catch((err: unknown) => {
        this.#mailbox = undefined;
        throw err;
      });
    return this.#mailbox;
  }

  #writeOnce<T>(options: WriteOnceOptions<T>): Promise<T> {
    const maxDelayMs = this.#options.maxDelayMs ?? 30_000;
    return writeOnce(
      {
        policy: this.policy,
        isAmbiguous: (err) => classifyGmailError(err, maxDelayMs).kind === 'transient',
        maxAttempts: this.#options.maxAttempts ?? 5,
        initialDelayMs: this.#options.initialDelayMs ?? 500,
        maxDelayMs,
        log: this.#log,
      },
      options,
    );
  }

  /**
   * The draft, or the message sent to `to`, that carries `mark`, if one exists: by search first,
   * then among the newest drafts and sent mail, which a lagging search index may not show yet.
   */
  async #findByMark(mark: string, to: string, mailbox: string): Promise<DraftRef | SentRef | undefined> {
    const indexed = await this.#lookups.draftWithMessageId(mark);
    if (indexed) return this.#draftRef(indexed.draftId, mark, indexed.threadId, mailbox);
    const sent = await this.#lookups.sentToMarked(to, mark);
    if (sent) return this.#sentRef(sent, mailbox);
    const fresh = await this.#lookups.recentDraftMarked(mark);
    if (fresh) return this.#draftRef(fresh.draftId, mark, fresh.threadId, mailbox);
    return this.#findSent(mark, mailbox, {});
  }

  /** The sent message carrying `mark`: in its thread when known, else by recipient, else among the newest. */
  async #findSent(
    mark: string,
    mailbox: string,
    where: { threadId?: string | undefined; to?: string | undefined },
  ): Promise<SentRef | undefined> {
    const sent =
      (where.threadId ? await this.#lookups.sentInThread(where.threadId, mark) : undefined) ??
      (where.to ? await this.#lookups.sentToMarked(where.to, mark) : undefined) ??
      (await this.#lookups.recentSentMarked(mark));
    return sent && this.#sentRef(sent, mailbox);
  }

  #sentRef(sent: MessageMark, mailbox: string): SentRef {
    const messageId = sent.messageId ?? '';
    return {
      status: 'sent',
      id: sent.id,
      messageId,
      threadId: sent.threadId,
      recipients: sent.recipients,
      link: messageId ? this.#link(messageId, mailbox) : this.#messageLink(sent.id, mailbox),
    };
  }

  /** The draft as it is now (remembering its Message-ID), or undefined when it is gone. */
  async #readDraft(draftId: string): Promise<{ threadId: string; mime: DraftMime } | undefined> {
    const draft = await this.#lookups.draft(draftId);
    // Baton's mark first: an edit in Gmail's web app may drop the X- header or change the Message-ID.
    const mark = draft?.mime.marker ?? this.#messageIds.get(draftId) ?? draft?.mime.messageId;
    if (mark) this.#messageIds.set(draftId, mark);
    return draft;
  }

  async #putDraft(
    draftId: string,
    content: DraftContent,
    messageId: string,
    mailbox: string,
  ): Promise<DraftRef> {
    const raw = await this.#compose(content, messageId, mailbox);
    const { data } = await this.policy.call(
      `drafts.update ${draftId}`,
      () =>
        this.#api.users.drafts.update({
          userId: 'me',
          id: draftId,
          requestBody: {
            id: draftId,
            message: { raw, ...(content.threadId ? { threadId: content.threadId } : {}) },
          },
        }),
      'write',
    );
    const updated = parseAnswer(DraftAnswer, data, 'drafts.update');
    return this.#draftRef(draftId, messageId, updated.message.threadId, mailbox);
  }

  #compose(content: DraftContent, messageId: string, mailbox: string): Promise<string> {
    const name = this.#options.sender?.name;
    return composeRaw({
      from: { address: mailbox, ...(name ? { name } : {}) },
      to: content.to,
      subject: content.subject,
      text: content.text,
      ...(content.html !== undefined ? { html: content.html } : {}),
      messageId,
      ...(content.inReplyTo ? { inReplyTo: content.inReplyTo } : {}),
      ...(content.references?.length ? { references: content.references } : {}),
      ...(content.listUnsubscribe ? { listUnsubscribe: content.listUnsubscribe } : {}),
    });
  }

  #draftRef(draftId: string, messageId: string, threadId: string, mailbox: string): DraftRef {
    if (messageId) this.#messageIds.set(draftId, messageId);
    return { status: 'draft', draftId, messageId, threadId, link: this.#link(messageId, mailbox) };
  }

  /**
   * A Gmail web link that finds the message by Message-ID in the right account. (The old
   * `#drafts?compose=<id>` links no longer open a draft, and the search keeps working once it is sent.)
   */
  #link(messageId: string, mailbox: string): string {
    const search = encodeURIComponent(`rfc822msgid:${bareMessageId(messageId)}`);
    return `https://mail.google.com/mail/u/${encodeURIComponent(mailbox)}/#search/${search}`;
  }

  /** A Gmail web link to a message by Gmail's id, for a message without a Message-ID header. */
  #messageLink(id: string, mailbox: string): string {
    return `https://mail.google.com/mail/u/${encodeURIComponent(mailbox)}/#all/${encodeURIComponent(id)}`;
  }
}

/** `{ [key]: value }` when value is defined, else `{}` (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
