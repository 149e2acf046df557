// Turns a zod schema into the strict JSON schema structured outputs expect, once per schema.

import type { z } from 'zod';
import { lazyModule } from '../../connectors/core/index.ts';
import { LlmSchemaError } from './errors.ts';

/** A strict JSON schema ready for `response_format` (chat) or `text.format` (responses). */
export interface OutputSchema {
  name: string;
  schema: Record<string, unknown>;
}

// Loaded with the first schema, i.e. the first model call, like the SDK itself (connectors/openai/sdk.ts).
const openaiZod = lazyModule<typeof import('openai/helpers/zod')>('openai/helpers/zod');

const cache = new WeakMap<z.ZodType, Record<string, unknown>>();

/**
 * The strict JSON schema for `schema`, built by the SDK's own zod helper (zod 4 aware: every
 * property required, `additionalProperties: false`, nullable as `anyOf` with null).
 * @throws LlmSchemaError when the schema cannot be strict: `.optional()` without `.nullable()`,
 *   transforms, a non-object root, or a name the API would refuse.
 */
export function outputSchema(schema: z.ZodType, name = 'output'): OutputSchema {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw new LlmSchemaError(`schema name '${name}' must be 1-64 letters, digits, '_' or '-'`);
  }
  let json = cache.get(schema);
  if (!json) {
    try {
      json = openaiZod().zodResponseFormat(schema, name).json_schema.schema as Record<string, unknown>;
    } catch (err) {
      throw new LlmSchemaError(
        `schema '${name}' cannot be used for structured output: ${(err as Error).message} (use .nullable() instead of .optional(), and no transforms)`,
        { cause: err },
      );
    }
    cache.set(schema, json);
  }
  return { name, schema: json };
}
