// The model settings every recipe shares: which provider and model writes, which one audits, and the keys.
import { z } from 'zod';
import {
  formatModelSpec,
  ModelSetting,
  type ModelSpec,
  type Provider,
  parseModelSpec,
} from './model-spec.ts';

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
};

export interface LlmEnv {
  OPENAI_API_KEY?: string | undefined;
  OPENAI_MODEL?: string | undefined;
  ANTHROPIC_API_KEY?: string | undefined;
  LLM_MODEL?: ModelSpec | undefined;
  AUDITOR_MODEL?: ModelSpec | undefined;
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

/** Adds an issue for each key a configured provider needs but the environment lacks. */
export function checkLlmEnv(env: LlmEnv, ctx: z.RefinementCtx): void {
  const roles = llmRoles(env);
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
