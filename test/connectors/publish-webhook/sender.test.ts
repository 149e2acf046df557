// PublishWebhook against the webhook sink: JSON with the same Idempotency-Key across retries, errors naming the setting.
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import { PublishWebhook } from '../../../connectors/publish-webhook/index.ts';
import { WebhookSinkEmulator } from '../../../src/sandbox/webhooks/index.ts';
import { useEmulators } from '../../support/msw.ts';

const sink = new WebhookSinkEmulator();
useEmulators(sink.handlers());
afterEach(() => {
  sink.faults.clear();
  sink.lostResponses.clear();
});

const FAST = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 };
const post = {
  text: 'Three things I learned (the hard way) #ship',
  image: { base64: Buffer.from('png bytes').toString('base64'), mediaType: 'image/png' },
  slot: '2026-12-01T09:00:00.000Z',
};

describe('PublishWebhook', () => {
  it('POSTs the post as JSON with an Idempotency-Key header', async () => {
    const url = sink.createSink();
    const webhook = new PublishWebhook({ url, policy: FAST });
    expect(await webhook.send(post, { idempotencyKey: 'card-1:r1' })).toEqual({ sent: true, status: 200 });
    expect(sink.deliveries(url)).toEqual([
      expect.objectContaining({
        idempotencyKey: 'card-1:r1',
        contentType: 'application/json',
        body: { ...post, idempotencyKey: 'card-1:r1' },
      }),
    ]);
  });

  it('retries a lost answer and a 503 with the same key, so the receiver acts once', async () => {
    const url = sink.createSink();
    const webhook = new PublishWebhook({ url, policy: FAST });
    sink.lostResponses.loseNext(1);
    sink.faults.failNext(1, 503);
    const image = { url: 'https://cdn.example/thumb.png' };
    await webhook.send({ ...post, image }, { idempotencyKey: 'card-2:r1' });
    // Three attempts: the 503 (refused before the sink kept it), the lost answer, the success.
    expect(sink.requests.count({ path: new RegExp(new URL(url).pathname) })).toBe(3);
    expect(sink.deliveries(url).map((d) => d.idempotencyKey)).toEqual(['card-2:r1', 'card-2:r1']);
    expect(sink.received(url)).toHaveLength(1);
    // A resend after a crash: same key, still one post for the receiver.
    await webhook.send({ ...post, image }, { idempotencyKey: 'card-2:r1' });
    expect(sink.received(url)).toHaveLength(1);
  });

  it('fails at once on a refusal or a redirect, naming the setting but not the secret URL', async () => {
    const url = sink.createSink();
    const webhook = new PublishWebhook({ url, policy: FAST });
    sink.faults.failNext(1, 410);
    const err = await webhook.send(post, { idempotencyKey: 'card-3' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ status: 410, retryable: false });
    expect((err as Error).message).toContain('CONTENT_PUBLISH_WEBHOOK_URL');
    expect((err as Error).message).not.toContain(new URL(url).pathname);
    expect(sink.requests.count({ path: new RegExp(new URL(url).pathname) })).toBe(1);
    sink.faults.failNext(1, 302);
    await expect(webhook.send(post, { idempotencyKey: 'card-4' })).rejects.toThrow(/redirected/);
  });

  it('does nothing without a URL and refuses a URL that is not http(s)', async () => {
    expect(await new PublishWebhook({ url: undefined }).send(post, { idempotencyKey: 'k' })).toEqual({
      sent: false,
    });
    expect(new PublishWebhook({ url: ' ' }).configured).toBe(false);
    expect(() => new PublishWebhook({ url: 'file:///etc/passwd' })).toThrow(/CONTENT_PUBLISH_WEBHOOK_URL/);
    const webhook = new PublishWebhook({ url: sink.createSink(), policy: FAST });
    await expect(webhook.send({ ...post, slot: 'Tuesday' }, { idempotencyKey: 'k' })).rejects.toThrow(
      /invalid/,
    );
  });
});
