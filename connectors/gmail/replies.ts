// Thread rules for follow-ups and replies: the Re: subject, the References chain, what counts as an answer.
import { parseAddresses, unescapeHtml } from './read.ts';
import type { GmailMessage } from './schemas.ts';
import type { GmailReply } from './types.ts';

/** Headers the reply checks read (threads.get format=metadata). */
export const REPLY_HEADERS = ['From', 'Subject', 'Message-ID', 'Auto-Submitted'];

/** Headers a follow-up needs from the message it answers, besides Baton's mark headers. */
export const PARENT_HEADERS = ['Subject', 'References', 'In-Reply-To'];

const PREFIX = /^(re|fwd?|aw|sv|tr)\s*(\[\d+\])?\s*:\s*/i;

/** The subject without any Re:/Fwd: prefixes, spaces collapsed, lower case: how Gmail compares subjects. */
export function baseSubject(subject: string): string {
  let s = subject.trim();
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(PREFIX, '').trim();
  }
  return s.replace(/\s+/g, ' ').toLowerCase();
}

/** `Re: <subject>` with exactly one Re: (an existing `Re: Re: ` is folded into one). */
export function replySubject(subject: string): string {
  let s = subject.trim();
  while (/^re\s*:\s*/i.test(s)) s = s.replace(/^re\s*:\s*/i, '');
  return `Re: ${s}`;
}

/**
 * The References of an answer to `parent` (RFC 5322 §3.6.4): the parent's References (else its
 * In-Reply-To), then the parent's own Message-ID.
 */
export function referencesAfter(parent: { messageId: string; references?: string; inReplyTo?: string }) {
  const ids = (value: string | undefined) => value?.match(/<[^<>\s]+>/g) ?? [];
  const before = ids(parent.references);
  const chain = before.length ? before : ids(parent.inReplyTo);
  return [...chain.filter((id) => id !== parent.messageId), parent.messageId];
}

/** A header of a metadata-format message, by name in any case. */
export function headerOf(message: GmailMessage, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return message.payload?.headers?.find((h) => h.name.toLowerCase() === wanted)?.value;
}

export interface ReplyFilter {
  /** Epoch ms: only messages that reached the mailbox after it. */
  after: number;
  /** Our own addresses, lower case. */
  ours: ReadonlySet<string>;
  /** Only this sender (lower case), when set. */
  from?: string;
}

/**
 * The answers among a thread's messages (API-NOTES "Gmail threads, replies and follow-ups"): not
 * sent by us (no SENT or DRAFT label, From not one of our addresses), after `after`, and not
 * automatic — no `Auto-Submitted` other than `no` (out-of-office, vacation responders), no
 * mailer-daemon@ or postmaster@ sender (bounces). Oldest first.
 */
export function repliesAmong(messages: readonly GmailMessage[], filter: ReplyFilter): GmailReply[] {
  const replies: GmailReply[] = [];
  for (const message of messages) {
    const labels = message.labelIds ?? [];
    if (labels.includes('SENT') || labels.includes('DRAFT')) continue;
    const at = Number(message.internalDate ?? 0);
    if (!(at > filter.after)) continue;
    const [sender] = parseAddresses(headerOf(message, 'From') ?? '');
    const address = sender?.address.toLowerCase() ?? '';
    if (!address || filter.ours.has(address)) continue;
    if (filter.from !== undefined && address !== filter.from) continue;
    if (/^(mailer-daemon|postmaster)@/.test(address)) continue;
    const auto = headerOf(message, 'Auto-Submitted');
    if (auto !== undefined && auto.split(';')[0]?.trim().toLowerCase() !== 'no') continue;
    replies.push({
      id: message.id,
      threadId: message.threadId,
      messageId: headerOf(message, 'Message-ID') ?? '',
      from: sender?.address ?? '',
      fromName: sender?.name ?? '',
      at: new Date(at),
      subject: headerOf(message, 'Subject') ?? '',
      snippet: unescapeHtml(message.snippet ?? ''),
    });
  }
  return replies.sort((a, b) => a.at.getTime() - b.at.getTime());
}
