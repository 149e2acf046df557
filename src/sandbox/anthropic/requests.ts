// Reads a `POST /v1/messages` body into what the sample model needs, or throws Anthropic's 400.
// Fields from the Messages API reference (platform.claude.com/docs/en/api/messages): `model`,
// `max_tokens` (required), `messages` of user/assistant turns, top-level `system`, `temperature`
// 0–1, and structured output as `output_config.format` (the beta's `output_format` still accepted
// during the transition, per the structured-outputs page).
import { z } from 'zod';
import { isSchemaNode, type SchemaNode } from '../openai/json-schema.ts';
import type { ModelMessage, OutputFormat } from '../openai/sample-model.ts';
import { invalidRequest } from './errors.ts';

/** A Messages request, reduced to what the emulator answers from. */
export interface MessagesRequest {
  model: string;
  /** The system prompt (as a `system` message) first, then the conversation. */
  messages: ModelMessage[];
  format: OutputFormat;
  maxTokens: number;
  temperature?: number;
}

const Block = z.looseObject({ type: z.string(), text: z.string().optional() });
const Content = z.union([z.string(), z.array(Block)]);
const Turn = z.looseObject({ role: z.string(), content: Content });
const Body = z.looseObject({
  model: z.unknown().optional(),
  max_tokens: z.unknown().optional(),
  messages: z.unknown().optional(),
  system: z.union([z.string(), z.array(Block)]).nullish(),
  temperature: z.number().nullish(),
  output_config: z.looseObject({ format: z.unknown().optional() }).nullish(),
  output_format: z.unknown().optional(),
});
const Format = z.looseObject({ type: z.string(), schema: z.unknown().optional() });

/** @throws Response (400 invalid_request_error) when the body breaks the API's rules. */
export function readMessagesRequest(raw: unknown): MessagesRequest {
  const parsed = Body.safeParse(raw);
  if (!parsed.success)
    throw invalidRequest('There was an issue with your request body: expected a JSON object.');
  const body = parsed.data;
  if (typeof body.model !== 'string' || body.model === '') throw invalidRequest('model: Field required');
  if (body.max_tokens === undefined) throw invalidRequest('max_tokens: Field required');
  if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1)
    throw invalidRequest('max_tokens: Input should be greater than or equal to 1');
  if (!Array.isArray(body.messages)) throw invalidRequest('messages: Field required');
  if (body.messages.length === 0) throw invalidRequest('messages: at least one message is required');
  const messages: ModelMessage[] = [];
  const system = textOf(body.system ?? undefined);
  if (system) messages.push({ role: 'system', content: system });
  body.messages.forEach((rawTurn, i) => {
    const turn = Turn.safeParse(rawTurn);
    if (!turn.success) throw invalidRequest(`messages.${i}: Input should be a valid dictionary`);
    const { role, content } = turn.data;
    if (role !== 'user' && role !== 'assistant') {
      throw invalidRequest(
        `messages.${i}.role: Input should be 'user' or 'assistant'${role === 'system' ? ' (use the top-level `system` parameter for a system prompt)' : ''}`,
      );
    }
    messages.push({ role, content: textOf(content) ?? '' });
  });
  if (body.temperature != null && (body.temperature < 0 || body.temperature > 1))
    throw invalidRequest('temperature: Input should be less than or equal to 1');
  const format = readFormat(body.output_config?.format ?? body.output_format);
  return {
    model: body.model,
    messages,
    format,
    maxTokens: body.max_tokens,
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
  };
}

function textOf(content: string | z.infer<typeof Block>[] | undefined): string | undefined {
  if (content === undefined) return undefined;
  if (typeof content === 'string') return content;
  return content.map((block) => block.text ?? '').join('\n');
}

function readFormat(raw: unknown): OutputFormat {
  if (raw === undefined || raw === null) return { kind: 'text' };
  const parsed = Format.safeParse(raw);
  if (!parsed.success) throw invalidRequest('output_config.format.type: Field required');
  if (parsed.data.type !== 'json_schema')
    throw invalidRequest(`output_config.format.type: Input should be 'json_schema'`);
  const schema: unknown = parsed.data.schema;
  if (!isSchemaNode(schema)) throw invalidRequest('output_config.format.schema: Field required');
  const problem = schemaProblem(schema);
  if (problem) throw invalidRequest(`output_config.format.schema: ${problem}`);
  return { kind: 'json_schema', name: 'output', schema, strict: true };
}

/** Keywords structured outputs do not support (the structured-outputs page, "JSON Schema limitations"). */
const UNSUPPORTED = [
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'maxItems',
];

/**
 * The structured-outputs page requires `additionalProperties: false` on every object and lists
 * constraints the decoder cannot enforce (number bounds, string lengths, `minItems` above 1); a
 * schema using them is refused before the model runs (the SDK's helper moves them into descriptions).
 */
function schemaProblem(schema: SchemaNode, path = '#'): string | undefined {
  if (schema.type === 'object' && schema.additionalProperties !== false)
    return `For '${path}', 'additionalProperties' must be explicitly set to false`;
  const unsupported = UNSUPPORTED.find((keyword) => keyword in schema);
  if (unsupported) return `For '${path}', property '${unsupported}' is not supported`;
  if (typeof schema.minItems === 'number' && schema.minItems > 1)
    return `For '${path}', 'minItems' values other than 0 or 1 are not supported`;
  const children: [string, unknown][] = [
    ...Object.entries(isSchemaNode(schema.properties) ? schema.properties : {}).map(
      ([k, v]): [string, unknown] => [`${path}/properties/${k}`, v],
    ),
    ...Object.entries(isSchemaNode(schema.$defs) ? schema.$defs : {}).map(([k, v]): [string, unknown] => [
      `${path}/$defs/${k}`,
      v,
    ]),
    ...Object.entries(isSchemaNode(schema.definitions) ? schema.definitions : {}).map(
      ([k, v]): [string, unknown] => [`${path}/definitions/${k}`, v],
    ),
    [`${path}/items`, schema.items],
    ...(Array.isArray(schema.anyOf) ? schema.anyOf : []).map((v, i): [string, unknown] => [
      `${path}/anyOf/${i}`,
      v,
    ]),
  ];
  for (const [childPath, child] of children) {
    if (!isSchemaNode(child)) continue;
    const found = schemaProblem(child, childPath);
    if (found) return found;
  }
  return undefined;
}
