// provider:model settings: parsing, OPENAI_MODEL compatibility, and which keys are required.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkLlmEnv, LlmEnvFields, llmRoles, parseModelSpec } from '../../src/llm/index.ts';

const LlmEnv = z.object(LlmEnvFields).superRefine(checkLlmEnv);
const problems = (env: Record<string, string>) => {
  const parsed = LlmEnv.safeParse(env);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
};
const roles = (env: Record<string, string>) => llmRoles(LlmEnv.parse(env));

describe('parseModelSpec', () => {
  it('reads provider:model, and keeps an Ollama tag whole', () => {
    expect(parseModelSpec('anthropic:claude-sonnet-4-6')).toEqual({
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
    });
    expect(parseModelSpec('openai:gpt-5-mini')).toEqual({ provider: 'openai', model: 'gpt-5-mini' });
    expect(parseModelSpec('llama3.1:8b')).toEqual({ provider: 'openai', model: 'llama3.1:8b' });
    expect(parseModelSpec('openai:llama3.1:8b')).toEqual({ provider: 'openai', model: 'llama3.1:8b' });
    expect(parseModelSpec('claude-haiku-4-5')).toEqual({ provider: 'anthropic', model: 'claude-haiku-4-5' });
    expect(() => parseModelSpec('anthropic:')).toThrow(/names no model/);
  });
});

describe('model settings', () => {
  it('keeps OPENAI_MODEL working as openai:<it>, and the auditor defaults to the writer', () => {
    expect(roles({ OPENAI_API_KEY: 'sk-x', OPENAI_MODEL: 'gpt-4.1' })).toEqual({
      writer: { provider: 'openai', model: 'gpt-4.1' },
      auditor: { provider: 'openai', model: 'gpt-4.1' },
    });
    expect(roles({ OPENAI_API_KEY: 'sk-x' }).writer).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  });

  it('lets LLM_MODEL win over OPENAI_MODEL and AUDITOR_MODEL pick another provider', () => {
    expect(
      roles({
        OPENAI_API_KEY: 'sk-x',
        ANTHROPIC_API_KEY: 'sk-ant-x',
        OPENAI_MODEL: 'gpt-4.1',
        LLM_MODEL: 'openai:gpt-5-mini',
        AUDITOR_MODEL: 'anthropic:claude-sonnet-4-6',
      }),
    ).toEqual({
      writer: { provider: 'openai', model: 'gpt-5-mini' },
      auditor: { provider: 'anthropic', model: 'claude-sonnet-4-6' },
    });
  });

  it('requires only the keys of the providers in use, saying which setting needs them', () => {
    expect(problems({ LLM_MODEL: 'anthropic:claude-sonnet-4-6', ANTHROPIC_API_KEY: 'sk-ant-x' })).toEqual([]);
    expect(problems({ OPENAI_API_KEY: 'sk-x', AUDITOR_MODEL: 'anthropic:claude-haiku-4-5' })).toEqual([
      expect.stringMatching(/^ANTHROPIC_API_KEY is required — .*AUDITOR_MODEL=anthropic:claude-haiku-4-5/),
    ]);
    expect(problems({ LLM_MODEL: 'openai:gpt-5-mini' })).toEqual([
      expect.stringMatching(/^OPENAI_API_KEY is required — .*openai:gpt-5-mini/),
    ]);
    expect(problems({ OPENAI_API_KEY: 'sk-x', LLM_MODEL: 'anthropic:' })).toEqual([
      expect.stringMatching(/^LLM_MODEL .*names no model/),
    ]);
  });
});
