// The Gmail connector: idempotent drafts to one recipient, sending, threads and reply detection.
export { GmailClient, type GmailClientOptions } from './client.ts';
export { messageIdFor } from './compose.ts';
export { WrongRecipientError } from './errors.ts';
export { classifyGmailError, describeGmailError, GMAIL_LIMITS, type GmailBudget } from './policy.ts';
export type {
  CreateDraftInput,
  Draft,
  DraftContent,
  DraftRef,
  MailMessage,
  MailThread,
  SendEdit,
  SentRef,
} from './types.ts';
