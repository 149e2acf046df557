// `baton setup content`: an empty content calendar gets Status (its four options), Publish at, Post
// URL, Video and Baton key, and the board its lists; doctor's calendar check is red before, green after.
import { describe, expect, it } from 'vitest';
import { checkContent, contentSetup } from '../../recipes/content/setup.ts';
import { sharedServices } from '../../recipes/shared/services.ts';
import { silentLogger } from '../../src/log.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { useEmulators } from '../support/msw.ts';

const world = createWorld({ limits: 'relaxed' });
useEmulators(world.handlers());

describe('baton setup content', () => {
  it('adds the calendar properties to a bare database, then creates nothing the second time', async () => {
    const bare = world.notion.createDatabase({
      title: 'My calendar',
      sharedWith: [world.env.NOTION_TOKEN!],
      properties: { Title: 'title' },
    });
    const env = { ...world.env, CONTENT_NOTION_DATABASE_ID: bare.databaseId };
    const environment = { env, log: silentLogger, clock: world.clock };
    const calendarCheck = async () => {
      const checks = await checkContent(sharedServices(environment), env);
      return checks.find((c) => c.label === 'Notion content calendar')!.run();
    };
    await expect(calendarCheck()).rejects.toThrow(/Status/);

    const lines: string[] = [];
    const first = await contentSetup(environment, { out: (t) => lines.push(t) });
    expect(first.steps.every((s) => s.ok)).toBe(true);
    const calendar = first.steps.find((s) => s.label === 'Notion content calendar')!;
    expect(calendar.created.join(' ')).toMatch(/Status.*In review, Scheduled, Published, Rejected/);
    for (const name of ['Publish at', 'Post URL', 'Video', 'Baton key'])
      expect(calendar.created.join(' ')).toContain(name);
    await expect(calendarCheck()).resolves.toBeTruthy();

    const second = await contentSetup(environment, { out: () => undefined });
    expect(second.steps.flatMap((s) => s.created)).toEqual([]);
  });
});
