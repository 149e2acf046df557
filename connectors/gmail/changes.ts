// What changed in the mailbox: its history id, inbound messages since one, the newest inbox mail.
import type { gmail_v1 } from '@googleapis/gmail';
import type { ServicePolicy } from '../core/index.ts';
import { HistoryAnswer, MessageList, Profile, parseAnswer } from './schemas.ts';

/** A message that arrived in the inbox. */
export interface InboxArrival {
  id: string;
  threadId: string;
  labelIds: string[];
}

/** One page of users.history.list. */
export interface InboxHistoryPage {
  /** Messages added with the INBOX label (our own sends excluded: they carry SENT), oldest first. */
  arrivals: InboxArrival[];
  /** The id of the last record on this page, when there was one. */
  lastRecordId?: string;
  /** The mailbox's current history id (resume from it once no page is left). */
  historyId: string;
  nextPageToken?: string;
}

/** Read-only change feeds of the mailbox; every request goes through the client's policy (read budget). */
export class MailboxChanges {
  constructor(
    private readonly api: gmail_v1.Gmail,
    private readonly policy: ServicePolicy,
  ) {}

  /** users.getProfile: the mailbox's address and current history id. */
  async profile(): Promise<{ emailAddress: string; historyId: string }> {
    const { data } = await this.policy.call(
      'getProfile',
      () => this.api.users.getProfile({ userId: 'me' }),
      'read',
    );
    const profile = parseAnswer(Profile, data, 'getProfile');
    return { emailAddress: profile.emailAddress, historyId: profile.historyId ?? '' };
  }

  /**
   * Messages added to the inbox after `startHistoryId` (users.history.list, messageAdded, INBOX):
   * one request, 2 quota units.
   * @throws NotFoundError when Gmail no longer knows `startHistoryId` (it keeps about a week, sometimes
   *   hours): the caller must resynchronise.
   */
  async inboxSince(startHistoryId: string, pageToken?: string, maxResults = 500): Promise<InboxHistoryPage> {
    const { data } = await this.policy.call(
      'history.list',
      () =>
        this.api.users.history.list({
          userId: 'me',
          startHistoryId,
          historyTypes: ['messageAdded'],
          labelId: 'INBOX',
          maxResults,
          ...(pageToken ? { pageToken } : {}),
        }),
      'read',
    );
    const answer = parseAnswer(HistoryAnswer, data, 'history.list');
    const records = answer.history ?? [];
    const arrivals: InboxArrival[] = [];
    for (const record of records) {
      for (const { message } of record.messagesAdded ?? []) {
        const labelIds = message.labelIds ?? [];
        if (labelIds.includes('SENT') || labelIds.includes('DRAFT')) continue;
        arrivals.push({ id: message.id, threadId: message.threadId, labelIds });
      }
    }
    const last = records.at(-1)?.id;
    return {
      arrivals,
      ...(last ? { lastRecordId: last } : {}),
      historyId: answer.historyId,
      ...(answer.nextPageToken ? { nextPageToken: answer.nextPageToken } : {}),
    };
  }

  /** The newest inbox messages (messages.list labelIds=INBOX, no search: no index lag). */
  async newestInbox(maxResults: number): Promise<{ id: string; threadId: string }[]> {
    const { data } = await this.policy.call(
      'messages.list',
      () => this.api.users.messages.list({ userId: 'me', labelIds: ['INBOX'], maxResults }),
      'read',
    );
    return parseAnswer(MessageList, data, 'messages.list').messages ?? [];
  }
}
