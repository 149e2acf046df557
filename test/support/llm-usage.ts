// One model call's usage as the LLM connectors report it, for the spend ledger's tests.
import type { LlmUsage } from '../../src/llm/index.ts';

/** An OpenAI gpt-4o call of `promptTokens` in and `completionTokens` out, priced `costUsd` when given. */
export const llmUsage = (promptTokens: number, completionTokens: number, costUsd?: number): LlmUsage => ({
  provider: 'openai',
  model: 'gpt-4o',
  promptTokens,
  completionTokens,
  totalTokens: promptTokens + completionTokens,
  ...(costUsd !== undefined ? { costUsd } : {}),
});
