// Reads chat-completions and responses request bodies into one ModelRequest, or throws the API's 400.
import { z } from 'zod';
import { invalidRequest } from './errors.ts';
import { isSchemaNode } from './json-schema.ts';
import type { ModelMessage, ModelRequest, OutputFormat } from './sample-model.ts';
import { strictSchemaProblem } from './strict-schema.ts';

const ROLES = ['system', 'assistant', 'user', 'function', 'tool', 'developer'] as const;
const Part = z.looseObject({
  type: z.string().optional(),
  text: z.string().optional(),
  refusal: z.string().optional(),
});
const Content = z.union([z.string(), z.array(Part), z.null()]).optional();
const Message = z.looseObject({ role: z.string(), content: Content });
const Sampling = z.looseObject({
  model: z.unknown().optional(),
  temperature: z.number().nullish(),
});
const ChatBody = Sampling.extend({
  messages: z.unknown().optional(),
  response_format: z.unknown().optional(),
  max_tokens: z.number().int().nullish(),
  max_completion_tokens: z.number().int().nullish(),
});
const ResponsesBody = Sampling.extend({
  input: z.unknown().optional(),
  instructions: z.string().nullish(),
  text: z.looseObject({ format: z.unknown().optional() }).nullish(),
  max_output_tokens: z.number().int().nullish(),
});
const FormatSpec = z.looseObject({ type: z.string(), json_schema: z.unknown().optional() });

const NOT_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload.)";

