// The Anthropic emulator as the Messages API reference describes it: headers, error shape, 529,
// rate limits, structured output through output_config.format, GET /v1/models.
import Anthropic from '@anthropic-ai/sdk';
import { jsonSchemaOutputFormat } from '@anthropic-ai/sdk/helpers/json-schema';
import { beforeEach, describe, expect, it } from 'vitest';
import { AnthropicEmulator } from '../../src/sandbox/anthropic/index.ts';
import {
  sampleAnswer,
  scriptedCutOff,
  scriptedRefusal,
  validateJsonSchema,
} from '../../src/sandbox/openai/index.ts';
import { useEmulators } from '../support/msw.ts';

const KEY = 'sk-ant-sandbox-test-0123456789';
const emulator = new AnthropicEmulator({ apiKeys: [KEY] });
useEmulators(emulator.handlers());

const URL_MESSAGES = 'https://api.anthropic.com/v1/messages';
const body = {
  model: 'claude-sonnet-4-6',
  max_tokens: 300,
  messages: [{ role: 'user' as const, content: 'Name: Ada Lovelace\nCompany: Analytical Engines Ltd' }],
};

interface ErrorBody {
  type: string;
  error: { type: string; message: string };
  request_id: string;
}
interface MessageBody {
  content: { type: string; text: string }[];
  usage: { input_tokens: number; output_tokens: number };
}
const errorOf = async (response: Response) => (await response.json()) as ErrorBody;
const post = (headers: Record<string, string>, payload: unknown = body) =>
  fetch(URL_MESSAGES, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(payload),
  });
const documented = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
const sdk = () => new Anthropic({ apiKey: KEY, authToken: null, maxRetries: 0 });

const Lead = {
  type: 'object',
  properties: {
    company: { type: 'string' },
    verdict: { type: 'string', enum: ['PASS', 'FAIL'] },
    confidence: { type: 'number' },
  },
  required: ['company', 'verdict', 'confidence'],
  additionalProperties: false,
} as const;

beforeEach(() => {
  emulator.reset();
  emulator.requestsPerMinute = 10_000;
});

describe('AnthropicEmulator', () => {
  it('answers the documented x-api-key + anthropic-version request with a message and usage', async () => {
    const response = await post(documented);
    expect(response.status).toBe(200);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const message = (await response.json()) as MessageBody;
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      stop_reason: 'end_turn',
      content: [{ type: 'text' }],
    });
    expect(message.content[0]?.text).toContain('[sample]');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('refuses a request without anthropic-version (400) or without a key (401), in the error shape', async () => {
    const noVersion = await post({ 'x-api-key': KEY });
    expect(noVersion.status).toBe(400);
    expect(await errorOf(noVersion)).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('anthropic-version') },
      request_id: expect.stringMatching(/^req_/),
    });
    const noKey = await post({ 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(await errorOf(noKey)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
  });

  it('requires max_tokens and user/assistant roles', async () => {
    const { max_tokens: _dropped, ...withoutMax } = body;
    const missing = await post(documented, withoutMax);
    expect(missing.status).toBe(400);
    expect((await errorOf(missing)).error.message).toContain('max_tokens');
    const system = await post(documented, { ...body, messages: [{ role: 'system', content: 'hi' }] });
    expect(system.status).toBe(400);
    expect((await errorOf(system)).error.message).toContain('top-level `system`');
  });

  it('answers 529 overloaded_error while overloaded, then recovers', async () => {
    emulator.overload(60_000);
    const overloaded = await post(documented);
    expect(overloaded.status).toBe(529);
    expect(await errorOf(overloaded)).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    emulator.faults.clear();
    expect((await post(documented)).status).toBe(200);
  });

  it('rate-limits per key with retry-after and anthropic-ratelimit headers', async () => {
    emulator.requestsPerMinute = 1;
    const first = await post(documented);
    expect(first.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
    const limited = await post(documented);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(limited)).error.type).toBe('rate_limit_error');
  });

  it('gives schema-valid JSON for output_config.format, through the SDK (which sends Bearer auth)', async () => {
    const message = await sdk().messages.create({
      ...body,
      messages: [{ role: 'user', content: 'Company: Acme Bakery\nVerdict: FAIL' }],
      output_config: { format: jsonSchemaOutputFormat(Lead) },
    });
    const text = message.content[0]?.type === 'text' ? message.content[0].text : '';
    const value = JSON.parse(text);
    expect(validateJsonSchema(Lead, value)).toEqual([]);
    expect(value).toMatchObject({ company: 'Acme Bakery', verdict: 'FAIL' });
  });

  it("answers the same request the same way as the OpenAI emulator's sample model", async () => {
    const message = await sdk().messages.create({
      ...body,
      output_config: { format: { type: 'json_schema', schema: Lead } },
    });
    const text = message.content[0]?.type === 'text' ? message.content[0].text : '';
    const format = { kind: 'json_schema' as const, name: 'output', schema: Lead, strict: true };
    expect(text).toBe(
      sampleAnswer({ messages: [{ role: 'user', content: body.messages[0]!.content }], format }),
    );
  });

  it('refuses schemas with constraints structured outputs do not support', async () => {
    const bounded = {
      ...Lead,
      properties: { ...Lead.properties, confidence: { type: 'number', maximum: 1 } },
    };
    const response = await post(documented, {
      ...body,
      output_config: { format: { type: 'json_schema', schema: bounded } },
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error.message).toContain("'maximum' is not supported");
    const open = { ...Lead, additionalProperties: true };
    const refused = await post(documented, {
      ...body,
      output_config: { format: { type: 'json_schema', schema: open } },
    });
    expect((await errorOf(refused)).error.message).toContain('additionalProperties');
  });

  it('reports refusals and cut-off answers in stop_reason', async () => {
    emulator.respondWith(() => scriptedRefusal('I cannot help with that.'));
    expect((await sdk().messages.create(body)).stop_reason).toBe('refusal');
    emulator.respondWith(() => scriptedCutOff('{"company": "Ac'));
    const cut = await sdk().messages.create(body);
    expect(cut.stop_reason).toBe('max_tokens');
    expect(cut.usage.output_tokens).toBe(body.max_tokens);
  });

  it('lists models on GET /v1/models and answers 404 not_found_error for others', async () => {
    const ids: string[] = [];
    for await (const model of sdk().models.list()) ids.push(model.id);
    expect(ids).toContain('claude-haiku-4-5');
    const response = await post(documented, { ...body, model: 'claude-imaginary-9' });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error.type).toBe('not_found_error');
    // A dated snapshot of a served model is served too.
    expect((await post(documented, { ...body, model: 'claude-haiku-4-5-20251001' })).status).toBe(200);
  });
});
