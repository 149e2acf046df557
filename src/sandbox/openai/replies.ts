// Renders the model's answer as a chat completion or a Responses API object, with estimated usage.
import type { ModelRequest } from './sample-model.ts';

/** What the model said: text, or a refusal; `truncated` when it ran into the output token limit. */
export interface ModelReply {
  text: string;
  refusal?: string;
  truncated: boolean;
}

export interface Usage {
  input: number;
  output: number;
}

/**
 * Token counts are estimates, not a tokenizer: about four characters per token (OpenAI's rule of
 * thumb for English), counting the messages and, for structured output, the schema; at least 1.
 */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function promptTokens(request: ModelRequest): number {
  const schema = request.format.kind === 'json_schema' ? JSON.stringify(request.format.schema) : '';
  return estimateTokens(request.messages.map((m) => m.content).join('\n') + schema);
}

/** Cuts the reply at the request's output limit, as a real model stops mid-sentence. */
export function limitReply(reply: ModelReply, maxOutputTokens: number | undefined): ModelReply {
  if (maxOutputTokens === undefined || estimateTokens(reply.text) <= maxOutputTokens) return reply;
  return { ...reply, text: reply.text.slice(0, maxOutputTokens * 4), truncated: true };
}

export function replyUsage(request: ModelRequest, reply: ModelReply): Usage {
  const output = reply.truncated
    ? (request.maxOutputTokens ?? 0)
    : estimateTokens(reply.refusal ?? reply.text);
  return { input: promptTokens(request), output };
}

/** A `chat.completion` object. */
export function chatCompletion(id: string, createdSec: number, request: ModelRequest, reply: ModelReply) {
  const usage = replyUsage(request, reply);
  return {
    id: `chatcmpl-${id}`,
    object: 'chat.completion' as const,
    created: createdSec,
    model: request.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: reply.refusal === undefined ? reply.text : null,
          refusal: reply.refusal ?? null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: reply.truncated ? ('length' as const) : ('stop' as const),
      },
    ],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_sample',
  };
}

/** A Responses API `response` object; the SDK derives `output_text` from `output[]`. */
export function responseObject(id: string, createdSec: number, request: ModelRequest, reply: ModelReply) {
  const usage = replyUsage(request, reply);
  const content =
    reply.refusal === undefined
      ? [{ type: 'output_text' as const, text: reply.text, annotations: [], logprobs: [] }]
      : [{ type: 'refusal' as const, refusal: reply.refusal }];
  const status = reply.truncated ? 'incomplete' : 'completed';
  const format = request.format;
  return {
    id: `resp_${id}`,
    object: 'response' as const,
    created_at: createdSec,
    status,
    error: null,
    incomplete_details: reply.truncated ? { reason: 'max_output_tokens' } : null,
    instructions: null,
    max_output_tokens: request.maxOutputTokens ?? null,
    model: request.model,
    output: [{ type: 'message' as const, id: `msg_${id}`, status, role: 'assistant' as const, content }],
    parallel_tool_calls: true,
    temperature: request.temperature ?? 1,
    text: {
      format:
        format.kind === 'json_schema'
          ? { type: 'json_schema', name: format.name, schema: format.schema, strict: format.strict }
          : { type: format.kind },
    },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    usage: {
      input_tokens: usage.input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: usage.input + usage.output,
    },
  };
}
