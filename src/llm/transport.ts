// One model request over the chat-completions or the responses API, reduced to what the LLM layer needs.
import { z } from 'zod';
import type { OpenAIClient } from '../../connectors/openai/index.ts';
import type { OutputSchema } from './output-schema.ts';
import type { LlmMessage } from './types.ts';

export interface CompletionRequest {
  model: string;
  messages: LlmMessage[];
  output?: OutputSchema;
  temperature?: number;
  maxTokens?: number;
}

/** The model's answer: text, or why there is none usable; tokens as the server counted them. */
export interface Completion {
  text: string;
  refusal?: string;
  /** 'length' (cut at the token limit), 'content_filter', or undefined for a normal stop. */
  stoppedBy?: 'length' | 'content_filter';
  promptTokens: number;
  completionTokens: number;
}

// Only the fields relied on are checked, so OpenAI-compatible servers with extra fields still pass.
const ChatReply = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

const ResponsesReply = z.object({
  status: z.string().nullish(),
  incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
  output: z.array(
    z.object({
      type: z.string(),
      content: z
        .array(z.object({ type: z.string(), text: z.string().optional(), refusal: z.string().optional() }))
        .optional(),
    }),
  ),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).nullish(),
});

/** @throws ServiceError from the client when the request fails (after its retries). */
export async function completeChat(client: OpenAIClient, request: CompletionRequest): Promise<Completion> {
  const raw = await client.call(
    'chat.completions.create',
    (sdk) =>
      sdk.chat.completions.create({
        model: request.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        ...(request.output
          ? {
              response_format: {
                type: 'json_schema' as const,
                json_schema: { name: request.output.name, schema: request.output.schema, strict: true },
              },
            }
          : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxTokens !== undefined ? { max_completion_tokens: request.maxTokens } : {}),
      }),
    { model: request.model },
  );
  const reply = ChatReply.safeParse(raw);
  if (!reply.success) return { text: '', promptTokens: 0, completionTokens: 0 };
  const choice = reply.data.choices[0]!;
  const stop = choice.finish_reason;
  return {
    text: choice.message.content ?? '',
    ...(choice.message.refusal ? { refusal: choice.message.refusal } : {}),
    ...(stop === 'length' || stop === 'content_filter' ? { stoppedBy: stop } : {}),
    promptTokens: reply.data.usage?.prompt_tokens ?? 0,
    completionTokens: reply.data.usage?.completion_tokens ?? 0,
  };
}

/** @throws ServiceError from the client when the request fails (after its retries). */
export async function completeResponses(
  client: OpenAIClient,
  request: CompletionRequest,
): Promise<Completion> {
  const raw = await client.call(
    'responses.create',
    (sdk) =>
      sdk.responses.create({
        model: request.model,
        input: request.messages.map((m) => ({ role: m.role, content: m.content })),
        store: false,
        ...(request.output
          ? {
              text: {
                format: {
                  type: 'json_schema' as const,
                  name: request.output.name,
                  schema: request.output.schema,
                  strict: true,
                },
              },
            }
          : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        ...(request.maxTokens !== undefined ? { max_output_tokens: request.maxTokens } : {}),
      }),
    { model: request.model },
  );
  const reply = ResponsesReply.safeParse(raw);
  if (!reply.success) return { text: '', promptTokens: 0, completionTokens: 0 };
  const parts = reply.data.output
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? []);
  const refusal = parts.find((p) => p.type === 'refusal')?.refusal;
  const reason = reply.data.incomplete_details?.reason;
  return {
    text: parts
      .filter((p) => p.type === 'output_text')
      .map((p) => p.text ?? '')
      .join(''),
    ...(refusal ? { refusal } : {}),
    ...(reply.data.status === 'incomplete'
      ? { stoppedBy: reason === 'content_filter' ? ('content_filter' as const) : ('length' as const) }
      : {}),
    promptTokens: reply.data.usage?.input_tokens ?? 0,
    completionTokens: reply.data.usage?.output_tokens ?? 0,
  };
}
