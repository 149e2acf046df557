// The emulated world includes the publishing side: LinkedIn for a sandbox member, and a publish webhook sink.
import { expect, it } from 'vitest';
import { LinkedInClient, linkedInConfig } from '../../connectors/linkedin/index.ts';
import { PublishWebhook } from '../../connectors/publish-webhook/index.ts';
import { EMULATED_HOSTS } from '../../src/sandbox/bridge.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { useEmulators } from '../support/msw.ts';

const world = createWorld({ limits: 'relaxed' });
useEmulators(world.handlers());

it('publishes as the sandbox member with the env the world gives', async () => {
  expect(EMULATED_HOSTS).toEqual(expect.arrayContaining(['api.linkedin.com', 'www.linkedin.com']));
  const client = new LinkedInClient(linkedInConfig(world.env));
  expect((await client.checkToken()).authorMatches).toBe(true);
  const { urn } = await client.createPost({ text: 'Hello from the sandbox (really)' });
  expect(world.linkedin.posts(world.linkedinAuthor).map((p) => [p.urn, p.text])).toEqual([
    [urn, 'Hello from the sandbox (really)'],
  ]);
});

it('gives the world a publish webhook sink as CONTENT_PUBLISH_WEBHOOK_URL', async () => {
  expect(EMULATED_HOSTS).toContain(new URL(world.publishWebhookUrl).host);
  const webhook = new PublishWebhook({ url: world.env.CONTENT_PUBLISH_WEBHOOK_URL });
  await webhook.send({ text: 'Hi', slot: '2026-12-01T09:00:00Z' }, { idempotencyKey: 'k1' });
  expect(world.webhooks.received(world.publishWebhookUrl).map((d) => d.body)).toEqual([
    { text: 'Hi', slot: '2026-12-01T09:00:00Z', idempotencyKey: 'k1' },
  ]);
});
