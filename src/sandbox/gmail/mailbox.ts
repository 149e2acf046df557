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

export class Mailbox {
  readonly messages = new Map<string, StoredMessage>();
  /** Draft id → id of the message it currently holds. */
  readonly drafts = new Map<string, string>();
  historyId = 1000;

  constructor(readonly email: string) {}

  add(message: Omit<StoredMessage, 'historyId'>): StoredMessage {
    const stored = { ...message, historyId: ++this.historyId };
    this.messages.set(stored.id, stored);
    return stored;
  }

  remove(messageId: string): void {
    this.messages.delete(messageId);
    this.historyId++;
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

function compareNewestFirst(a: StoredMessage | undefined, b: StoredMessage | undefined): number {
  return (b?.internalDate ?? 0) - (a?.internalDate ?? 0) || (b?.historyId ?? 0) - (a?.historyId ?? 0);
}
