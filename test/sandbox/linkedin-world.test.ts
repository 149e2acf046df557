// The emulated world includes LinkedIn: its env names a member whose token publishes through the client.
import { expect, it } from 'vitest';
import { LinkedInClient, linkedInConfig } from '../../connectors/linkedin/index.ts';
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
