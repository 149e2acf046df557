// The contract recipes use to ask a model for structured data or text.
import type { z } from 'zod';
import type { Provider } from './model-spec.ts';

export interface LlmMessage {
  role: 'system' | 'developer' | 'user' | 'assistant';
  content: string;
}

/** A conversation, or the common shape of one: an optional system prompt and the user's message. */
export type LlmPrompt = LlmMessage[] | { system?: string; user: string };

/** Tokens spent (summed over every attempt) and their estimated price. */
export interface LlmUsage {
  /** Which API answered (`openai` also covers OpenAI-compatible servers). */
  provider: Provider;
  /** The model name without the provider, e.g. `gpt-4o-mini`, `claude-sonnet-4-6`. */
  model: string;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Estimated from the price table; undefined for a model without a known price. */
  costUsd?: number;
}

export interface LlmResult<T> {
  value: T;
  usage: LlmUsage;
  /** Requests it took: 1, or 2 when the first answer was unusable and the model was asked again. */
  attempts: number;
}

export interface ObjectOptions {
  /** Schema name sent to the API (letters, digits, `_`, `-`; default `output`). */
  name?: string;
  temperature?: number;
  /** Output token limit per attempt. */
  maxTokens?: number;
}

export interface TextOptions {
  temperature?: number;
  maxTokens?: number;
}

/** A model behind a client, ready for prompts. LLM output is data: Baton never executes it. */
export interface Llm {
  readonly provider: Provider;
  readonly model: string;
  /** OpenAI's `chat` or `responses` API, or Anthropic's `messages`. */
  readonly api: 'chat' | 'responses' | 'messages';
  /**
   * Asks for JSON matching `schema` (sent as a strict JSON schema) and validates the answer with zod.
   * An unusable answer (bad JSON, schema violation, refusal, cut off) is retried once with the
   * problem appended to the conversation; usage is summed over both attempts.
   * @throws LlmOutputError (not retryable) when the second answer is unusable too.
   * @throws LlmSchemaError when `schema` cannot be expressed for strict structured output.
   * @throws ServiceError from the client when the request itself fails (quota, auth, outage).
   */
  object<S extends z.ZodType>(
    schema: S,
    prompt: LlmPrompt,
    options?: ObjectOptions,
  ): Promise<LlmResult<z.output<S>>>;
  /**
   * Asks for plain text (one attempt).
   * @throws LlmOutputError when the answer is empty, refused or cut off.
   */
  text(prompt: LlmPrompt, options?: TextOptions): Promise<LlmResult<string>>;
}
