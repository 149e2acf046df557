// LLM_PRICES (and its older alias OPENAI_PRICES): the user's own prices, over the built-in table.
import { z } from 'zod';
import { formatModelSpec, parseModelSpec } from './model-spec.ts';
import type { ModelPrice } from './prices.ts';

/** What a price setting looks like, quoted in every error about one. */
export const PRICES_EXAMPLE = '{"openai:llama3.1":{"input":0,"output":0}}';

const PerMillion = z.number({ error: 'must be a number of USD per 1M tokens' }).min(0, {
  error: 'must be 0 or more (USD per 1M tokens)',
});
const PriceEntry = z.strictObject({ input: PerMillion, output: PerMillion });

/**
 * A zod field for a JSON price table keyed `provider:model`, each `{"input": USD, "output": USD}`
 * per 1M tokens, e.g. `{"openai:llama3.1":{"input":0,"output":0}}` for a local Ollama model. Keys
 * are normalised like model settings (`gpt-4o` means `openai:gpt-4o`). With `openaiOnly` (the
 * OPENAI_PRICES alias) every key is an OpenAI-compatible model, with or without `openai:`.
 */
export function priceTableSetting(name: 'LLM_PRICES' | 'OPENAI_PRICES') {
  const openaiOnly = name === 'OPENAI_PRICES';
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z
      .string()
      .optional()
      .transform((text, ctx): Record<string, ModelPrice> | undefined => {
        if (text === undefined) return undefined;
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (err) {
          ctx.addIssue({
            code: 'custom',
            message: `is not valid JSON (${(err as Error).message}) — e.g. ${PRICES_EXAMPLE}`,
          });
          return z.NEVER;
        }
        if (typeof json !== 'object' || json === null || Array.isArray(json)) {
          ctx.addIssue({
            code: 'custom',
            message: `must be a JSON object keyed provider:model — e.g. ${PRICES_EXAMPLE}`,
          });
          return z.NEVER;
        }
        const table: Record<string, ModelPrice> = {};
        for (const [key, value] of Object.entries(json)) {
          const problem = (what: string) => ctx.addIssue({ code: 'custom', message: `'${key}' ${what}` });
          let spec: ReturnType<typeof parseModelSpec>;
          try {
            spec = openaiOnly
              ? { provider: 'openai', model: key.replace(/^openai:/i, '').trim() }
              : parseModelSpec(key);
          } catch (err) {
            problem((err as Error).message);
            continue;
          }
          if (openaiOnly && /^anthropic:/i.test(key)) {
            problem('is not an OpenAI-compatible model — put anthropic: prices in LLM_PRICES');
            continue;
          }
          const price = PriceEntry.safeParse(value);
          if (!price.success) {
            const issue = price.error.issues[0];
            const field = issue?.path.length ? `${issue.path.join('.')} ` : '';
            problem(
              `${field}${issue?.message ?? 'is not a price'} — each entry is {"input": USD, "output": USD} per 1M tokens`,
            );
            continue;
          }
          table[formatModelSpec(spec)] = {
            inputPerMillion: price.data.input,
            outputPerMillion: price.data.output,
          };
        }
        return table;
      }),
  );
}

/** The user's prices: OPENAI_PRICES, then LLM_PRICES over it (both keyed `provider:model`). */
export function userPrices(env: {
  LLM_PRICES?: Record<string, ModelPrice> | undefined;
  OPENAI_PRICES?: Record<string, ModelPrice> | undefined;
}): Record<string, ModelPrice> {
  return { ...env.OPENAI_PRICES, ...env.LLM_PRICES };
}
