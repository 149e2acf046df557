// The content review's other paths: a thumbnail refused by OpenAI's safety system, a new one from an
// `image:` comment, and an expired LinkedIn token that pauses publishing (one Slack message) until
// the token is replaced.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaFolder, saying } from '../connectors/media/media-files.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { contentCycle, contentWorld, scriptPosts } from './content-world.ts';

const world = contentWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();
const HOUR = 3_600_000;

let media: Awaited<ReturnType<typeof mediaFolder>>;
beforeAll(async () => {
  media = await mediaFolder();
});
afterAll(() => media.dispose());

describe('content review', () => {
  it('survives a refused thumbnail, makes new ones from `image:` comments, and waits out an expired LinkedIn token', async () => {
    scriptPosts(world, {
      'Delta video': [
        { hook: 'First point of Delta', body: 'A first point, made plainly and briefly.', hashtags: [] },
        {
          hook: 'Second point of Delta',
          body: 'A second point, with a picture nobody may draw.',
          hashtags: [],
        },
        { hook: 'Third point of Delta', body: 'A third point, for a third day of the week.', hashtags: [] },
      ],
    });
    world.openai.blockImagesWhen((prompt) => prompt.includes('Delta video post 2'));
    const dir = await tempDir();
    let env: Record<string, string> = { CONTENT_POST_SLOTS: 'now' };
    const cycle = () => contentCycle(world, dir, { env });
    await cycle();
    const video = await readFile(await media.clip('delta.mp4', 3, saying('This is the Delta video.')));
    world.drive.addFile(world.videoFolderId, { name: 'delta.mp4', mimeType: 'video/mp4', bytes: video });
    await cycle();
    await cycle();

    const cardOf = (n: number) => world.trello.cards().find((c) => c.name.startsWith(`Post ${n}:`))!;
    expect(world.trello.cards().filter((c) => c.name.startsWith('Post '))).toHaveLength(3);
    // The refused picture: no cover, a comment that says so and how to try again; the others are fine.
    expect(cardOf(2).attachments).toHaveLength(0);
    expect(cardOf(2).comments[0]?.text).toMatch(/refused the picture.*comment `image: /s);
    expect(cardOf(1).attachments).toHaveLength(1);

    // `image:` comments: a new picture each, the new one the cover; the text stays.
    const firstText = cardOf(1).desc;
    for (const n of [1, 2]) {
      world.trello.moveCard(cardOf(n).id, 'Needs changes');
      world.trello.comment(cardOf(n).id, 'image: a calm desk at sunrise');
    }
    await cycle();
    await cycle();
    for (const n of [1, 2]) {
      const card = cardOf(n);
      expect(card.listName).toBe('Review');
      expect(card.coverId).toBe(card.attachments.at(-1)!.id);
    }
    expect(cardOf(1).attachments).toHaveLength(2);
    expect(cardOf(2).attachments).toHaveLength(1);
    expect(cardOf(1).desc).toBe(firstText);
    expect(world.openai.images.at(-1)?.prompt).toContain('New picture: a calm desk at sunrise');

    // The token expired: the approved post stays Scheduled, one Slack message, no post.
    world.linkedin.expireToken(world.env.LINKEDIN_ACCESS_TOKEN!);
    world.trello.moveCard(cardOf(1).id, 'Approved');
    const slackBefore = world.slack.messages().length;
    await cycle();
    world.clock.advance(HOUR + 60_000);
    await cycle();
    const page = () =>
      world.notion
        .pages(world.contentCalendar.dataSourceId)
        .find((p) => p.properties.Name === 'First point of Delta')!;
    expect(page().properties.Status).toBe('Scheduled');
    expect(world.linkedin.posts()).toHaveLength(0);
    const alerts = world.slack.messages().slice(slackBefore);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain('LINKEDIN_ACCESS_TOKEN');

    // A new token in .env: the post goes out at the next try.
    const sub = world.linkedinAuthor.replace('urn:li:person:', '');
    world.linkedin.addToken('AQVrenewed-token', sub);
    env = { ...env, LINKEDIN_ACCESS_TOKEN: 'AQVrenewed-token' };
    world.clock.advance(HOUR + 60_000);
    await cycle();
    expect(world.linkedin.posts().map((p) => p.text)).toEqual([
      'First point of Delta\n\nA first point, made plainly and briefly.',
    ]);
    expect(page().properties.Status).toBe('Published');
    expect(world.slack.messages().slice(slackBefore)).toHaveLength(1);
  });

  it('sends posts the auditor still fails after two rewrites to review labelled Audit failed, with the reasons', async () => {
    const posts = [1, 2, 3].map((n) => ({
      hook: `Epsilon point ${n}`,
      body: `Point ${n} of the Epsilon video, said plainly.`,
      hashtags: [],
    }));
    scriptPosts(world, { 'Epsilon video': posts }, ['Epsilon video']);
    const dir = await tempDir();
    const cycle = () => contentCycle(world, dir);
    await cycle();
    const video = await readFile(await media.clip('epsilon.mp4', 3, saying('This is the Epsilon video.')));
    world.drive.addFile(world.videoFolderId, { name: 'epsilon.mp4', mimeType: 'video/mp4', bytes: video });
    const slackBefore = world.slack.messages().length;
    await cycle();
    await cycle();

    // Written three times (the first, then two rewrites with the auditor's corrections).
    const writes = world.openai.calls.filter((c) => c.schemaName === 'linkedin_posts');
    expect(writes.filter((c) => JSON.stringify(c.messages).includes('Epsilon'))).toHaveLength(3);
    const cards = world.trello.cards('Review').filter((c) => c.name.includes('Epsilon point'));
    expect(cards).toHaveLength(3);
    for (const card of cards) {
      expect(card.labels.sort()).toEqual(['Audit failed', 'Content']);
      expect(card.comments.map((c) => c.text).join('\n')).toContain('claims a client the video never names');
    }
    expect(
      world.slack
        .messages()
        .slice(slackBefore)
        .filter((m) => (m.text ?? '').includes('Audit failed')),
    ).toHaveLength(3);
  });
});
