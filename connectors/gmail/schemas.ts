// zod at the Gmail boundary: what callers may pass, and the parts of Gmail's answers we rely on.
import { z } from 'zod';
import { ServiceError } from '../core/index.ts';

const MessageIdHeader = z.string().regex(/^<[^<>\s]+@[^<>\s]+>$/, 'a Message-ID like <id@host>');

/** One recipient, no display name, no list: anything else is refused before Gmail sees it. */
const Recipient = z.email({ error: 'must be exactly one email address, like lead@example.com' });

/** A mailto: or https: target, one line, no angle brackets (it is written inside <…>). */
const ListUnsubscribe = z
  .string()
  .regex(/^(mailto:|https:\/\/)[^\s<>,]+$/, 'a mailto: or https: URL without spaces, commas or <>');

const Subject = z
  .string()
  .min(1)
  .max(900)
  .refine((s) => !/[\r\n]/.test(s), 'must be one line');

export const DraftContentSchema = z.strictObject({
  to: Recipient,
  subject: Subject,
  text: z.string(),
  html: z.string().optional(),
  threadId: z.string().min(1).optional(),
  inReplyTo: MessageIdHeader.optional(),
  references: z.array(MessageIdHeader).optional(),
  listUnsubscribe: ListUnsubscribe.optional(),
});

export const CreateDraftSchema = DraftContentSchema.extend({
  idempotencyKey: z.string().min(1),
  noEarlierTry: z.boolean().optional(),
});

export const SendReplySchema = z.strictObject({
  threadId: z.string().min(1),
  to: Recipient,
  subject: Subject,
  text: z.string(),
  html: z.string().optional(),
  idempotencyKey: z.string().min(1),
  listUnsubscribe: ListUnsubscribe.optional(),
});

export const RepliesInSchema = z.strictObject({
  // An ISO string too: a Date recorded in the journal comes back as one.
  after: z.union([z.date(), z.number().finite(), z.iso.datetime({ offset: true })]),
  from: z.email({ error: 'must be one email address' }).optional(),
});

export const SendEditSchema = z.strictObject({
  to: Recipient.optional(),
  subject: Subject.optional(),
  text: z.string().optional(),
  html: z.string().optional(),
  messageId: MessageIdHeader.optional(),
});

/**
 * Validates caller input.
 * @throws ServiceError (not retryable) naming the field and what it must be.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, operation: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'input';
  const recipient = field === 'to' && typeof (input as { to?: unknown })?.to === 'string';
  throw new ServiceError(
    'gmail',
    recipient
      ? `gmail ${operation}: refusing to email "${(input as { to: string }).to}": "to" ${issue?.message}`
      : `gmail ${operation}: "${field}" ${issue?.message ?? 'is invalid'}`,
    {
      retryable: false,
      hint: recipient
        ? 'Baton only ever emails the lead itself: check the lead’s email address (one address, no names or lists)'
        : 'this is a bug in the recipe calling the Gmail connector',
    },
  );
}

// ---- Gmail answers ----------------------------------------------------------------------------

const Header = z.object({ name: z.string(), value: z.string() });

export const MessagePart = z.object({
  mimeType: z.string().nullish(),
  filename: z.string().nullish(),
  headers: z.array(Header).nullish(),
  body: z.object({ size: z.number().nullish(), data: z.string().nullish() }).nullish(),
  get parts() {
    return z.array(MessagePart).nullish();
  },
});
export type MessagePart = z.infer<typeof MessagePart>;

const MessageRef = z.object({ id: z.string(), threadId: z.string() });

export const GmailMessage = MessageRef.extend({
  labelIds: z.array(z.string()).nullish(),
  snippet: z.string().nullish(),
  internalDate: z.string().nullish(),
  payload: MessagePart.nullish(),
  raw: z.string().nullish(),
});
export type GmailMessage = z.infer<typeof GmailMessage>;

export const DraftAnswer = z.object({ id: z.string(), message: MessageRef });

export const RawDraftAnswer = z.object({ id: z.string(), message: MessageRef.extend({ raw: z.string() }) });

export const DraftList = z.object({ drafts: z.array(DraftAnswer).nullish() });

export const MessageList = z.object({ messages: z.array(MessageRef).nullish() });

export const ThreadAnswer = z.object({ id: z.string(), messages: z.array(GmailMessage).nullish() });

export const Profile = z.object({ emailAddress: z.string(), historyId: z.string().nullish() });

const HistoryMessage = MessageRef.extend({ labelIds: z.array(z.string()).nullish() });

export const HistoryAnswer = z.object({
  history: z
    .array(
      z.object({
        id: z.string(),
        messagesAdded: z.array(z.object({ message: HistoryMessage })).nullish(),
      }),
    )
    .nullish(),
  nextPageToken: z.string().nullish(),
  historyId: z.string(),
});

/**
 * Checks a Gmail answer against what the connector relies on.
 * @throws ServiceError (retryable: a proxy or outage page may have answered) when it does not fit.
 */
export function parseAnswer<T>(schema: z.ZodType<T>, data: unknown, operation: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new ServiceError(
    'gmail',
    `gmail ${operation}: unexpected answer from Gmail (${parsed.error.issues[0]?.message})`,
    {
      retryable: true,
    },
  );
}
