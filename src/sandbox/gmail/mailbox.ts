// One user's mailbox: messages with labels, drafts pointing at messages, threads as message groups.
import type { MailView } from './mail-view.ts';

export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: Buffer;
  /** Epoch ms, from the emulator clock when the message entered the mailbox. */
  internalDate: number;
  historyId: number;
  mail: MailView;
}

/** One change to the mailbox, as users.history.list reports it. */
export interface HistoryRecord {
  id: number;
  type: 'messageAdded' | 'messageDeleted';
  message: { id: string; threadId: string; labelIds: string[] };
}

export class Mailbox {
  readonly messages = new Map<string, StoredMessage>();
  /** Draft id → id of the message it currently holds. */
  readonly drafts = new Map<string, string>();
  historyId = 1000;
  /** Changes in order (increasing id); those at or before `historyFloor` were forgotten. */
  history: HistoryRecord[] = [];
  /** The oldest history id still valid as a startHistoryId; older ones get Gmail's 404. */
  historyFloor = 1000;

  constructor(readonly email: string) {}

  add(message: Omit<StoredMessage, 'historyId'>): StoredMessage {
    const stored = { ...message, historyId: ++this.historyId };
    this.messages.set(stored.id, stored);
    this.history.push({ id: stored.historyId, type: 'messageAdded', message: ref(stored) });
    return stored;
  }

  remove(messageId: string): void {
    const gone = this.messages.get(messageId);
    this.messages.delete(messageId);
    this.historyId++;
    if (gone) this.history.push({ id: this.historyId, type: 'messageDeleted', message: ref(gone) });
  }

  /** Forgets every change so far: any startHistoryId before now is too old (Gmail's 404). */
  expireHistory(): void {
    this.history = [];
    this.historyFloor = this.historyId;
  }

  /** The message a draft holds, if the draft exists. */
  draft(draftId: string): StoredMessage | undefined {
    const messageId = this.drafts.get(draftId);
    return messageId === undefined ? undefined : this.messages.get(messageId);
  }

  /** Draft ids, newest first. */
  draftIds(): string[] {
    return [...this.drafts.entries()]
      .sort(([, a], [, b]) => compareNewestFirst(this.messages.get(a), this.messages.get(b)))
      .map(([id]) => id);
  }

  /** The draft id holding `messageId`, if it is a draft. */
  draftIdOf(messageId: string): string | undefined {
    for (const [draftId, held] of this.drafts) if (held === messageId) return draftId;
    return undefined;
  }

  /** Messages of a thread, oldest first. */
  thread(threadId: string): StoredMessage[] {
    return [...this.messages.values()]
      .filter((m) => m.threadId === threadId)
      .sort((a, b) => a.internalDate - b.internalDate || a.historyId - b.historyId);
  }

  /** All messages, newest first (the order messages.list returns). */
  newestFirst(): StoredMessage[] {
    return [...this.messages.values()].sort(compareNewestFirst);
  }

  withLabel(label: string): StoredMessage[] {
    return this.newestFirst().filter((m) => m.labelIds.includes(label));
  }
}

const ref = (m: StoredMessage) => ({ id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] });

function compareNewestFirst(a: StoredMessage | undefined, b: StoredMessage | undefined): number {
  return (b?.internalDate ?? 0) - (a?.internalDate ?? 0) || (b?.historyId ?? 0) - (a?.historyId ?? 0);
}
