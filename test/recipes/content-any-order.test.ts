// The reviewer checks the board for five minutes a day and drags the three cards in any order: each
// card's decision is acted on at the next poll, whichever card it is (the run follows all three at
// once, not one after the other).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaFolder, saying } from '../connectors/media/media-files.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { contentCycle, contentWorld, scriptPosts } from './content-world.ts';

const world = contentWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let media: Awaited<ReturnType<typeof mediaFolder>>;
beforeAll(async () => {
  media = await mediaFolder();
});
afterAll(() => media.dispose());

describe('content review in any order', () => {
  it('acts on card 3, then card 1, then card 2 at the poll after each move', async () => {
    scriptPosts(world, {
      'Kappa video': [1, 2, 3].map((n) => ({
        hook: `Kappa point ${n}`,
        body: `Point ${n} of the Kappa video, said plainly.`,
        hashtags: [],
      })),
    });
    const dir = await tempDir();
    const cycle = async () => {
      world.clock.advance(MINUTE); // the next cron cycle
      await contentCycle(world, dir, { env: { CONTENT_POST_SLOTS: 'now' } });
    };
    await cycle();
    const video = await readFile(await media.clip('kappa.mp4', 3, saying('This is the Kappa video.')));
    world.drive.addFile(world.videoFolderId, { name: 'kappa.mp4', mimeType: 'video/mp4', bytes: video });
    await cycle();
    await cycle();

    const cardOf = (n: number) => world.trello.cards().find((c) => c.name.startsWith(`Post ${n}:`))!;
    expect(world.trello.cards('Review').filter((c) => c.name.startsWith('Post '))).toHaveLength(3);
    const textOf = (n: number) => `Kappa point ${n}\n\nPoint ${n} of the Kappa video, said plainly.`;
    const posts = () => world.linkedin.posts(world.linkedinAuthor);
    const page = (n: number) =>
      world.notion
        .pages(world.contentCalendar.dataSourceId)
        .find((p) => p.properties.Name === `Kappa point ${n}`)!;

    // Card 3 first: published at the next poll, not an hour later when the run looked again.
    const movedAt3 = world.clock.now();
    world.trello.moveCard(cardOf(3).id, 'Approved');
    await cycle();
    expect(posts().map((p) => p.text)).toEqual([textOf(3)]);
    expect(posts()[0]!.createdAt - movedAt3).toBeLessThan(HOUR);
    expect(page(3).properties.Status).toBe('Published');

    // Then card 1 rejected: the calendar says so at the next poll; nothing posted.
    world.trello.moveCard(cardOf(1).id, 'Rejected');
    await cycle();
    expect(page(1).properties.Status).toBe('Rejected');
    expect(posts()).toHaveLength(1);

    // Then card 2 approved: published at the next poll.
    const movedAt2 = world.clock.now();
    world.trello.moveCard(cardOf(2).id, 'Approved');
    await cycle();
    expect(
      posts()
        .map((p) => p.text)
        .sort(),
    ).toEqual([textOf(2), textOf(3)]);
    const second = posts().find((p) => p.text === textOf(2))!;
    expect(second.createdAt - movedAt2).toBeLessThan(HOUR);
    expect(page(2).properties.Status).toBe('Published');

    // Card 1 never; each approved post once on LinkedIn and once through the webhook.
    world.clock.advance(2 * HOUR);
    await cycle();
    expect(posts()).toHaveLength(2);
    expect(posts().some((p) => p.text === textOf(1))).toBe(false);
    expect(world.webhooks.received(world.publishWebhookUrl)).toHaveLength(2);
  });
});
