// The data folder is lost while posts are in flight (one published, one approved and scheduled, one
// still in review): the next start finds them in the content calendar, adopts the cards as they are,
// publishes each approved post once (with the picture the reviewer saw) and keeps following the rest.
import { readFile, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinkedInClient, linkedInConfig } from '../../connectors/linkedin/index.ts';
import { DEFAULT_SCOPES } from '../../src/sandbox/linkedin/emulator.ts';
import { mediaFolder, saying } from '../connectors/media/media-files.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { contentCycle, contentWorld, scriptPosts } from './content-world.ts';

const world = contentWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

let media: Awaited<ReturnType<typeof mediaFolder>>;
beforeAll(async () => {
  media = await mediaFolder();
});
afterAll(() => media.dispose());

const at = (iso: string) => world.clock.advance(Date.parse(iso) - world.clock.now());

describe('content after a deleted data folder', () => {
  it('publishes each approved post once and still follows the cards in review', async () => {
    scriptPosts(world, {
      'Lambda video': [1, 2, 3].map((n) => ({
        hook: `Lambda point ${n}`,
        body: `Point ${n} of the Lambda video, said plainly.`,
        hashtags: [],
      })),
    });
    const dir = await tempDir();
    const cycle = () => contentCycle(world, dir); // default slots: Tue, Wed, Thu 09:00 UTC
    await cycle();
    const video = await readFile(await media.clip('lambda.mp4', 3, saying('This is the Lambda video.')));
    world.drive.addFile(world.videoFolderId, { name: 'lambda.mp4', mimeType: 'video/mp4', bytes: video });
    await cycle();
    await cycle();

    const postCards = () => world.trello.cards().filter((c) => c.name.startsWith('Post '));
    const cardOf = (n: number) => postCards().find((c) => c.name.startsWith(`Post ${n}:`))!;
    const textOf = (n: number) => `Lambda point ${n}\n\nPoint ${n} of the Lambda video, said plainly.`;
    const page = (n: number) =>
      world.notion
        .pages(world.contentCalendar.dataSourceId)
        .find((p) => p.properties.Name === `Lambda point ${n}`)!;
    const posts = () => world.linkedin.posts(world.linkedinAuthor);
    expect(postCards()).toHaveLength(3);

    // Cards 1 and 2 approved: Tuesday's and Wednesday's slots; card 1 goes out on Tuesday.
    world.trello.moveCard(cardOf(1).id, 'Approved');
    world.trello.moveCard(cardOf(2).id, 'Approved');
    await cycle();
    expect(page(2).properties.Status).toBe('Scheduled');
    const wednesday = Date.parse('2026-12-09T09:00:00Z');
    expect(Date.parse(String(page(2).properties['Publish at']))).toBe(wednesday);
    at('2026-12-08T09:01:00Z');
    await cycle();
    expect(posts().map((p) => p.text)).toEqual([textOf(1)]);
    expect(page(1).properties.Status).toBe('Published');

    // The data folder is lost: journals, cursors, the slot ledger and the thumbnails' files.
    await rm(dir, { recursive: true, force: true });
    const imagesMade = world.openai.images.length;
    const writes = () => world.openai.calls.filter((c) => c.schemaName === 'linkedin_posts').length;
    const writesBefore = writes();
    await cycle();

    // The run is back: the cards and pages are found, not made again; nothing posted twice.
    expect(postCards()).toHaveLength(3);
    expect(world.notion.pages(world.contentCalendar.dataSourceId)).toHaveLength(4);
    expect(writes()).toBe(writesBefore);
    expect(posts()).toHaveLength(1);
    expect(page(2).properties.Status).toBe('Scheduled');
    expect(Date.parse(String(page(2).properties['Publish at']))).toBe(wednesday);

    // Wednesday: card 2 goes out once, with the cover the reviewer saw (not a new picture).
    at('2026-12-09T09:01:00Z');
    await cycle();
    expect(
      posts()
        .map((p) => p.text)
        .sort(),
    ).toEqual([textOf(1), textOf(2)]);
    const second = posts().find((p) => p.text === textOf(2))!;
    const cover = cardOf(2).attachments.find((a) => a.id === cardOf(2).coverId)!;
    expect(Buffer.from(second.image!.bytes!).equals(Buffer.from(cover.bytes!))).toBe(true);
    expect(world.openai.images).toHaveLength(imagesMade);
    expect(page(2).properties.Status).toBe('Published');

    // Card 3, still in review when the folder was lost, is still followed: approved → Thursday.
    world.trello.moveCard(cardOf(3).id, 'Approved');
    await cycle();
    expect(page(3).properties.Status).toBe('Scheduled');
    at('2026-12-10T09:01:00Z');
    await cycle();

    // Each approved post once on LinkedIn and once through the webhook; card 1 never again.
    expect(
      posts()
        .map((p) => p.text)
        .sort(),
    ).toEqual([textOf(1), textOf(2), textOf(3)]);
    expect(world.webhooks.received(world.publishWebhookUrl)).toHaveLength(3);
    for (const n of [1, 2, 3]) expect(page(n).properties.Status).toBe('Published');
    for (const n of [1, 2, 3])
      expect(cardOf(n).comments.filter((c) => c.text.startsWith('Published on LinkedIn'))).toHaveLength(1);
  });

  it('asks LinkedIn first, where the token may read posts, and records a post the first life made', async () => {
    scriptPosts(world, {
      'Mu video': [1, 2, 3].map((n) => ({
        hook: `Mu point ${n}`,
        body: `Point ${n} of the Mu video, said plainly.`,
        hashtags: [],
      })),
    });
    // A token allowed to read the member's posts (r_member_social, for approved partners).
    const sub = world.linkedinAuthor.replace('urn:li:person:', '');
    world.linkedin.addToken('AQVreader-token', sub, [...DEFAULT_SCOPES, 'r_member_social']);
    const env = { LINKEDIN_ACCESS_TOKEN: 'AQVreader-token' };
    const dir = await tempDir();
    const cycle = () => contentCycle(world, dir, { env });
    await cycle();
    const video = await readFile(await media.clip('mu.mp4', 3, saying('This is the Mu video.')));
    world.drive.addFile(world.videoFolderId, { name: 'mu.mp4', mimeType: 'video/mp4', bytes: video });
    await cycle();
    await cycle();
    const cardOf = (n: number) => world.trello.cards().find((c) => c.name === `Post ${n}: Mu point ${n}`)!;
    const page = () =>
      world.notion.pages(world.contentCalendar.dataSourceId).find((p) => p.properties.Name === 'Mu point 1')!;
    world.trello.moveCard(cardOf(1).id, 'Approved');
    await cycle();
    expect(page().properties.Status).toBe('Scheduled');
    const slot = Date.parse(String(page().properties['Publish at']));

    // At its slot the first life posts, and the data folder is lost before the URN is written down.
    at(new Date(slot + 60_000).toISOString());
    const text = 'Mu point 1\n\nPoint 1 of the Mu video, said plainly.';
    const first = await new LinkedInClient(linkedInConfig({ ...world.env, ...env })).createPost({ text });
    await rm(dir, { recursive: true, force: true });
    world.linkedin.requests.clear();
    await cycle();

    // Found by asking, not by posting again: no Posts API call, no image upload; its URN recorded.
    expect(world.linkedin.requests.count({ method: 'POST', path: /^\/rest\/posts/ })).toBe(0);
    expect(world.linkedin.requests.count({ path: /images/ })).toBe(0);
    expect(world.linkedin.posts(world.linkedinAuthor).filter((p) => p.text === text)).toHaveLength(1);
    expect(page().properties.Status).toBe('Published');
    expect(page().properties['Post URL']).toBe(`https://www.linkedin.com/feed/update/${first.urn}/`);
  });
});
