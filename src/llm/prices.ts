// Estimated model prices, keyed `provider:model`, to put a dollar figure on each call's usage.
import { formatModelSpec, parseModelSpec } from './model-spec.ts';

/** USD per one million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/**
 * Standard (non-batch, uncached) list prices from OpenAI's and Anthropic's pricing pages
 * (PRICES_SOURCES), checked 2026-03 (PRICES_CHECKED). Estimates only: prices change, cached input
 * is cheaper, and reasoning/thinking tokens are billed as output. Keys are `provider:model` so one
 * budget (BATON_LLM_DAILY_BUDGET) covers both providers. Users override or extend the table with
 * LLM_PRICES (`{"openai:llama3.1":{"input":0,"output":0}}`, see price-settings.ts); code passes
 * `createLlm({ prices })` (a bare key means an OpenAI model).
 */
export const PRICES_CHECKED = '2026-03';

/** Where the table's figures come from. */
export const PRICES_SOURCES = [
  'https://openai.com/api/pricing/',
  'https://docs.anthropic.com/en/docs/about-claude/pricing',
] as const;

export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'openai:gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'openai:gpt-5.1': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'openai:gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
  'openai:gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  'openai:gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'openai:gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'openai:gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'openai:gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'openai:gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'openai:o3': { inputPerMillion: 2, outputPerMillion: 8 },
  'openai:o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'anthropic:claude-opus-4-6': { inputPerMillion: 5, outputPerMillion: 25 },
  'anthropic:claude-opus-4-5': { inputPerMillion: 5, outputPerMillion: 25 },
  'anthropic:claude-opus-4-1': { inputPerMillion: 15, outputPerMillion: 75 },
  'anthropic:claude-sonnet-4-6': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic:claude-sonnet-4-5': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic:claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15 },
  'anthropic:claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5 },
};

/**
 * The price for `model` (`provider:model`, or a bare OpenAI name). A dated snapshot uses its base
 * model's price: `gpt-4o-2024-08-06` → `gpt-4o`, `claude-haiku-4-5-20251001` → `claude-haiku-4-5`.
 */
export function priceOf(model: string, prices: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  const spec = parseModelSpec(model);
  const base = spec.model.replace(/-\d{4}-\d{2}-\d{2}$/, '').replace(/-\d{8}$/, '');
  for (const name of [spec.model, base]) {
    const found =
      prices[formatModelSpec({ ...spec, model: name })] ??
      (spec.provider === 'openai' ? prices[name] : undefined);
    if (found) return found;
  }
  return undefined;
}

/** Estimated USD for the tokens, or undefined when the model has no known price. */
export function estimateCostUsd(
  model: string,
  promptTokens: number,
  completionTokens: number,
  prices: Readonly<Record<string, ModelPrice>> = DEFAULT_PRICES,
): number | undefined {
  const price = priceOf(model, prices);
  if (!price) return undefined;
  const usd = (promptTokens * price.inputPerMillion + completionTokens * price.outputPerMillion) / 1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}
