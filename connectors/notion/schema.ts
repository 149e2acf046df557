// The parts of Notion's answers the connector relies on, checked with zod.
import { z } from 'zod';
import { ServiceError } from '../core/index.ts';

const Option = z.object({ id: z.string(), name: z.string() });

export const PropertyConfigSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  select: z.object({ options: z.array(Option) }).optional(),
  multi_select: z.object({ options: z.array(Option) }).optional(),
  status: z.object({ options: z.array(Option) }).optional(),
});
export type PropertyConfig = z.infer<typeof PropertyConfigSchema>;

const PlainText = z.array(z.object({ plain_text: z.string() })).default([]);

export const DatabaseSchema = z.object({
  object: z.literal('database'),
  id: z.string(),
  title: PlainText,
  data_sources: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const DataSourceSchema = z.object({
  object: z.literal('data_source'),
  id: z.string(),
  title: PlainText,
  parent: z.object({ database_id: z.string().optional() }).passthrough().optional(),
  properties: z.record(z.string(), PropertyConfigSchema),
});

export const PageSchema = z.object({
  object: z.literal('page'),
  id: z.string(),
  url: z.string(),
  created_time: z.string(),
  last_edited_time: z.string(),
  in_trash: z.boolean().optional(),
  parent: z.object({
    type: z.string(),
    data_source_id: z.string().optional(),
    database_id: z.string().optional(),
  }),
  properties: z.record(z.string(), z.record(z.string(), z.unknown())),
});
export type RawPage = z.infer<typeof PageSchema>;

export const PageListSchema = z.object({
  results: z.array(PageSchema),
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
});

export const BlockListSchema = z.object({
  // Loose: a block's content sits under its type's key (`paragraph: { rich_text: [...] }`).
  results: z.array(z.looseObject({ id: z.string(), type: z.string().optional() })),
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
});

/** A paginated property item (GET /v1/pages/{id}/properties/{property_id}) for a relation. */
export const RelationItemListSchema = z.object({
  object: z.literal('list'),
  results: z.array(z.object({ type: z.literal('relation'), relation: z.object({ id: z.string() }) })),
  next_cursor: z.string().nullable(),
  has_more: z.boolean(),
});

/**
 * Checks an answer Baton relies on.
 * @throws ServiceError (not retryable) when Notion answered something unexpected.
 */
export const FileUploadSchema = z.object({
  object: z.literal('file_upload'),
  id: z.string(),
  status: z.enum(['pending', 'uploaded', 'expired', 'failed']),
  filename: z.string().nullable().optional(),
  content_type: z.string().nullable().optional(),
  content_length: z.number().nullable().optional(),
  expiry_time: z.string().nullable().optional(),
});

export function parse<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ServiceError('notion', `Notion answered ${operation} in an unexpected shape`, {
    hint: z.prettifyError(result.error).replace(/\n+/g, '; ').slice(0, 300),
  });
}
