// Exactly once on LinkedIn: the Baton process dies between LinkedIn's answer to the Posts API call
// and the journal write; started again, it posts the same text, LinkedIn answers DUPLICATE_POST
// naming the first post, and that URN is recorded: one post, one webhook call.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { mediaFolder, saying } from '../connectors/media/media-files.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { scriptPosts } from './content-world.ts';

const tempDir = useTempDirs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(done: () => boolean, what: string, ms = 40_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

let media: Awaited<ReturnType<typeof mediaFolder>>;
beforeAll(async () => {
  media = await mediaFolder();
});
afterAll(() => media.dispose());

describe('content under SIGKILL', () => {
  it('a crash between the Posts API call and the journal makes no second LinkedIn post', async () => {
    const world = createWorld({ limits: 'relaxed' });
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const crashFile = join(dir, 'crashed-after-post');
    scriptPosts(world, {
      'Gamma video': [
        {
          hook: 'Crash-proof (mostly) posting',
          body: 'Ask @Sam why #exactlyonce matters to us.',
          hashtags: ['#ops'],
        },
        {
          hook: 'The second point',
          body: 'Small steps, written down before the next one starts.',
          hashtags: [],
        },
        {
          hook: 'The third point',
          body: 'A journal is a promise the process keeps after it dies.',
          hashtags: [],
        },
      ],
    });
    const env = { ...world.env, TZ: 'UTC', CONTENT_POST_SLOTS: 'now' };
    const start = async (extra: Record<string, string> = {}) => {
      const child = spawnTs('test/fixtures/content-worker.ts', [server.url, dir], {
        CONTENT_ENV: JSON.stringify(env),
        ...extra,
      });
      const done = finished(child);
      if (process.env.BATON_TEST_LOG) child.stderr?.pipe(process.stderr);
      await printed(child, 'started');
      return { child, done };
    };
    try {
      const video = await readFile(await media.clip('gamma.mp4', 3, saying('This is the Gamma video.')));
      let worker = await start({ CRASH_AFTER_POST: crashFile });
      await sleep(4000); // the folder's first poll: files from now on are work
      world.drive.addFile(world.videoFolderId, { name: 'gamma.mp4', mimeType: 'video/mp4', bytes: video });
      const postCards = () => world.trello.cards().filter((c) => c.name.startsWith('Post '));
      await until(
        () => postCards().length === 3 && postCards().every((c) => c.coverId),
        'three cards with covers',
      );
      await until(
        () =>
          world.notion
            .pages(world.contentCalendar.dataSourceId)
            .filter((p) => p.properties.Status === 'In review').length === 3,
        'three calendar pages',
      );

      world.trello.moveCard(postCards().find((c) => c.name.includes('Crash-proof'))!.id, 'Approved');
      const killed = await worker.done;
      expect(killed.signal).toBe('SIGKILL');
      const firstUrn = await readFile(crashFile, 'utf8');
      expect(world.linkedin.posts(world.linkedinAuthor).map((p) => p.urn)).toEqual([firstUrn]);

      worker = await start();
      const published = () =>
        world.notion
          .pages(world.contentCalendar.dataSourceId)
          .filter((p) => p.properties.Status === 'Published');
      await until(() => published().length === 1, 'the post is recorded as published');
      worker.child.kill('SIGTERM');
      await worker.done;

      // One post on LinkedIn, its URN recorded; one webhook call.
      const posts = world.linkedin.posts(world.linkedinAuthor);
      expect(posts).toHaveLength(1);
      expect(posts[0]!.text).toBe(
        'Crash-proof (mostly) posting\n\nAsk @Sam why #exactlyonce matters to us.\n\n#ops',
      );
      expect(published()[0]!.properties['Post URL']).toBe(
        `https://www.linkedin.com/feed/update/${firstUrn}/`,
      );
      expect(world.webhooks.received(world.publishWebhookUrl)).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('a crash during transcription sends no finished chunk again and makes one transcript and three cards', async () => {
    const world = createWorld({ limits: 'relaxed' });
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const crashFile = join(dir, 'crashed-mid-transcription');
    scriptPosts(world, {
      chunk: [1, 2, 3].map((n) => ({
        hook: `Zeta point ${n}`,
        body: `Point ${n}, said plainly and briefly.`,
        hashtags: [],
      })),
    });
    // Each 2 s chunk is transcribed as its own words.
    world.openai.transcribeWith((upload) => `chunk ${upload.filename}`);
    const env = { ...world.env, TZ: 'UTC' };
    const start = async (extra: Record<string, string> = {}) => {
      const child = spawnTs('test/fixtures/content-worker.ts', [server.url, dir], {
        CONTENT_ENV: JSON.stringify(env),
        CONTENT_CHUNK_SECONDS: '2',
        ...extra,
      });
      const done = finished(child);
      await printed(child, 'started');
      return { child, done };
    };
    try {
      const video = await readFile(await media.clip('zeta.mp4', 5));
      let worker = await start({ CRASH_AFTER_TRANSCRIPTIONS: `2:${crashFile}` });
      await sleep(4000); // the folder's first poll: files from now on are work
      world.drive.addFile(world.videoFolderId, { name: 'zeta.mp4', mimeType: 'video/mp4', bytes: video });
      expect((await worker.done).signal).toBe('SIGKILL');
      expect(world.openai.transcriptions).toHaveLength(2);

      worker = await start();
      const postCards = () => world.trello.cards().filter((c) => c.name.startsWith('Post '));
      await until(() => postCards().length === 3, 'three cards');
      worker.child.kill('SIGTERM');
      await worker.done;

      // Three chunks: the first was kept from before the crash; the second's answer was lost with the
      // process (the one chunk sent twice); the third sent once.
      const sent = world.openai.transcriptions.map((t) => t.filename);
      expect(sent).toHaveLength(4);
      expect(sent.filter((f) => f === sent[0])).toHaveLength(1);
      const pages = world.notion.pages(world.contentCalendar.dataSourceId);
      expect(pages.filter((p) => String(p.properties.Name).startsWith('Video: '))).toHaveLength(1);
      expect(pages).toHaveLength(4);
    } finally {
      await server.close();
    }
  }, 60_000);
});
