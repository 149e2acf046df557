// The LLM layer: structured output with zod on top of the OpenAI connector, with usage and cost.
export { createLlm, type LlmOptions } from './create-llm.ts';
export { LlmOutputError, LlmSchemaError } from './errors.ts';
export { type OutputSchema, outputSchema } from './output-schema.ts';
export { DEFAULT_PRICES, estimateCostUsd, type ModelPrice, PRICES_CHECKED, priceOf } from './prices.ts';
export type {
  Llm,
  LlmMessage,
  LlmPrompt,
  LlmResult,
  LlmUsage,
  ObjectOptions,
  TextOptions,
} from './types.ts';
