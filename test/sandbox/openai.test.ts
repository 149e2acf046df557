// The OpenAI emulator answers the real openai SDK the way api.openai.com does.
import OpenAI from 'openai';
import { zodResponseFormat, zodTextFormat } from 'openai/helpers/zod';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/clock.ts';
import { OpenAIEmulator, type RateLimitHints, scriptedRefusal } from '../../src/sandbox/openai/index.ts';
import { useEmulators } from '../support/msw.ts';

const KEY = 'sk-test-0123456789abcdef';
const clock = new ManualClock();
const emulator = new OpenAIEmulator({ clock, apiKeys: [KEY] });
const mswServer = useEmulators(emulator.handlers());

const Pitch = z.object({
  subject: z.string().min(5).max(90),
  body: z.string(),
  confidence: z.number().min(0).max(1),
  verdict: z.enum(['PASS', 'FAIL']),
  website: z.url().nullable(),
  talkingPoints: z.array(z.string()).min(1).max(3),
});

const ada =
  'Write a pitch for this lead.\nName: Ada Lovelace\nCompany: Analytical Engines Ltd\nNotes: wants to automate follow-ups';
const grace =
  'Write a pitch for this lead.\n{"name": "Grace Hopper", "company": "COBOL Works", "website": "cobol.example"}';

const sdk = (apiKey = KEY) => new OpenAI({ apiKey, maxRetries: 0 });

async function chatPitch(client: OpenAI, user: string) {
  return client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: 'You write short, friendly sales emails.' },
      { role: 'user', content: user },
    ],
    response_format: zodResponseFormat(Pitch, 'pitch'),
  });
}

async function caught(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.APIError);
  return err as InstanceType<typeof OpenAI.APIError>;
}

beforeEach(() => {
  emulator.reset();
  emulator.requestsPerMinute = 10_000;
});

describe('chat completions with structured output', () => {
  it('answers JSON that validates against the requested schema, built from the lead', async () => {
    const completion = await chatPitch(sdk(), ada);
    expect(completion.object).toBe('chat.completion');
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('stop');
    expect(choice.message.refusal).toBeNull();
    const pitch = Pitch.parse(JSON.parse(choice.message.content ?? ''));
    expect(pitch.subject).toBe('[sample] Idea for Analytical Engines Ltd');
    expect(pitch.body).toMatch(/^\[sample\] Hi Ada,/);
    expect(pitch.body).toContain('wants to automate follow-ups');
    expect(pitch.verdict).toBe('PASS');
    expect(pitch.website).toBeNull(); // nobody mentioned one: the model does not invent it
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('gives a different answer per lead and the same answer for the same request', async () => {
    const client = sdk();
    const first = (await chatPitch(client, ada)).choices[0]!.message.content;
    const again = (await chatPitch(client, ada)).choices[0]!.message.content;
    const other = (await chatPitch(client, grace)).choices[0]!.message.content;
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    const gracePitch = Pitch.parse(JSON.parse(other ?? ''));
    expect(gracePitch.subject).toContain('COBOL Works');
    expect(gracePitch.website).toBe('https://cobol.example');
  });

  it("follows a fact named like a field (an auditor told 'Verdict: FAIL')", async () => {
    const completion = await chatPitch(sdk(), `${ada}\nVerdict: FAIL`);
    expect(Pitch.parse(JSON.parse(completion.choices[0]!.message.content ?? '')).verdict).toBe('FAIL');
  });

  it('derives confidence from how much the prompt says', async () => {
    const rich = Pitch.parse(JSON.parse((await chatPitch(sdk(), ada)).choices[0]!.message.content ?? ''));
    const bare = Pitch.parse(
      JSON.parse((await chatPitch(sdk(), 'Write a pitch.')).choices[0]!.message.content ?? ''),
    );
    expect(rich.confidence).toBeGreaterThan(bare.confidence);
  });

  it('cuts the answer at max_completion_tokens with finish_reason length', async () => {
    const completion = await sdk().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: ada }],
      response_format: zodResponseFormat(Pitch, 'pitch'),
      max_completion_tokens: 10,
    });
    expect(completion.choices[0]!.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(10);
    expect(() => JSON.parse(completion.choices[0]!.message.content ?? '')).toThrow();
  });

  it('answers a plain prompt with short labelled text', async () => {
    const completion = await sdk().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Reply with OK.' }],
    });
    expect(completion.choices[0]!.message.content).toMatch(/^\[sample\] /);
  });
});

