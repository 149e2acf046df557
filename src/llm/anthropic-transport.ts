// One model request over Anthropic's Messages API, reduced to what the LLM layer needs.
import { z } from 'zod';
import type { AnthropicClient } from '../../connectors/anthropic/index.ts';
import { lazyModule } from '../../connectors/core/index.ts';
import type { Completion, CompletionRequest } from './transport.ts';

// Loaded with the first Anthropic request, like the SDK (connectors/anthropic/client.ts).
const jsonSchemaHelpers = lazyModule<typeof import('@anthropic-ai/sdk/helpers/json-schema')>(
  '@anthropic-ai/sdk/helpers/json-schema',
);

/**
 * Output tokens asked for when a prompt sets no limit: the Messages API requires `max_tokens`, and
 * this is well under every current model's ceiling and the SDK's non-streaming time guard.
 */
export const DEFAULT_MAX_TOKENS = 4096;

// Only the fields relied on are checked, so a gateway that adds fields still passes.
const MessageReply = z.object({
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullish(),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullish(),
});

/**
 * Sends the conversation to `POST /v1/messages`: system and developer messages become the
 * top-level `system` prompt (the API has no system role in `messages`), and a requested schema
 * goes in `output_config.format` (the GA form of structured outputs; the pinned SDK 1.15 types it,
 * and the beta `output_format` + `structured-outputs-2025-11-13` header is only kept for transition).
 * The schema goes through the SDK's own transform: constraints Claude's decoder does not enforce
 * (string lengths, number bounds, most formats) move into descriptions, so zod checks them after.
 * @throws ServiceError from the client when the request fails (after its retries).
 */
export async function completeMessages(
  client: AnthropicClient,
  request: CompletionRequest,
): Promise<Completion> {
  const system = request.messages
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => m.content)
    .join('\n\n');
  const turns = request.messages
    .filter((m) => m.role === 'user' || m.role === 'assistant')
    .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
  const raw = await client.call(
    'messages.create',
    (sdk) =>
      sdk.messages.create({
        model: request.model,
        max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
        messages: turns,
        ...(system ? { system } : {}),
        ...(request.output ? { output_config: { format: claudeFormat(request.output.schema) } } : {}),
        // Anthropic's range is 0–1 where OpenAI's is 0–2: clamp rather than fail the step.
        ...(request.temperature !== undefined ? { temperature: Math.min(1, request.temperature) } : {}),
      }),
    { model: request.model },
  );
  const reply = MessageReply.safeParse(raw);
  if (!reply.success) return { text: '', promptTokens: 0, completionTokens: 0 };
  const text = reply.data.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text ?? '')
    .join('');
  const stop = reply.data.stop_reason;
  return {
    text: stop === 'refusal' ? '' : text,
    ...(stop === 'refusal' ? { refusal: text.trim() || 'the model declined to answer' } : {}),
    ...(stop === 'max_tokens' || stop === 'model_context_window_exceeded'
      ? { stoppedBy: 'length' as const }
      : {}),
    promptTokens: reply.data.usage?.input_tokens ?? 0,
    completionTokens: reply.data.usage?.output_tokens ?? 0,
  };
}

/** The JSON-schema format Claude accepts, made by the SDK's helper from our strict schema. */
function claudeFormat(schema: Record<string, unknown>): {
  type: 'json_schema';
  schema: Record<string, unknown>;
} {
  const format = jsonSchemaHelpers().jsonSchemaOutputFormat(schema as { type: 'object' });
  return { type: 'json_schema', schema: format.schema as Record<string, unknown> };
}
