// Estimated model prices, to put a dollar figure on each call's usage.

/** USD per one million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/**
 * Standard (non-batch, uncached) list prices as published on OpenAI's pricing page, checked
 * 2026-03. Estimates only: prices change, cached input is cheaper, and reasoning tokens are billed
 * as output. Override or extend them with `createLlm({ prices })`.
 */
export const PRICES_CHECKED = '2026-03';

export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gpt-5.1': { inputPerMillion: 1.25, outputPerMillion: 10 },
  'gpt-5-mini': { inputPerMillion: 0.25, outputPerMillion: 2 },
  'gpt-5-nano': { inputPerMillion: 0.05, outputPerMillion: 0.4 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  o3: { inputPerMillion: 2, outputPerMillion: 8 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
};

/** The price for `model` (a dated snapshot like `gpt-4o-2024-08-06` uses its base model's price). */
export function priceOf(model: string, prices: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  return prices[model] ?? prices[model.replace(/-\d{4}-\d{2}-\d{2}$/, '')];
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
