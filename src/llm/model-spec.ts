// Model settings as `provider:model` strings: which API a role talks to and which model it asks.
import { z } from 'zod';

export const PROVIDERS = ['openai', 'anthropic'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A model on a provider, e.g. `{ provider: 'anthropic', model: 'claude-sonnet-4-6' }`. */
export interface ModelSpec {
  provider: Provider;
  model: string;
}

/**
 * Reads `openai:gpt-5-mini` or `anthropic:claude-sonnet-4-6`. Only a known provider name counts as
 * a prefix, so an Ollama tag like `llama3.1:8b` stays an OpenAI-compatible model name. A bare name
 * means OpenAI (what OPENAI_MODEL always meant), except `claude-…`, which only Anthropic serves.
 * @throws Error naming the problem when the string is empty or the model part is missing.
 */
export function parseModelSpec(value: string): ModelSpec {
  const text = value.trim();
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon).toLowerCase() : '';
  if ((PROVIDERS as readonly string[]).includes(prefix)) {
    const model = text.slice(colon + 1).trim();
    if (!model)
      throw new Error(`'${text}' names no model after '${prefix}:' — e.g. ${example(prefix as Provider)}`);
    return { provider: prefix as Provider, model };
  }
  if (!text)
    throw new Error('is empty — use provider:model, e.g. openai:gpt-5-mini or anthropic:claude-sonnet-4-6');
  return { provider: /^claude-/i.test(text) ? 'anthropic' : 'openai', model: text };
}

/** `provider:model`, the form prices, logs and `baton status` use. */
export function formatModelSpec(spec: ModelSpec): string {
  return `${spec.provider}:${spec.model}`;
}

/** A zod field for a model setting: an optional `provider:model` string, checked and parsed. */
export const ModelSetting = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z
    .string()
    .transform((value, ctx): ModelSpec => {
      try {
        return parseModelSpec(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    })
    .optional(),
);

function example(provider: Provider): string {
  return provider === 'openai' ? 'openai:gpt-5-mini' : 'anthropic:claude-sonnet-4-6';
}
