// The LLM layer: structured output with zod on top of the OpenAI and Anthropic connectors, with usage and cost.
export { DEFAULT_MAX_TOKENS } from './anthropic-transport.ts';
export {
  type AnthropicLlmOptions,
  createLlm,
  type LlmOptions,
  type OpenAILlmOptions,
} from './create-llm.ts';
export { LlmBudgetReachedError, LlmOutputError, LlmSchemaError } from './errors.ts';
export { meteredLlm } from './metered.ts';
export {
  formatModelSpec,
  ModelSetting,
  type ModelSpec,
  PROVIDERS,
  type Provider,
  parseModelSpec,
} from './model-spec.ts';
export { type OutputSchema, outputSchema } from './output-schema.ts';
export { PRICES_EXAMPLE, priceTableSetting, userPrices } from './price-settings.ts';
export {
  DEFAULT_PRICES,
  estimateCostUsd,
  type ModelPrice,
  PRICES_CHECKED,
  PRICES_SOURCES,
  priceOf,
} from './prices.ts';
export { type LlmClients, type LlmForOptions, llmFor } from './providers.ts';
export {
  checkLlmEnv,
  DEFAULT_MODEL,
  type LlmEnv,
  LlmEnvFields,
  type LlmRoles,
  llmRoles,
  providersOf,
} from './settings.ts';
export { LlmSpend, type LlmSpendOptions, type SharedSpend } from './spend.ts';
export {
  formatUsd,
  nextUtcMidnight,
  readSpendFile,
  SPEND_FILE,
  type SpendFile,
  type SpendSummary,
  type SpendTotals,
  spendTotals,
  summarizeSpend,
  type Tally,
  utcDay,
} from './spend-file.ts';
export type {
  Llm,
  LlmMessage,
  LlmPrompt,
  LlmResult,
  LlmUsage,
  ObjectOptions,
  TextOptions,
} from './types.ts';
