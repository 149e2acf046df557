// What already exists in the mailbox: Baton's drafts and sent mail by their mark, a draft's content.
import type { gmail_v1 } from '@googleapis/gmail';
import type { Logger } from '../../src/log.ts';
import { NotFoundError, type ServicePolicy } from '../core/index.ts';
import { bareMessageId, MARKER_HEADER } from './compose.ts';
import { type DraftMime, parseAddresses, readDraftMime } from './read.ts';
import {
  DraftList,
  GmailMessage,
  MessageList,
  parseAnswer,
  RawDraftAnswer,
  ThreadAnswer,
} from './schemas.ts';

/** A message's identity: Gmail's ids, the Message-ID recipients see, Baton's mark, who it goes to. */
export interface MessageMark {
  id: string;
  threadId: string;
  labelIds: string[];
  messageId?: string;
  marker?: string;
  /** To, Cc and Bcc addresses, in that order. */
  recipients: string[];
}

const MARK_HEADERS = ['Message-ID', MARKER_HEADER, 'To', 'Cc', 'Bcc'];

/** Messages looked at when the search index may not hold a fresh write yet (see `recent*`). */
const RECENT = 10;

/**
 * Read-only questions to the mailbox; every request goes through the client's policy (read budget).
 * Searches (`q`) run on Gmail's index, which lags fresh writes; the `recent*` lookups list without
 * `q` and read each message directly, so they also see what was written a moment ago.
 */
export class MailboxLookups {
  /** Message id → its mark. A Gmail message never changes its headers (an edit makes a new message). */
  readonly #marks = new Map<string, MessageMark>();

  constructor(
    private readonly api: gmail_v1.Gmail,
    private readonly policy: ServicePolicy,
    private readonly log: Logger,
  ) {}

  /** The draft carrying `messageId`, by search (`rfc822msgid:`): misses a draft written moments ago. */
  async draftWithMessageId(messageId: string): Promise<{ draftId: string; threadId: string } | undefined> {
    const q = `rfc822msgid:${bareMessageId(messageId)}`;
    const { data } = await this.policy.call(
      'drafts.list',
      () => this.api.users.drafts.list({ userId: 'me', q, maxResults: 10 }),
      'read',
    );
    const [draft, ...others] = parseAnswer(DraftList, data, 'drafts.list').drafts ?? [];
    if (others.length)
      this.log.warn({ messageId, drafts: others.length + 1 }, 'several drafts carry one Message-ID');
    return draft ? { draftId: draft.id, threadId: draft.message.threadId } : undefined;
  }

  /** Among the newest drafts (no search), the one Baton marked with `marker`. */
  async recentDraftMarked(marker: string): Promise<{ draftId: string; threadId: string } | undefined> {
    const { data } = await this.policy.call(
      'drafts.list',
      () => this.api.users.drafts.list({ userId: 'me', maxResults: RECENT }),
      'read',
    );
    for (const draft of parseAnswer(DraftList, data, 'drafts.list').drafts ?? []) {
      const mark = await this.mark(draft.message.id);
      if (mark && isMarked(mark, marker)) return { draftId: draft.id, threadId: draft.message.threadId };
    }
    return undefined;
  }

