// What already exists in the mailbox: drafts and sent mail by Message-ID, a draft's current content.
import type { gmail_v1 } from '@googleapis/gmail';
import type { Logger } from '../../src/log.ts';
import { NotFoundError, type ServicePolicy } from '../core/index.ts';
import { bareMessageId } from './compose.ts';
import { type DraftMime, readDraftMime } from './read.ts';
import { DraftList, MessageList, parseAnswer, RawDraftAnswer } from './schemas.ts';

/** Read-only questions to the mailbox; every request goes through the client's policy (read budget). */
export class MailboxLookups {
  constructor(
    private readonly api: gmail_v1.Gmail,
    private readonly policy: ServicePolicy,
    private readonly log: Logger,
  ) {}

  /** The draft carrying `messageId` (Gmail search `rfc822msgid:`), if any. */
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

  /** The sent message carrying `messageId`, if any. */
  async sentWithMessageId(messageId: string): Promise<{ id: string; threadId: string } | undefined> {
    const q = `rfc822msgid:${bareMessageId(messageId)} in:sent`;
    const { data } = await this.policy.call(
      'messages.list',
      () => this.api.users.messages.list({ userId: 'me', q, maxResults: 10 }),
      'read',
    );
    const [sent] = parseAnswer(MessageList, data, 'messages.list').messages ?? [];
    return sent ? { id: sent.id, threadId: sent.threadId } : undefined;
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
}
