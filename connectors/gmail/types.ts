// What the Gmail connector takes and returns: drafts, sent messages, threads.

/** The content of a draft. `to` is exactly one address: recipes email the lead and no one else. */
export interface DraftContent {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Gmail thread to reply in; Gmail only threads it when inReplyTo/references and the subject match. */
  threadId?: string;
  /** Message-ID (with angle brackets) of the message this replies to. */
  inReplyTo?: string;
  references?: string[];
  /**
   * Where a recipient's mail client sends an unsubscribe (RFC 2369 `List-Unsubscribe`), e.g.
   * `mailto:me@example.com?subject=unsubscribe`: what unattended mail carries.
   */
  listUnsubscribe?: string;
}

export interface CreateDraftInput extends DraftContent {
  /** Derived from run id + step id: the same key always yields the same single draft. */
  idempotencyKey: string;
  /**
   * The caller knows no earlier try of this draft can exist (the engine's `firstTry()`): the first
   * attempt creates it without looking for one. A retry after an unknown outcome still looks.
   */
  noEarlierTry?: boolean;
}

/** A draft waiting in the mailbox. */
export interface DraftRef {
  status: 'draft';
  draftId: string;
  /**
   * RFC 822 Message-ID, with angle brackets; stable for the draft's whole life, and also Baton's
   * mark on it (X-Baton-Id). Gmail gives the email another Message-ID when it sends it: see SentRef.
   */
  messageId: string;
  threadId: string;
  /** Opens the draft in Gmail (a search by its Message-ID, while it is a draft). */
  link: string;
}

/** A message that was sent. */
export interface SentRef {
  status: 'sent';
  /** Gmail's id of the sent message. */
  id: string;
  /** The Message-ID the recipients received (Gmail's, not the draft's): replies name this one. */
  messageId: string;
  threadId: string;
  /** Every address the email went to (To, Cc, Bcc). */
  recipients: string[];
  /** Opens the sent email in Gmail. */
  link: string;
}

/** A follow-up sent into an existing thread (GmailClient.sendReply). */
export interface SendReplyInput {
  /** The Gmail thread to answer in (e.g. `SentRef.threadId` of the first email). */
  threadId: string;
  /** The one address it goes to: the lead. */
  to: string;
  /** The thread's subject; one `Re: ` is put in front (never `Re: Re:`). */
  subject: string;
  text: string;
  html?: string;
  /** Derived from run id + step id: the same key never sends twice. */
  idempotencyKey: string;
  /** As DraftContent.listUnsubscribe. */
  listUnsubscribe?: string;
}

/** An answer in a thread from someone else (GmailClient.repliesIn). */
export interface GmailReply {
  /** Gmail's id of the message. */
  id: string;
  threadId: string;
  /** Its RFC 822 Message-ID, with angle brackets ('' when it has none). */
  messageId: string;
  /** The sender's address (addr-spec), as written. */
  from: string;
  /** The sender's display name ('' when none). */
  fromName: string;
  /**
   * When it reached the mailbox (Gmail's internalDate). Recorded by a step or a wait, it comes back
   * from the journal as an ISO string: read it with `new Date(reply.at)`.
   */
  at: Date;
  subject: string;
  /** Gmail's snippet: the start of the text, plain. */
  snippet: string;
}

/** A draft read back: what a human may have edited in Gmail. */
export interface Draft extends DraftRef {
  to: string;
  subject: string;
  text: string;
  html?: string;
  inReplyTo?: string;
  references: string[];
}

/** A message of a thread, as recipes read it. */
export interface MailMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  from: { name: string; address: string };
  to: string[];
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  /** When the message entered the mailbox (Gmail's internalDate), epoch ms. */
  date: number;
  /** Plain-text body (from the HTML part when there is no plain one), LF line ends. */
  text: string;
  snippet: string;
}

export interface MailThread {
  id: string;
  /** Oldest first. */
  messages: MailMessage[];
}

/** What the email must be when it is sent (what a reviewer approved on the card). */
export interface SendEdit {
  /**
   * The one address the email must go to. When set, the send is refused with WrongRecipientError
   * unless the draft's To/Cc/Bcc are exactly this address (someone may have edited it in Gmail).
   */
  to?: string;
  /** Replaces the draft's subject. */
  subject?: string;
  /** Replaces the draft's body. */
  text?: string;
  html?: string;
  /** The draft's Message-ID, when the caller has it but passes a bare draft id (see sendDraft). */
  messageId?: string;
}