describe('responses API with structured output', () => {
  it('returns output[] whose output_text is JSON for the schema, with usage', async () => {
    const response = await sdk().responses.create({
      model: 'gpt-4o-mini',
      instructions: 'You write short, friendly sales emails.',
      input: [{ role: 'user', content: ada }],
      text: { format: zodTextFormat(Pitch, 'pitch') },
    });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output[0]?.type).toBe('message');
    const pitch = Pitch.parse(JSON.parse(response.output_text));
    expect(pitch.subject).toContain('Analytical Engines Ltd');
    expect(response.usage?.total_tokens).toBe(
      (response.usage?.input_tokens ?? 0) + (response.usage?.output_tokens ?? 0),
    );
  });

  it('answers the same facts the same way as chat does', async () => {
    const chat = (await chatPitch(sdk(), ada)).choices[0]!.message.content;
    const response = await sdk().responses.create({
      model: 'gpt-4o-mini',
      input: ada,
      text: { format: zodTextFormat(Pitch, 'pitch') },
    });
    expect(response.output_text).toBe(chat);
  });

  it('marks a cut-off answer incomplete', async () => {
    const response = await sdk().responses.create({
      model: 'gpt-4o-mini',
      input: ada,
      text: { format: zodTextFormat(Pitch, 'pitch') },
      max_output_tokens: 16,
    });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details?.reason).toBe('max_output_tokens');
  });
});

