// The content recipe end to end: two videos → transcripts, six posts and cards with covers; the
// reviewer approves four (one edited, one with ( # @), rejects one, sends one back; the approved
// posts go out on LinkedIn and the webhook at four successive slots; a corrupt file gets one card.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaFolder, saying } from '../connectors/media/media-files.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { contentCycle, contentWorld, scriptPosts } from './content-world.ts';

const world = contentWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();
const DAY = 86_400_000;

let media: Awaited<ReturnType<typeof mediaFolder>>;
beforeAll(async () => {
  media = await mediaFolder();
});
afterAll(() => media.dispose());

const post = (hook: string, body: string, hashtags: string[] = []) => ({ hook, body, hashtags });

describe('content', () => {
  it('turns two videos into six reviewed posts and publishes the approved ones on the calendar', async () => {
    scriptPosts(world, {
      'Alpha video': [
        post('Ship small (really small) things', 'Ask @Sam how #automation saved us a day (every week).', [
          '#automation',
        ]),
        post('Two people, ten hours saved', 'We moved our invoices out of email and into one simple flow.'),
        post('What we stopped doing', 'We stopped copying data by hand between tools, and slept better.'),
      ],
      'Beta video': [
        post(
          'Reviews in five minutes a day',
          'A board, three cards, one decision each: that is the whole habit.',
        ),
        post(
          'The calendar does the remembering',
          'Approved posts wait for their slot, and go out on their own.',
        ),
        post('Why we record every morning', 'Two minutes of talking is enough for a week of writing.'),
      ],
    });
    const dir = await tempDir();
    const cycle = () => contentCycle(world, dir);
    const alpha = await readFile(
      await media.clip('alpha.mp4', 3, saying('This is the Alpha video about shipping small.')),
    );
    const beta = await readFile(
      await media.clip('beta.mp4', 3, saying('This is the Beta video about reviews.')),
    );
    const corrupt = await readFile(await media.corrupt('broken.mp4'));

    await cycle(); // first poll: from now on new files are work
    world.drive.addFile(world.videoFolderId, { name: 'alpha.mp4', mimeType: 'video/mp4', bytes: alpha });
    world.drive.addFile(world.videoFolderId, { name: 'beta.mp4', mimeType: 'video/mp4', bytes: beta });
    world.drive.addFile(world.videoFolderId, { name: 'broken.mp4', mimeType: 'video/mp4', bytes: corrupt });
    await cycle(); // sizes seen once
    await cycle(); // stable: three runs

    // One transcript per readable video (one chunk each), on the video's calendar page.
    expect(world.openai.transcriptions).toHaveLength(2);
    const calendar = () => world.notion.pages(world.contentCalendar.dataSourceId);
    const videoPages = calendar().filter((p) => String(p.properties.Name).startsWith('Video: '));
    expect(videoPages.map((p) => p.properties.Name).sort()).toEqual(['Video: alpha.mp4', 'Video: beta.mp4']);

    // Six post cards with one cover each, labelled Content, and one card explaining the broken file.
    const cards = world.trello.cards('Review');
    const postCards = cards.filter((c) => c.name.startsWith('Post '));
    expect(postCards).toHaveLength(6);
    for (const card of postCards) {
      expect(card.labels).toContain('Content');
      expect(card.attachments).toHaveLength(1);
      expect(card.coverId).toBe(card.attachments[0]!.id);
      expect(card.desc).toContain('[Transcript](');
    }
    const broken = cards.filter((c) => c.name === 'Video: broken.mp4');
    expect(broken).toHaveLength(1);
    expect(broken[0]!.desc).toMatch(/^could not transcribe broken\.mp4: /);
    expect(cards).toHaveLength(7);
    const postPages = () => calendar().filter((p) => !String(p.properties.Name).startsWith('Video: '));
    expect(postPages()).toHaveLength(6);
    expect(postPages().every((p) => p.properties.Status === 'In review')).toBe(true);

    // The reviewer: approve four (one edited), reject one, send one back with a comment.
    const cardOf = (hook: string) => postCards.find((c) => c.name.includes(hook))!;
    const special = cardOf('Ship small');
    const edited = 'Two people, ten hours saved (edited by a human).\n\nThe invoices flow now runs itself.';
    const twoHours = cardOf('Two people');
    world.trello.editDescription(twoHours.id, `${edited}\n\n---\n${twoHours.desc.split('\n---\n')[1]}`);
    for (const hook of ['Ship small', 'Two people', 'Reviews in five', 'The calendar does'])
      world.trello.moveCard(cardOf(hook).id, 'Approved');
    world.trello.moveCard(cardOf('Why we record').id, 'Rejected');
    world.trello.moveCard(cardOf('What we stopped').id, 'Needs changes');
    world.trello.comment(cardOf('What we stopped').id, 'Make it about the team, not the tools');
    await cycle();
    await cycle();

    // Four successive slots (Tue, Wed, Thu 09:00, then next Tue), nothing published yet.
    const scheduled = postPages().filter((p) => p.properties.Status === 'Scheduled');
    expect(scheduled.map((p) => String(p.properties['Publish at']).slice(0, 16)).sort()).toEqual([
      '2026-12-08T09:00',
      '2026-12-09T09:00',
      '2026-12-10T09:00',
      '2026-12-15T09:00',
    ]);
    expect(world.linkedin.posts()).toHaveLength(0);
    expect(postPages().filter((p) => p.properties.Status === 'Rejected')).toHaveLength(1);
    const rewritten = world.trello.card(cardOf('What we stopped').id)!;
    expect(rewritten.listName).toBe('Review');
    expect(rewritten.desc).toContain('Rewritten: Make it about the team, not the tools');

    // The days pass: each post goes out at its slot.
    for (const [days, count] of [
      [1, 1],
      [1, 2],
      [1, 3],
      [4, 3],
      [1, 4],
    ] as const) {
      world.clock.advance(days * DAY); // Tue, Wed, Thu 10:00; next Tue 10:00 (Mon: nothing due)
      await cycle();
      expect(world.linkedin.posts()).toHaveLength(count);
    }

    const published = world.linkedin.posts(world.linkedinAuthor);
    expect(published).toHaveLength(4);
    const texts = published.map((p) => p.text);
    // The text arrives whole: ( # @ escaped, the human edit published as edited.
    expect(texts).toContain(
      'Ship small (really small) things\n\nAsk @Sam how #automation saved us a day (every week).\n\n#automation',
    );
    expect(texts).toContain(edited);
    for (const p of published) {
      expect(p.cut).toBe(false);
      expect(p.image?.bytes?.byteLength).toBeGreaterThan(0);
    }
    expect(published.map((p) => new Date(p.createdAt).toISOString().slice(0, 10)).sort()).toEqual([
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
      '2026-12-15',
    ]);
    // One webhook call per published post, with its image.
    const hooks = world.webhooks.received(world.publishWebhookUrl);
    expect(hooks).toHaveLength(4);
    const done = postPages().filter((p) => p.properties.Status === 'Published');
    expect(done).toHaveLength(4);
    for (const page of done)
      expect(String(page.properties['Post URL'])).toMatch(
        /^https:\/\/www\.linkedin\.com\/feed\/update\/urn:li:/,
      );
    expect(world.trello.card(special.id)?.comments[0]?.text).toMatch(/^Published on LinkedIn: /);
  });
});
