// llm.object / llm.text: structured output validated by zod, one corrective retry, usage and cost.
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AuthError, ServiceError } from '../../connectors/core/index.ts';
import { OpenAIClient } from '../../connectors/openai/index.ts';
import { createLlm, estimateCostUsd, LlmOutputError, LlmSchemaError } from '../../src/llm/index.ts';
import { estimateTokens, OpenAIEmulator, scriptedRefusal } from '../../src/sandbox/openai/index.ts';
import { useEmulators } from '../support/msw.ts';

const KEY = 'sk-test-llm-0123456789abcdef';
const emulator = new OpenAIEmulator({ apiKeys: [KEY] });
const ollama = new OpenAIEmulator({
  baseUrl: 'http://localhost:11434/v1',
  apiKeys: ['ollama'],
  models: ['llama3.1'],
});
useEmulators(emulator.handlers(), ollama.handlers());

const Pitch = z.object({
  subject: z.string().min(5).max(90),
  body: z.string(),
  confidence: z.number().min(0).max(1),
});

const prompt = {
  system: 'You write short, friendly sales emails. Answer in JSON.',
  user: 'Write a pitch.\nName: Ada Lovelace\nCompany: Analytical Engines Ltd\nNotes: prefers email',
};

const llm = (options: { api?: 'chat' | 'responses'; apiKey?: string } = {}) =>
  createLlm({
    client: new OpenAIClient({ apiKey: options.apiKey ?? KEY, initialDelayMs: 1, maxDelayMs: 20 }),
    model: 'gpt-4o-mini',
    ...(options.api ? { api: options.api } : {}),
  });

const modelRequests = () => emulator.requests.count({ path: /\/v1\/(chat\/completions|responses)$/ });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

beforeEach(() => {
  emulator.reset();
  ollama.reset();
});

