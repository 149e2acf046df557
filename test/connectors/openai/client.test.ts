// OpenAIClient: the real SDK behind Baton's policy, against the OpenAI emulator.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthError, NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import { OpenAIClient, type OpenAIClientOptions } from '../../../connectors/openai/index.ts';
import { OpenAIEmulator } from '../../../src/sandbox/openai/index.ts';
import { useEmulators } from '../../support/msw.ts';

const KEY = 'sk-test-connector-0123456789';
const emulator = new OpenAIEmulator({ apiKeys: [KEY] });
const ollama = new OpenAIEmulator({
  baseUrl: 'http://localhost:11434/v1',
  apiKeys: ['ollama'],
  models: ['llama3.1'],
  latencyMs: 0,
});
useEmulators(emulator.handlers(), ollama.handlers());

const client = (options: Partial<OpenAIClientOptions> = {}) =>
  new OpenAIClient({ apiKey: KEY, initialDelayMs: 1, maxDelayMs: 20, maxAttempts: 4, ...options });

const hello = (c: OpenAIClient, model = 'gpt-4o-mini') =>
  c.call(
    'chat.completions.create',
    (sdk) => sdk.chat.completions.create({ model, messages: [{ role: 'user', content: 'Company: Acme' }] }),
    { model },
  );

const chatRequests = () => emulator.requests.count({ path: /\/v1\/chat\/completions$/ });

async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  return err as ServiceError;
}

beforeEach(() => {
  emulator.reset();
  ollama.reset();
});

describe('OpenAIClient', () => {
  it('answers through the SDK and lists the models', async () => {
    const c = client();
    const completion = await hello(c);
    expect(completion.choices[0]?.message.content).toContain('Acme');
    expect(await c.listModels()).toContain('gpt-4o-mini');
  });

  it('waits for retry-after-ms on a 429 rate limit, then gets one answer', async () => {
    emulator.faults.failNext(1, 429, { headers: { 'retry-after-ms': '150', 'retry-after': '1' } });
    const started = Date.now();
    const completion = await hello(client());
    expect(completion.choices).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(900); // retry-after-ms wins over the coarser retry-after
    expect(chatRequests()).toBe(2);
    expect(emulator.calls).toHaveLength(1);
  });

  it('fails at once, without retrying, when the account is out of quota', async () => {
    emulator.exhaustQuota();
    const err = await failure(hello(client()));
    expect(err.message).toBe(
      'OpenAI says the account is out of quota — add credits or change OPENAI_API_KEY',
    );
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(429);
    expect(chatRequests()).toBe(1);
  });

  it('retries 5xx answers and dropped connections until the server answers', async () => {
    emulator.faults.failNext(1, 500).failNext(1, 503).dropNext(1);
    const completion = await hello(client());
    expect(completion.choices).toHaveLength(1);
    expect(emulator.requests.count({ path: /chat\/completions/ })).toBe(4);
  });

  it('gives up on a server that keeps failing with a retryable error', async () => {
    emulator.faults.failNext(10, 503);
    const err = await failure(hello(client({ maxAttempts: 3 })));
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(503);
    expect(err.message).toContain('OpenAI answered 503');
    expect(chatRequests()).toBe(3);
  });

  it('reports a rejected key as an AuthError that does not contain the key', async () => {
    const secret = 'sk-this-key-is-wrong-and-secret';
    const err = await failure(hello(client({ apiKey: secret })));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.message).toContain('check OPENAI_API_KEY');
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain(secret.slice(-4));
    expect(chatRequests()).toBe(1);
  });

  it('names the missing model and the variable to fix', async () => {
    const err = await failure(hello(client(), 'gpt-9-ultra'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toContain('model gpt-9-ultra not found');
    expect(err.message).toContain('check OPENAI_MODEL');
    expect(chatRequests()).toBe(1);
  });

  it('treats a timeout as transient and says so once retries are spent', async () => {
    emulator.faults.latency(300);
    const err = await failure(hello(client({ timeoutMs: 40, maxAttempts: 2 })));
    // The emulator still answers the abandoned requests; let it finish so they land in this test.
    await vi.waitFor(() => expect(chatRequests()).toBe(2));
    emulator.faults.clear();
    expect(err.retryable).toBe(true);
    expect(err.message).toContain('timed out after 40 ms');
  });

  it('works with any OpenAI-compatible server through baseURL', async () => {
    const local = new OpenAIClient({
      apiKey: 'ollama',
      baseURL: 'http://localhost:11434/v1',
      initialDelayMs: 1,
    });
    const completion = await hello(local, 'llama3.1');
    expect(completion.choices[0]?.message.content).toMatch(/^\[sample\]/);
    expect(ollama.calls).toHaveLength(1);
    expect(emulator.calls).toHaveLength(0);
    const err = await failure(hello(local, 'gpt-4o-mini'));
    expect(err.message).toContain('model gpt-4o-mini not found at http://localhost:11434');
  });
});

/**
 * Lets `promise` settle on fake timers: the policy's backoff sleeps (setTimeout) and the emulator's
 * per-minute window (Date.now) both run on the fake clock, so a minute passes in milliseconds.
 */
async function onFakeTime<T>(promise: Promise<T>, stepMs = 500, limitMs = 15 * 60_000): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let t = 0; !settled && t < limitMs; t += stepMs) await vi.advanceTimersByTimeAsync(stepMs);
  return promise;
}

describe('OpenAIClient under a per-minute rate limit', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  const production = () => new OpenAIClient({ apiKey: KEY }); // Baton's default retry policy

  it('rides out a full minute of 429s that say nothing about when to retry', async () => {
    emulator.requestsPerMinute = 1;
    emulator.rateLimitHints = 'none';
    const c = production();
    const started = Date.now();
    await onFakeTime(hello(c)); // the minute's only request
    const completion = await onFakeTime(hello(c));
    expect(completion.choices).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(60_000);
    const statuses = emulator.requests.all().map((r) => r.status);
    expect(statuses.filter((s) => s === 429).length).toBeLessThanOrEqual(4); // no hammering
  });

  it('waits as long as x-ratelimit-reset-requests says, then asks once more', async () => {
    emulator.requestsPerMinute = 1;
    emulator.rateLimitHints = 'reset-headers';
    const c = production();
    await onFakeTime(hello(c));
    const completion = await onFakeTime(hello(c));
    expect(completion.choices).toHaveLength(1);
    expect(emulator.requests.all().map((r) => r.status)).toEqual([200, 429, 200]);
  });

  it('takes the longer reset header, but waits no more than a minute at a time', async () => {
    emulator.faults.failNext(1, 429, {
      headers: { 'x-ratelimit-reset-requests': '20ms', 'x-ratelimit-reset-tokens': '6m0s' },
    });
    const started = Date.now();
    await onFakeTime(hello(production()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(60_000);
    expect(Date.now() - started).toBeLessThan(70_000);
    expect(chatRequests()).toBe(2);
  });
});
