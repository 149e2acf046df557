// llm.object / llm.text on Claude: the same contract as on OpenAI (zod validation, one corrective
// retry, usage and cost), over the Messages API with output_config.format.
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AnthropicClient } from '../../connectors/anthropic/index.ts';
import { AuthError } from '../../connectors/core/index.ts';
import { createLlm, estimateCostUsd, LlmOutputError } from '../../src/llm/index.ts';
import { AnthropicEmulator } from '../../src/sandbox/anthropic/index.ts';
import { estimateTokens, scriptedRefusal } from '../../src/sandbox/openai/index.ts';
import { useEmulators } from '../support/msw.ts';

const KEY = 'sk-ant-test-llm-0123456789abcdef';
const emulator = new AnthropicEmulator({ apiKeys: [KEY] });
useEmulators(emulator.handlers());

// Bounds and lengths Claude's decoder does not enforce: they travel as descriptions, zod checks them.
const Pitch = z.object({
  subject: z.string().min(5).max(90),
  body: z.string(),
  confidence: z.number().min(0).max(1),
});

const prompt = {
  system: 'You write short, friendly sales emails. Answer in JSON.',
  user: 'Write a pitch.\nName: Ada Lovelace\nCompany: Analytical Engines Ltd\nNotes: prefers email',
};

const claude = (apiKey = KEY) =>
  createLlm({
    provider: 'anthropic',
    client: new AnthropicClient({ apiKey, initialDelayMs: 1, maxDelayMs: 20 }),
    model: 'claude-haiku-4-5',
  });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

beforeEach(() => emulator.reset());

describe('llm.object on Claude', () => {
  it('returns a validated value with provider, usage and cost; the system prompt goes top-level', async () => {
    const result = await claude().object(Pitch, prompt, { name: 'pitch' });
    expect(result.value.subject).toBe('[sample] Idea for Analytical Engines Ltd');
    expect(result.attempts).toBe(1);
    const { usage } = result;
    expect(usage).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5' });
    expect(usage.totalTokens).toBe(usage.promptTokens + usage.completionTokens);
    expect(usage.costUsd).toBe(
      estimateCostUsd('anthropic:claude-haiku-4-5', usage.promptTokens, usage.completionTokens),
    );
    expect(usage.costUsd).toBeGreaterThan(0);
    const [call] = emulator.calls;
    expect(call?.format).toBe('json_schema');
    expect(call?.messages.map((m) => m.role)).toEqual(['system', 'user']);
    // The SDK's transform moved `maxLength` into the description (the API refuses it as a keyword).
    expect(JSON.stringify(call?.schema)).toContain('maxLength: 90');
  });

  it('asks again once with the validation problem, and sums usage over both attempts', async () => {
    let calls = 0;
    emulator.respondWith(() => (calls++ === 0 ? { subject: 'Hi', body: 'x', confidence: 3 } : undefined));
    const result = await claude().object(Pitch, prompt, { name: 'pitch' });
    expect(result.attempts).toBe(2);
    const retry = emulator.calls[1]!.messages;
    expect(retry.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[3]!.content).toMatch(/does not match the schema \(subject: .*confidence: /);
    expect(result.usage.completionTokens).toBeGreaterThan(
      estimateTokens('{"subject":"Hi","body":"x","confidence":3}'),
    );
  });

  it('retries a refusal (stop_reason refusal) once, then gives up with LlmOutputError', async () => {
    emulator.respondWith(() => scriptedRefusal('I would rather not.'));
    const err = await rejection(claude().object(Pitch, prompt, { name: 'pitch' }));
    expect(err).toBeInstanceOf(LlmOutputError);
    expect(err.message).toContain('anthropic:claude-haiku-4-5 gave an unusable answer');
    expect(err.message).toContain('the model refused ("I would rather not.")');
    expect(emulator.calls).toHaveLength(2);
  });

  it('says the answer was cut off at max_tokens', async () => {
    const err = await rejection(claude().object(Pitch, prompt, { name: 'pitch', maxTokens: 12 }));
    expect(err.message).toContain('cut off at the output token limit');
    expect(emulator.calls.map((c) => c.maxTokens)).toEqual([12, 12]);
  });
});

describe('llm.text on Claude', () => {
  it('answers plain text, sending a default max_tokens the API requires', async () => {
    const result = await claude().text({ user: 'Company: Acme' });
    expect(result.value).toContain('[sample]');
    expect(emulator.calls[0]?.maxTokens).toBe(4096);
  });

  it('fails at once on a rejected key, naming ANTHROPIC_API_KEY', async () => {
    const err = await rejection(claude('sk-ant-wrong-0000000000').text({ user: 'hi' }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('ANTHROPIC_API_KEY');
  });
});
