// AnthropicClient: the real SDK behind Baton's policy, against the Anthropic emulator.
import { beforeEach, describe, expect, it } from 'vitest';
import { AnthropicClient, type AnthropicClientOptions } from '../../../connectors/anthropic/index.ts';
import {
  AuthError,
  NotFoundError,
  ServiceError,
  ServicePausedError,
} from '../../../connectors/core/index.ts';
import { AnthropicEmulator } from '../../../src/sandbox/anthropic/index.ts';
import { useEmulators } from '../../support/msw.ts';

const KEY = 'sk-ant-test-connector-0123456789';
const emulator = new AnthropicEmulator({ apiKeys: [KEY] });
const gateway = new AnthropicEmulator({ baseUrl: 'http://gateway.internal:8080', apiKeys: [KEY] });
useEmulators(emulator.handlers(), gateway.handlers());

const client = (options: Partial<AnthropicClientOptions> = {}) =>
  new AnthropicClient({ apiKey: KEY, initialDelayMs: 1, maxDelayMs: 20, maxAttempts: 4, ...options });

const hello = (c: AnthropicClient, model = 'claude-haiku-4-5') =>
  c.call(
    'messages.create',
    (sdk) =>
      sdk.messages.create({ model, max_tokens: 200, messages: [{ role: 'user', content: 'Company: Acme' }] }),
    { model },
  );

const messageRequests = () => emulator.requests.count({ path: /\/v1\/messages$/ });

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
  gateway.reset();
});

describe('AnthropicClient', () => {
  it('answers through the SDK and lists the models', async () => {
    const c = client();
    const message = await hello(c);
    expect(message.content[0]).toMatchObject({ type: 'text' });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(await c.listModels()).toContain('claude-sonnet-4-6');
  });

  it('goes to ANTHROPIC_BASE_URL when one is set', async () => {
    await hello(client({ baseURL: 'http://gateway.internal:8080/' }));
    expect(gateway.calls).toHaveLength(1);
    expect(emulator.calls).toHaveLength(0);
  });

  it('waits for retry-after on a 429 rate_limit_error, then succeeds', async () => {
    emulator.faults.failNext(2, 429, { headers: { 'retry-after': '0.03' } });
    const started = Date.now();
    await hello(client());
    expect(messageRequests()).toBe(3);
    // Two waits of 30 ms asked for by the server, though our own backoff is at most 20 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('retries 529 overloaded_error with backoff, and opens the breaker when it persists', async () => {
    emulator.faults.failNext(2, 529);
    await hello(client());
    expect(messageRequests()).toBe(3);

    emulator.requests.clear();
    emulator.overload(60_000);
    const c = client({ breakAfter: 3, pauseMs: 60_000 });
    const err = await failure(hello(c));
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/overloaded \(529\)|paused/);
    const paused = await failure(hello(c));
    expect(paused).toBeInstanceOf(ServicePausedError);
    expect(c.policy.paused).toBe(true);
  });

  it('fails at once on a rejected key, naming the variable and never the key', async () => {
    const err = await failure(hello(client({ apiKey: 'sk-ant-wrong-key-9876543210' })));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('ANTHROPIC_API_KEY');
    expect(err.message).not.toContain('9876543210');
    expect(messageRequests()).toBe(1);
  });

  it('fails at once when the spend limit is reached (a 429 that waiting does not fix)', async () => {
    emulator.reachSpendLimit();
    const err = await failure(hello(client()));
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('spend limit');
    expect(messageRequests()).toBe(1);
  });

  it('names the missing model and the settings that choose it', async () => {
    const err = await failure(hello(client(), 'claude-imaginary-9'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toContain('model claude-imaginary-9 not found');
    expect(err.message).toContain('LLM_MODEL or AUDITOR_MODEL');
  });

  it('refuses an empty key before sending anything', () => {
    expect(() => new AnthropicClient({ apiKey: '' })).toThrow(/ANTHROPIC_API_KEY is empty/);
  });
});