/** A `POST /chat/completions` body as a ModelRequest. @throws Response (400) when the body is invalid. */
export function readChatRequest(raw: unknown): ModelRequest {
  const parsed = ChatBody.safeParse(raw);
  if (!parsed.success) throw invalidRequest(NOT_JSON);
  const body = parsed.data;
  if (typeof body.model !== 'string' || body.model === '')
    throw invalidRequest('you must provide a model parameter');
  if (body.messages === undefined) {
    throw invalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  }
  if (!Array.isArray(body.messages)) {
    throw invalidRequest(
      "Invalid type for 'messages': expected an array of objects.",
      'messages',
      'invalid_type',
    );
  }
  if (body.messages.length === 0) {
    throw invalidRequest(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  const messages = body.messages.map((m, i) => readMessage(m, `messages[${i}]`));
  const format = readFormat(body.response_format, 'response_format', messages);
  checkTemperature(body.temperature);
  const maxOutputTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  return {
    api: 'chat',
    model: body.model,
    messages,
    format,
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(maxOutputTokens != null ? { maxOutputTokens } : {}),
  };
}

/** A `POST /responses` body as a ModelRequest. @throws Response (400) when the body is invalid. */
export function readResponsesRequest(raw: unknown): ModelRequest {
  const parsed = ResponsesBody.safeParse(raw);
  if (!parsed.success) throw invalidRequest(NOT_JSON);
  const body = parsed.data;
  if (typeof body.model !== 'string' || body.model === '') {
    throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  }
  const messages: ModelMessage[] = body.instructions ? [{ role: 'system', content: body.instructions }] : [];
  if (typeof body.input === 'string') messages.push({ role: 'user', content: body.input });
  else if (Array.isArray(body.input)) {
    body.input.forEach((item, i) => {
      if (isSchemaNode(item) && typeof item.role === 'string')
        messages.push(readMessage(item, `input[${i}]`));
    });
  } else if (body.input !== undefined && body.input !== null) {
    throw invalidRequest(
      "Invalid type for 'input': expected a string or an array of input items.",
      'input',
      'invalid_type',
    );
  }
  if (messages.length === 0) {
    throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  }
  const format = readFormat(body.text?.format, 'text.format', messages);
  checkTemperature(body.temperature);
  if (body.max_output_tokens != null && body.max_output_tokens < 16) {
    throw invalidRequest(
      `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got ${body.max_output_tokens} instead.`,
      'max_output_tokens',
      'integer_below_min_value',
    );
  }
  return {
    api: 'responses',
    model: body.model,
    messages,
    format,
    ...(body.temperature != null ? { temperature: body.temperature } : {}),
    ...(body.max_output_tokens != null ? { maxOutputTokens: body.max_output_tokens } : {}),
  };
}

function readMessage(raw: unknown, param: string): ModelMessage {
  const parsed = Message.safeParse(raw);
  if (!parsed.success)
    throw invalidRequest(`Invalid type for '${param}': expected an object.`, param, 'invalid_type');
  const { role, content } = parsed.data;
  if (!(ROLES as readonly string[]).includes(role)) {
    throw invalidRequest(
      `Invalid value: '${role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
      `${param}.role`,
      'invalid_value',
    );
  }
  const text =
    typeof content === 'string'
      ? content
      : (content ?? []).map((part) => part.text ?? part.refusal ?? '').join('\n');
  return { role, content: text };
}

/** `response_format` (chat) or `text.format` (responses). */
function readFormat(raw: unknown, param: string, messages: ModelMessage[]): OutputFormat {
  if (raw === undefined || raw === null) return { kind: 'text' };
  const parsed = FormatSpec.safeParse(raw);
  if (!parsed.success) throw invalidRequest(`Missing required parameter: '${param}.type'.`, `${param}.type`);
  const spec = parsed.data;
  if (spec.type === 'text') return { kind: 'text' };
  if (spec.type === 'json_object') {
    if (!messages.some((m) => /json/i.test(m.content))) {
      throw invalidRequest(
        `'messages' must contain the word 'json' in some form, to use '${param}' of type 'json_object'.`,
        'messages',
      );
    }
    return { kind: 'json_object' };
  }
  if (spec.type !== 'json_schema') {
    throw invalidRequest(
      `Invalid value: '${spec.type}'. Supported values are: 'text', 'json_object', and 'json_schema'.`,
      `${param}.type`,
      'invalid_value',
    );
  }
  // Chat nests the schema under `json_schema`; responses puts it on the format itself.
  const prefix = param === 'response_format' ? `${param}.json_schema` : param;
  const holder: unknown = param === 'response_format' ? spec.json_schema : spec;
  if (!isSchemaNode(holder)) {
    throw invalidRequest(`Missing required parameter: '${prefix}'.`, prefix, 'missing_required_parameter');
  }
  const { name, schema } = holder;
  const strict = holder.strict === true;
  if (typeof name !== 'string') {
    throw invalidRequest(
      `Missing required parameter: '${prefix}.name'.`,
      `${prefix}.name`,
      'missing_required_parameter',
    );
  }
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw invalidRequest(
      `Invalid '${prefix}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' and is at most 64 characters long.`,
      `${prefix}.name`,
      'invalid_value',
    );
  }
  if (!isSchemaNode(schema)) {
    if (strict) {
      throw invalidRequest(
        `Missing required parameter: '${prefix}.schema'.`,
        `${prefix}.schema`,
        'missing_required_parameter',
      );
    }
    return { kind: 'json_object' };
  }
  if (strict) {
    const found = strictSchemaProblem(schema);
    if (found) {
      throw invalidRequest(
        `Invalid schema for response_format '${name}': In context=${pythonTuple(found.context)}, ${found.problem}.`,
        param === 'response_format' ? 'response_format' : `${param}.schema`,
      );
    }
  }
  return { kind: 'json_schema', name, schema, strict };
}

function checkTemperature(value: number | null | undefined): void {
  if (value == null) return;
  if (value < 0 || value > 2) {
    const side =
      value < 0 ? 'below minimum value. Expected a value >= 0' : 'above maximum value. Expected a value <= 2';
    throw invalidRequest(
      `Invalid 'temperature': decimal ${side}, but got ${value} instead.`,
      'temperature',
      value < 0 ? 'decimal_below_min_value' : 'decimal_above_max_value',
    );
  }
}

/** The API prints schema paths as Python tuples: `()`, `('a',)`, `('a', 'b')`. */
function pythonTuple(items: string[]): string {
  if (items.length === 0) return '()';
  if (items.length === 1) return `('${items[0]}',)`;
  return `(${items.map((i) => `'${i}'`).join(', ')})`;
}
