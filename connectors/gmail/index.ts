// The Gmail connector: idempotent drafts to one recipient, sending, threads and reply detection.
export type { InboxArrival, InboxHistoryPage, MailboxChanges } from './changes.ts';
export { GmailClient, type GmailClientOptions } from './client.ts';
export { messageIdFor } from './compose.ts';
export { WrongRecipientError } from './errors.ts';
export { classifyGmailError, describeGmailError, GMAIL_LIMITS, type GmailBudget } from './policy.ts';
export {
  type GmailRepliesOptions,
  type GmailThreadSignal,
  gmailReplies,
  gmailReplyWait,
  gmailThreadKey,
} from './reply-watch.ts';
export type {
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
