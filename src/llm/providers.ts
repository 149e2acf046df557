// Builds the Llm for a `provider:model` setting on the client of that provider.
import type { AnthropicClient } from '../../connectors/anthropic/index.ts';
import type { OpenAIClient } from '../../connectors/openai/index.ts';
import { createLlm } from './create-llm.ts';
import { meteredLlm } from './metered.ts';
import { formatModelSpec, type ModelSpec } from './model-spec.ts';
import type { ModelPrice } from './prices.ts';
import type { LlmSpend } from './spend.ts';
import type { Llm } from './types.ts';

/** The clients a process made, one per provider it uses. */
export interface LlmClients {
  openai?: OpenAIClient;
  anthropic?: AnthropicClient;
}

export interface LlmForOptions {
  /** The user's prices (LLM_PRICES), over the built-in table. */
  prices?: Record<string, ModelPrice>;
  openaiApi?: 'chat' | 'responses';
  /** The process's ledger and the recipe the calls are for: every call is then counted and capped. */
  meter?: { spend: LlmSpend; recipe: string };
}

/**
 * An Llm for `spec` on its provider's client.
 * @throws Error when that provider has no client (its key was not configured).
 */
export function llmFor(spec: ModelSpec, clients: LlmClients, options: LlmForOptions = {}): Llm {
  const llm = unmeteredLlm(spec, clients, options);
  return options.meter ? meteredLlm(llm, options.meter.spend, options.meter.recipe) : llm;
}

function unmeteredLlm(spec: ModelSpec, clients: LlmClients, options: LlmForOptions): Llm {
  const prices = options.prices ? { prices: options.prices } : {};
  if (spec.provider === 'anthropic') {
    if (!clients.anthropic) throw new Error(`${formatModelSpec(spec)} needs ANTHROPIC_API_KEY`);
    return createLlm({ provider: 'anthropic', client: clients.anthropic, model: spec.model, ...prices });
  }
  if (!clients.openai) throw new Error(`${formatModelSpec(spec)} needs OPENAI_API_KEY`);
  return createLlm({
    client: clients.openai,
    model: spec.model,
    ...(options.openaiApi ? { api: options.openaiApi } : {}),
    ...prices,
  });
}
