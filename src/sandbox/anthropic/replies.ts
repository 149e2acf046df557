// Renders the sample model's answer as a Messages API `message` object, with estimated usage.
import { estimateTokens, type ModelReply } from '../openai/replies.ts';
import type { MessagesRequest } from './requests.ts';

/** Input tokens: the same four-characters-per-token estimate as the OpenAI emulator, schema included. */
export function inputTokens(request: MessagesRequest): number {
  const schema = request.format.kind === 'json_schema' ? JSON.stringify(request.format.schema) : '';
  return estimateTokens(request.messages.map((m) => m.content).join('\n') + schema);
}

/**
 * A `message` (platform.claude.com/docs/en/api/messages): one text block, `stop_reason`
 * `end_turn`, `max_tokens` when cut at the limit, or `refusal` when the model declined.
 */
export function messageObject(id: string, request: MessagesRequest, reply: ModelReply) {
  const text = reply.refusal ?? reply.text;
  const output = reply.truncated ? request.maxTokens : estimateTokens(text);
  const stop = reply.refusal !== undefined ? 'refusal' : reply.truncated ? 'max_tokens' : 'end_turn';
  return {
    id: `msg_${id}`,
    type: 'message' as const,
    role: 'assistant' as const,
    model: request.model,
    content: [{ type: 'text' as const, text, citations: null }],
    stop_reason: stop,
    stop_sequence: null,
    usage: {
      input_tokens: inputTokens(request),
      output_tokens: output,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      service_tier: 'standard',
    },
  };
}