describe('scripting and inspection', () => {
  it('answers with a scripted value once, then falls back to the sample model', async () => {
    let audits = 0;
    emulator.respondWith((call) =>
      call.schemaName === 'pitch' && audits++ === 0 ? { subject: 7 } : undefined,
    );
    const client = sdk();
    const scripted = await chatPitch(client, ada);
    expect(JSON.parse(scripted.choices[0]!.message.content ?? '')).toEqual({ subject: 7 });
    const generated = await chatPitch(client, ada);
    expect(Pitch.safeParse(JSON.parse(generated.choices[0]!.message.content ?? '')).success).toBe(true);
  });

  it('can script a refusal', async () => {
    emulator.respondWith(() => scriptedRefusal('I cannot help with that.'));
    const completion = await chatPitch(sdk(), ada);
    expect(completion.choices[0]!.message.refusal).toBe('I cannot help with that.');
    expect(completion.choices[0]!.message.content).toBeNull();
  });

  it('records what the model was asked', async () => {
    await chatPitch(sdk(), ada);
    expect(emulator.calls).toHaveLength(1);
    expect(emulator.calls[0]).toMatchObject({ api: 'chat', model: 'gpt-4o-mini', schemaName: 'pitch' });
    expect(emulator.calls[0]!.messages.at(-1)?.content).toContain('Ada Lovelace');
  });

  it('lists its models', async () => {
    const ids: string[] = [];
    for await (const model of sdk().models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-4o-mini');
  });
});

describe('errors in OpenAI shape', () => {
  it('401 invalid_api_key for an unknown key, without echoing the key', async () => {
    const wrongKey = 'sk-wrong-key-that-must-stay-secret';
    const err = await caught(chatPitch(sdk(wrongKey), ada));
    expect(err.status).toBe(401);
    expect(err.code).toBe('invalid_api_key');
    expect(err.type).toBe('invalid_request_error');
    expect(err.message).toContain('Incorrect API key provided');
    expect(err.message).not.toContain(wrongKey);
  });

  it('401 when no key is sent at all', async () => {
    const res = await fetch('https://api.openai.com/v1/chat/completions', { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { message: string; param: unknown } };
    expect(body.error.message).toContain("didn't provide an API key");
    expect(body.error.param).toBeNull();
  });

  it('429 rate_limit_exceeded past the configured requests per minute, until the window passes', async () => {
    emulator.requestsPerMinute = 2;
    const client = sdk();
    await chatPitch(client, ada);
    clock.advance(10_000);
    await chatPitch(client, ada);
    const err = await caught(chatPitch(client, ada));
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limit_exceeded');
    // Like the real API by default: the reset headers, no retry-after (openai/openai-node#1477).
    expect(err.headers?.get('retry-after')).toBeNull();
    expect(err.headers?.get('retry-after-ms')).toBeNull();
    expect(err.headers?.get('x-ratelimit-limit-requests')).toBe('2');
    expect(err.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(err.headers?.get('x-ratelimit-reset-requests')).toBe('50s');
    clock.advance(50_000);
    await expect(chatPitch(client, ada)).resolves.toBeDefined();
  });

  it('429s carry retry-after, only the reset headers, or nothing, as configured', async () => {
    emulator.requestsPerMinute = 1;
    const client = sdk();
    await chatPitch(client, ada);
    const hintsOf = async (hints: RateLimitHints) => {
      emulator.rateLimitHints = hints;
      const { headers } = await caught(chatPitch(client, ada));
      return [headers?.get('retry-after'), headers?.get('x-ratelimit-reset-requests')];
    };
    expect(await hintsOf('retry-after')).toEqual(['60', '1m0s']);
    expect(await hintsOf('reset-headers')).toEqual([null, '1m0s']);
    expect(await hintsOf('none')).toEqual([null, null]);
    emulator.faults.failNext(1, 429);
    expect((await caught(chatPitch(client, ada))).headers?.get('retry-after')).toBeNull();
  });

  it('429 insufficient_quota once the quota is exhausted', async () => {
    emulator.exhaustQuota();
    const err = await caught(chatPitch(sdk(), ada));
    expect(err.status).toBe(429);
    expect(err.code).toBe('insufficient_quota');
    expect(err.type).toBe('insufficient_quota');
    expect(err.message).toContain(
      'You exceeded your current quota, please check your plan and billing details',
    );
    expect(emulator.calls).toHaveLength(0);
  });

  it('400 for a schema strict mode cannot take', async () => {
    const err = await caught(
      sdk().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: ada }],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'loose',
            strict: true,
            schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          },
        },
      }),
    );
    expect(err.status).toBe(400);
    expect(err.param).toBe('response_format');
    expect(err.message).toContain("Invalid schema for response_format 'loose'");
    expect(err.message).toContain("'additionalProperties' is required to be supplied and to be false");
  });

  it('400 for a request without messages', async () => {
    const err = await caught(
      sdk().chat.completions.create({ model: 'gpt-4o-mini' } as unknown as Parameters<
        OpenAI['chat']['completions']['create']
      >[0]),
    );
    expect(err.status).toBe(400);
    expect(err.param).toBe('messages');
    expect(err.code).toBe('missing_required_parameter');
  });

  it('404 model_not_found for a model it does not serve', async () => {
    const err = await caught(
      sdk().chat.completions.create({ model: 'gpt-9-ultra', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(err.status).toBe(404);
    expect(err.code).toBe('model_not_found');
    expect(err.message).toContain('gpt-9-ultra');
  });

  it('renders injected 500 and 503 faults as server_error bodies', async () => {
    emulator.faults.failNext(1, 500).failNext(1, 503);
    const first = await caught(chatPitch(sdk(), ada));
    expect(first.status).toBe(500);
    expect(first.type).toBe('server_error');
    const second = await caught(chatPitch(sdk(), ada));
    expect(second.status).toBe(503);
    expect(second.type).toBe('server_error');
    expect(emulator.requests.count({ path: /chat\/completions/ })).toBe(2);
  });
});

describe('configuration', () => {
  it('serves an OpenAI-compatible base URL and its own model list', async () => {
    const local = new OpenAIEmulator({
      baseUrl: 'http://localhost:11434/v1',
      apiKeys: ['ollama'],
      models: ['llama3.1'],
    });
    const server = useLocal(local);
    try {
      const client = new OpenAI({ apiKey: 'ollama', baseURL: 'http://localhost:11434/v1', maxRetries: 0 });
      const completion = await client.chat.completions.create({
        model: 'llama3.1',
        messages: [{ role: 'user', content: ada }],
        response_format: zodResponseFormat(Pitch, 'pitch'),
      });
      expect(Pitch.parse(JSON.parse(completion.choices[0]!.message.content ?? '')).subject).toContain(
        'Analytical Engines',
      );
    } finally {
      server();
    }
  });

  it('adds the configured model latency', async () => {
    const slow = new OpenAIEmulator({ latencyMs: 60, apiKeys: [KEY], baseUrl: 'https://slow.example/v1' });
    const server = useLocal(slow);
    try {
      const started = Date.now();
      await new OpenAI({
        apiKey: KEY,
        baseURL: 'https://slow.example/v1',
        maxRetries: 0,
      }).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    } finally {
      server();
    }
  });
});

/** Adds another emulator's handlers to this file's msw server for one test; returns the undo. */
function useLocal(other: OpenAIEmulator): () => void {
  mswServer.use(...other.handlers());
  return () => mswServer.resetHandlers();
}
