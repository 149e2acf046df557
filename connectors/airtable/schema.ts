// The Airtable metadata API's shapes (base schema, field model) as the connector reads them.
import { z } from 'zod';

/** https://airtable.com/developers/web/api/model/field-model (only what Baton reads). */
export const FieldModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const TableModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  fields: z.array(FieldModelSchema),
});

export const BaseSchemaSchema = z.object({ tables: z.array(TableModelSchema) });

/** A field of a table as the metadata API describes it. */
export type FieldModel = z.infer<typeof FieldModelSchema>;
/** A table of a base as the metadata API describes it: its id, name and fields. */
export type TableModel = z.infer<typeof TableModelSchema>;

/** A field to create: its name, type and (for the types that need them) options in Airtable's write format. */
export interface NewField {
  name: string;
  type: string;
  description?: string;
  options?: Record<string, unknown>;
}
