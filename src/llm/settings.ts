// The model settings every recipe shares: which provider and model writes, which one audits, the keys,
// the daily budget and the user's prices.
import { z } from 'zod';
import {
  formatModelSpec,
  ModelSetting,
  type ModelSpec,
  type Provider,
  parseModelSpec,
} from './model-spec.ts';
import { PRICES_EXAMPLE, priceTableSetting, userPrices } from './price-settings.ts';
import { DEFAULT_PRICES, type ModelPrice, priceOf } from './prices.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = () => z.preprocess(blank, z.string().optional());

/** The model used when neither LLM_MODEL nor OPENAI_MODEL is set (Baton's default before providers). */
export const DEFAULT_MODEL = 'openai:gpt-4o-mini';

/** Env fields for the LLM; spread them into a recipe's schema and call `checkLlmEnv` in its superRefine. */
export const LlmEnvFields = {
  OPENAI_API_KEY: optional(),
  OPENAI_BASE_URL: z.preprocess(
    blank,
    z.url({ error: 'must be a URL such as http://localhost:11434/v1' }).optional(),
  ),
  /** Kept for existing .env files: means `openai:<it>` when LLM_MODEL is not set. */
  OPENAI_MODEL: optional(),
  ANTHROPIC_API_KEY: optional(),
  ANTHROPIC_BASE_URL: z.preprocess(
    blank,
    z.url({ error: 'must be a URL such as https://api.anthropic.com (without /v1)' }).optional(),
  ),
  LLM_MODEL: ModelSetting,
  AUDITOR_MODEL: ModelSetting,
  /** USD per UTC day for every model call of the process; unset: no cap. */
  BATON_LLM_DAILY_BUDGET: z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim().replace(/^\$/, '')) : v),
    z.coerce
      .number({ error: 'must be an amount in US dollars per UTC day, e.g. 5 or 0.50' })
      .min(0, { error: 'must be an amount in US dollars per UTC day, e.g. 5 or 0.50' })
      .optional(),
  ),
  LLM_PRICES: priceTableSetting('LLM_PRICES'),
  /** Kept for existing .env files: prices of OpenAI-compatible models, keyed by model name. */
  OPENAI_PRICES: priceTableSetting('OPENAI_PRICES'),
};

export interface LlmEnv {
  OPENAI_API_KEY?: string | undefined;
  OPENAI_MODEL?: string | undefined;
  ANTHROPIC_API_KEY?: string | undefined;
  LLM_MODEL?: ModelSpec | undefined;
  AUDITOR_MODEL?: ModelSpec | undefined;
  BATON_LLM_DAILY_BUDGET?: number | undefined;
  LLM_PRICES?: Record<string, ModelPrice> | undefined;
  OPENAI_PRICES?: Record<string, ModelPrice> | undefined;
}

/** The model of each role: the writer (LLM_MODEL) and the auditor (AUDITOR_MODEL, else the writer's). */
export interface LlmRoles {
  writer: ModelSpec;
  auditor: ModelSpec;
}

/** Resolves the roles: LLM_MODEL, else `openai:<OPENAI_MODEL>`, else DEFAULT_MODEL; the auditor defaults to it. */
export function llmRoles(env: LlmEnv): LlmRoles {
  const writer =
    env.LLM_MODEL ??
    (env.OPENAI_MODEL
      ? { provider: 'openai' as const, model: env.OPENAI_MODEL.trim() }
      : parseModelSpec(DEFAULT_MODEL));
  return { writer, auditor: env.AUDITOR_MODEL ?? writer };
}

/** The providers the roles use, each once, in role order. */
export function providersOf(roles: LlmRoles): Provider[] {
  return [...new Set([roles.writer.provider, roles.auditor.provider])];
}

const KEY_HELP: Record<Provider, { variable: 'OPENAI_API_KEY' | 'ANTHROPIC_API_KEY'; where: string }> = {
  openai: {
    variable: 'OPENAI_API_KEY',
    where: 'an API key from your OpenAI (or compatible) account',
  },
  anthropic: {
    variable: 'ANTHROPIC_API_KEY',
    where: 'an API key from the Claude Console (console.anthropic.com → API keys)',
  },
};

/**
 * Adds an issue for each key a configured provider needs but the environment lacks, and, with a
 * daily budget set, for each configured model that has no price (its spend could not be counted).
 */
export function checkLlmEnv(env: LlmEnv, ctx: z.RefinementCtx): void {
  const roles = llmRoles(env);
  if (env.BATON_LLM_DAILY_BUDGET !== undefined) {
    const prices = { ...DEFAULT_PRICES, ...userPrices(env) };
    const unpriced = [...new Set([roles.writer, roles.auditor].map(formatModelSpec))].filter(
      (model) => !priceOf(model, prices),
    );
    for (const model of unpriced) {
      ctx.addIssue({
        code: 'custom',
        path: ['LLM_PRICES'],
        message: `has no price for ${model}, and BATON_LLM_DAILY_BUDGET needs one to count its spend — add it in USD per 1M tokens, e.g. LLM_PRICES=${PRICES_EXAMPLE.replace('openai:llama3.1', model)} (0 for a local model)`,
      });
    }
  }
  for (const provider of providersOf(roles)) {
    const { variable, where } = KEY_HELP[provider];
    if (env[variable]) continue;
    const users = [
      ...(roles.writer.provider === provider ? [`the model ${formatModelSpec(roles.writer)}`] : []),
      ...(env.AUDITOR_MODEL?.provider === provider && env.AUDITOR_MODEL !== roles.writer
        ? [`AUDITOR_MODEL=${formatModelSpec(env.AUDITOR_MODEL)}`]
        : []),
    ];
    ctx.addIssue({
      code: 'custom',
      path: [variable],
      message: `is required — ${where} (for ${users.join(' and ')})`,
    });
  }
}