  /** A sent message to `address` that Baton marked with `marker`, by search (`in:sent to:`). */
  async sentToMarked(address: string, marker: string): Promise<MessageMark | undefined> {
    return this.#firstMarked(
      { q: `in:sent to:${address}`, maxResults: 50 },
      (m) => m.labelIds.includes('SENT') && isMarked(m, marker),
    );
  }

  /** Among the newest sent messages (no search), the one Baton marked with `marker`. */
  async recentSentMarked(marker: string): Promise<MessageMark | undefined> {
    return this.#firstMarked({ labelIds: ['SENT'], maxResults: RECENT }, (m) => isMarked(m, marker));
  }

  /** The sent message of a thread that Baton marked with `marker` (threads.get: no search involved). */
  async sentInThread(threadId: string, marker: string): Promise<MessageMark | undefined> {
    try {
      return (await this.threadMarked(threadId, marker)).sent;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * A thread's messages oldest first (format=metadata: Baton's mark headers and `extra`), and the
   * sent one Baton marked with `marker`, if any. One threads.get.
   * @throws NotFoundError when the thread does not exist.
   */
  async threadMarked(
    threadId: string,
    marker: string,
    extra: readonly string[] = [],
  ): Promise<{ messages: GmailMessage[]; sent?: MessageMark }> {
    const messages = await this.threadMessages(threadId, [...MARK_HEADERS, ...extra]);
    const sent = messages.map(toMark).find((m) => m.labelIds.includes('SENT') && isMarked(m, marker));
    return { messages, ...(sent ? { sent } : {}) };
  }

  /**
   * A thread's messages, oldest first, with only the headers named (threads.get format=metadata,
   * the cheap read).
   * @throws NotFoundError when the thread does not exist.
   */
  async threadMessages(threadId: string, headers: readonly string[]): Promise<GmailMessage[]> {
    const { data } = await this.policy.call(
      `threads.get ${threadId}`,
      () =>
        this.api.users.threads.get({
          userId: 'me',
          id: threadId,
          format: 'metadata',
          metadataHeaders: [...headers],
        }),
      'read',
    );
    const messages = parseAnswer(ThreadAnswer, data, 'threads.get').messages ?? [];
    return messages.sort((a, b) => Number(a.internalDate ?? 0) - Number(b.internalDate ?? 0));
  }

  /** A message's mark (cached), or undefined when it is gone. */
  async mark(id: string): Promise<MessageMark | undefined> {
    const known = this.#marks.get(id);
    if (known) return known;
    try {
      const { data } = await this.policy.call(
        `messages.get ${id}`,
        () =>
          this.api.users.messages.get({
            userId: 'me',
            id,
            format: 'metadata',
            metadataHeaders: MARK_HEADERS,
          }),
        'read',
      );
      const mark = toMark(parseAnswer(GmailMessage, data, 'messages.get'));
      if (this.#marks.size >= 2000) this.#marks.delete(this.#marks.keys().next().value ?? '');
      this.#marks.set(id, mark);
      return mark;
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  /** A draft's thread and MIME content as it is now, or undefined when Gmail answers 404. */
  async draft(draftId: string): Promise<{ threadId: string; mime: DraftMime } | undefined> {
    try {
      const { data } = await this.policy.call(
        `drafts.get ${draftId}`,
        () => this.api.users.drafts.get({ userId: 'me', id: draftId, format: 'raw' }),
        'read',
      );
      const answer = parseAnswer(RawDraftAnswer, data, 'drafts.get');
      return { threadId: answer.message.threadId, mime: await readDraftMime(answer.message.raw) };
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
  }

  async #firstMarked(
    params: { q?: string; labelIds?: string[]; maxResults: number },
    wanted: (mark: MessageMark) => boolean,
  ): Promise<MessageMark | undefined> {
    const { data } = await this.policy.call(
      'messages.list',
      () => this.api.users.messages.list({ userId: 'me', ...params }),
      'read',
    );
    for (const ref of parseAnswer(MessageList, data, 'messages.list').messages ?? []) {
      const mark = await this.mark(ref.id);
      if (mark && wanted(mark)) return mark;
    }
    return undefined;
  }
}

/** Baton's mark, or (for a draft written before marks existed) its Message-ID, names `marker`. */
function isMarked(mark: MessageMark, marker: string): boolean {
  const wanted = bareMessageId(marker);
  const own = mark.marker ?? (mark.labelIds.includes('DRAFT') ? mark.messageId : undefined);
  return own !== undefined && bareMessageId(own) === wanted;
}

function toMark(message: GmailMessage): MessageMark {
  const headers = message.payload?.headers ?? [];
  const header = (name: string) => headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
  const addresses = (name: string) => parseAddresses(header(name) ?? '').map((a) => a.address);
  const messageId = header('Message-ID');
  const marker = header(MARKER_HEADER);
  return {
    id: message.id,
    threadId: message.threadId,
    labelIds: message.labelIds ?? [],
    ...(messageId ? { messageId } : {}),
    ...(marker ? { marker } : {}),
    recipients: [...addresses('To'), ...addresses('Cc'), ...addresses('Bcc')],
  };
}
