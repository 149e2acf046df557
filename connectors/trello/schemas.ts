// The parts of Trello's answers the connector relies on, checked with zod.
import { z } from 'zod';
import { ServiceError } from '../core/index.ts';

export const LabelSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().nullable().optional(),
});

export const ListSchema = z.object({
  id: z.string(),
  name: z.string(),
  closed: z.boolean(),
  idBoard: z.string(),
});

export const CardSchema = z.object({
  id: z.string(),
  name: z.string(),
  desc: z.string(),
  idList: z.string(),
  idBoard: z.string(),
  closed: z.boolean(),
  url: z.string(),
  idLabels: z.array(z.string()),
  labels: z.array(LabelSchema).optional(),
  /** ISO date of the card's last change (asked for where archiving needs it). */
  dateLastActivity: z.string().optional(),
});

const Ref = z.object({ id: z.string(), name: z.string().optional() });

export const ActionSchema = z.object({
  id: z.string(),
  type: z.string(),
  date: z.string(),
  idMemberCreator: z.string(),
  data: z.object({
    text: z.string().optional(),
    card: Ref.optional(),
    list: Ref.optional(),
    listBefore: Ref.optional(),
    listAfter: Ref.optional(),
    old: z.record(z.string(), z.unknown()).optional(),
  }),
  memberCreator: z
    .object({ id: z.string(), username: z.string().optional(), fullName: z.string().optional() })
    .nullable()
    .optional(),
});

export const AttachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  mimeType: z.string().nullable().optional(),
  bytes: z.number().nullable().optional(),
  isUpload: z.boolean().optional(),
  url: z.string(),
});

export const CardWithCommentsSchema = CardSchema.extend({
  list: ListSchema.optional(),
  actions: z.array(ActionSchema).optional(),
});

export const ListWithCardsSchema = ListSchema.extend({
  cards: z.array(z.object({ id: z.string(), name: z.string(), idList: z.string() })).default([]),
});

export const MemberSchema = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string().optional(),
});

export type TrelloAction = z.infer<typeof ActionSchema>;
export type RawCard = z.infer<typeof CardSchema>;

/**
 * Checks an answer against `schema`.
 * @throws ServiceError (not retryable) when Trello answered something the connector cannot use.
 */
export function parse<S extends z.ZodType>(schema: S, data: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  throw new ServiceError('trello', `Trello ${operation} answered an unexpected shape`, {
    hint: `${z.prettifyError(result.error).split('\n')[0]} — report this with the Baton version`,
  });
}