describe('llm.object', () => {
  for (const api of ['chat', 'responses'] as const) {
    it(`returns a validated value with usage and cost over the ${api} API`, async () => {
      const result = await llm({ api }).object(Pitch, prompt, { name: 'pitch' });
      expect(result.value.subject).toBe('[sample] Idea for Analytical Engines Ltd');
      expect(result.value.body).toContain('prefers email');
      expect(result.attempts).toBe(1);
      const { usage } = result;
      expect(usage.model).toBe('gpt-4o-mini');
      expect(usage.promptTokens).toBeGreaterThan(0);
      expect(usage.completionTokens).toBeGreaterThan(0);
      expect(usage.totalTokens).toBe(usage.promptTokens + usage.completionTokens);
      expect(usage.costUsd).toBe(estimateCostUsd('gpt-4o-mini', usage.promptTokens, usage.completionTokens));
      expect(emulator.calls).toEqual([
        expect.objectContaining({ api, format: 'json_schema', schemaName: 'pitch' }),
      ]);
      expect(emulator.calls[0]!.messages.map((m) => m.role)).toEqual(['system', 'user']);
    });
  }

  it('asks again once with the validation problem, and sums usage over both attempts', async () => {
    const baseline = await llm().object(Pitch, prompt, { name: 'pitch' });
    emulator.reset();
    let calls = 0;
    emulator.respondWith(() => (calls++ === 0 ? { subject: 7 } : undefined));

    const result = await llm().object(Pitch, prompt, { name: 'pitch' });

    expect(result.attempts).toBe(2);
    expect(result.value).toEqual(baseline.value);
    const retry = emulator.calls[1]!.messages;
    expect(retry.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[2]!.content).toBe('{"subject":7}');
    expect(retry[3]!.content).toMatch(/does not match the schema \(subject: .*expected string/);
    expect(result.usage.completionTokens).toBe(
      baseline.usage.completionTokens + estimateTokens('{"subject":7}'),
    );
    expect(result.usage.promptTokens).toBeGreaterThan(2 * baseline.usage.promptTokens);
    expect(result.usage.totalTokens).toBe(result.usage.promptTokens + result.usage.completionTokens);
  });

  it('retries a refusal once', async () => {
    let calls = 0;
    emulator.respondWith(() => (calls++ === 0 ? scriptedRefusal('I would rather not.') : undefined));
    const result = await llm({ api: 'responses' }).object(Pitch, prompt, { name: 'pitch' });
    expect(result.attempts).toBe(2);
    expect(emulator.calls[1]!.messages.at(-1)?.content).toContain(
      'the model refused ("I would rather not.")',
    );
  });

  it('throws a non-retryable LlmOutputError when the second answer is unusable too', async () => {
    emulator.respondWith(() => 'Sure! Here is your pitch: Dear Ada…');
    const err = await rejection(llm().object(Pitch, prompt, { name: 'pitch' }));
    expect(err).toBeInstanceOf(LlmOutputError);
    const output = err as LlmOutputError;
    expect(output.retryable).toBe(false);
    expect(output.problems).toHaveLength(2);
    expect(output.message).toContain("unusable answer for 'pitch'");
    expect(output.message).toContain('not valid JSON');
    expect(output.message).not.toContain(KEY);
    expect(output.usage.completionTokens).toBe(2 * estimateTokens('Sure! Here is your pitch: Dear Ada…'));
    expect(modelRequests()).toBe(2);
  });

  it('says to raise maxTokens when both answers are cut off', async () => {
    const err = await rejection(llm().object(Pitch, prompt, { name: 'pitch', maxTokens: 12 }));
    expect(err).toBeInstanceOf(LlmOutputError);
    expect(err.message).toContain('cut off at the output token limit');
    expect(err.message).toContain('raise maxTokens');
    expect(emulator.calls.map((c) => c.maxOutputTokens)).toEqual([12, 12]);
  });

  it('refuses a zod schema strict mode cannot express, before sending anything', async () => {
    const Loose = z.object({ subject: z.string(), website: z.string().optional() });
    const err = await rejection(llm().object(Loose, prompt));
    expect(err).toBeInstanceOf(LlmSchemaError);
    expect(err.message).toContain('.nullable()');
    expect(modelRequests()).toBe(0);
  });
});

describe('service failures under llm.object', () => {
  it('waits out a 429 rate limit and returns one value', async () => {
    emulator.faults.failNext(1, 429, { headers: { 'retry-after-ms': '60' } });
    const started = Date.now();
    const result = await llm().object(Pitch, prompt);
    expect(result.attempts).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(modelRequests()).toBe(2);
    expect(emulator.calls).toHaveLength(1);
  });

  it('fails at once on insufficient_quota with the fix, without retrying', async () => {
    emulator.exhaustQuota();
    const err = await rejection(llm().object(Pitch, prompt));
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).not.toBeInstanceOf(LlmOutputError);
    expect(err.message).toBe(
      'OpenAI says the account is out of quota — add credits or change OPENAI_API_KEY',
    );
    expect((err as ServiceError).retryable).toBe(false);
    expect(modelRequests()).toBe(1);
  });

  it('retries a 5xx and returns the value', async () => {
    emulator.faults.failNext(2, 500);
    const result = await llm({ api: 'responses' }).object(Pitch, prompt);
    expect(result.value.subject).toContain('Analytical Engines Ltd');
    expect(modelRequests()).toBe(3);
  });

  it('reports a wrong key clearly, without the key', async () => {
    const secret = 'sk-definitely-not-a-valid-key-1234';
    const err = await rejection(llm({ apiKey: secret }).object(Pitch, prompt));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('check OPENAI_API_KEY');
    expect(err.message).not.toContain(secret);
    expect(modelRequests()).toBe(1);
  });
});

describe('other servers and plain text', () => {
  it('works against an OpenAI-compatible server at another base URL', async () => {
    const local = createLlm({
      client: new OpenAIClient({ apiKey: 'ollama', baseURL: 'http://localhost:11434/v1' }),
      model: 'llama3.1',
    });
    const result = await local.object(Pitch, prompt);
    expect(result.value.subject).toContain('Analytical Engines Ltd');
    expect(result.usage.costUsd).toBeUndefined();
    expect(ollama.calls).toHaveLength(1);
    expect(emulator.calls).toHaveLength(0);

    const priced = createLlm({
      client: new OpenAIClient({ apiKey: 'ollama', baseURL: 'http://localhost:11434/v1' }),
      model: 'llama3.1',
      prices: { 'llama3.1': { inputPerMillion: 1, outputPerMillion: 1 } },
    });
    const { usage } = await priced.object(Pitch, prompt);
    expect(usage.costUsd).toBeCloseTo(usage.totalTokens / 1_000_000, 10);
  });

  it('llm.text answers a plain prompt (the "does the model answer" check)', async () => {
    const result = await llm().text([{ role: 'user', content: 'Reply with OK.' }]);
    expect(result.value).toMatch(/^\[sample\] /);
    expect(result.usage.totalTokens).toBeGreaterThan(0);
    expect(emulator.calls[0]!.format).toBe('text');
  });

  it('llm.text throws LlmOutputError on an empty answer', async () => {
    emulator.respondWith(() => '   ');
    const err = await rejection(llm({ api: 'responses' }).text({ user: 'Say something.' }));
    expect(err).toBeInstanceOf(LlmOutputError);
    expect(err.message).toContain('the answer was empty');
  });
});
