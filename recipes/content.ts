// Content: a video lands in a Drive folder → one transcript → three LinkedIn posts the auditor checks
// against the transcript → a thumbnail each → three cards on the review board → each approved card
// is published at the next free slot of the content calendar (LinkedIn, the publish webhook, Notion).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { DriveFile } from '../connectors/drive/index.ts';
import { downloadMedia, MediaError, transcribeMedia } from '../connectors/media/index.ts';
import { generateImage, ModerationBlockedError } from '../connectors/openai/index.ts';
import { cardSignalKey } from '../connectors/trello/index.ts';
import { defineRecipe, type Recipe, type RecipeContext, toMs } from '../src/engine/index.ts';
import {
  auditPrompt,
  type Post,
  Posts,
  PostsAudit,
  postsPrompt,
  postText,
  thumbnailPrompt,
} from './content/prompts.ts';
import { publishPost } from './content/publish.ts';
import { type AdoptedPosts, adoptCards } from './content/recover.ts';
import {
  expirePost,
  handleEvent,
  nextEvent,
  type OpenPost,
  openPost,
  type ReviewEvent,
  type ReviewedPost,
} from './content/review.ts';
import {
  CALENDAR,
  CALENDAR_STATUS,
  CONTENT_LABEL,
  type ContentServices,
  type ContentSettings,
} from './content/services.ts';
import { modelAsker } from './shared/ask.ts';

export { CALENDAR, CALENDAR_STATUS, CONTENT_LABEL, type ContentServices, type ContentSettings };

type Approved = Extract<ReviewedPost, { outcome: 'approved' }>;

const VideoInput = z.object({ id: z.string(), name: z.string() }).loose();

export const driveFileUrl = (id: string) => `https://drive.google.com/file/d/${id}/view`;

export function contentRecipe(
  services: ContentServices,
  settings: ContentSettings,
): Recipe<DriveFile, string> {
  const { trello, notion, llm } = services;
  const auditor = services.auditor ?? llm;
  const ask = modelAsker(llm);

  return defineRecipe({
    name: 'content',
    triggers: [services.triggers.videos, services.triggers.reviews],
    input: VideoInput.transform((v) => v as unknown as DriveFile),
    concurrency: 2,
    async run(video, ctx) {
      const runDir = join(settings.workDir, ctx.runId);

      // 1. Transcribe: download into the data folder, ffmpeg to chunks, OpenAI per chunk. One step,
      // so a replay (after every wait) never needs the video again; finished chunks are cached on
      // disk so a crash mid-transcription does not pay for them twice.
      const transcript = await ctx.step('transcript', async (step) => {
        try {
          const file = await downloadMedia(services.drive, video.id, {
            dir: join(runDir, 'video'),
            maxMb: settings.maxVideoMb,
          });
          const done = await transcribeMedia(file.path, {
            openai: services.openai,
            ffmpeg: await services.ffmpeg(),
            workDir: runDir,
            name: video.name,
            model: settings.transcribeModel,
            ...(settings.maxChunkSeconds ? { maxChunkSeconds: settings.maxChunkSeconds } : {}),
            signal: step.signal,
            eachChunk: (i, send) => cachedChunk(join(runDir, `chunk-${i}.txt`), send),
          });
          return { ok: true as const, text: done.text, chunks: done.chunks };
        } catch (err) {
          if (err instanceof MediaError) return { ok: false as const, reason: err.message };
          throw err;
        } finally {
          // Failed or not, the video is not needed again by this step's result.
          await rm(join(runDir, 'video'), { recursive: true, force: true });
        }
      });
      if (!transcript.ok) {
        // An unreadable or silent file: one card that says so, and nothing else.
        await ctx.step('card-could-not-transcribe', async ({ idempotencyKey }) =>
          trello.createCard({
            listId: (await services.lists()).review,
            name: `Video: ${video.name}`,
            desc: `${transcript.reason}\n\nNothing was posted. Upload a readable video with speech to try again.`,
            labels: [CONTENT_LABEL],
            idempotencyKey,
          }),
        );
        await ctx.step('cleanup-failed', () => rm(runDir, { recursive: true, force: true }));
        return 'could not transcribe';
      }

      // The video's page in the calendar database holds the transcript; cards link to it.
      const videoPage = await ctx.step('video-page', async ({ idempotencyKey, runResumed }) => {
        if (runResumed) {
          // Found as it is: a transcript made again may differ, and must not be appended to it.
          const [found] = await notion.queryPages(settings.calendar, {
            where: { [CALENDAR.key]: idempotencyKey },
            limit: 1,
          });
          if (found) return { pageId: found.id, url: found.url };
        }
        const title = await titleProperty(notion, settings.calendar);
        return notion.createPage({
          dataSource: settings.calendar,
          properties: { [title]: `Video: ${video.name}`, [CALENDAR.video]: driveFileUrl(video.id) },
          markdown: transcript.text,
          idempotencyKey,
        });
      });

      // 2. Three posts; the auditor checks them against the guidelines and the transcript. A run
      // started again after a lost data folder adopts its cards as they are on the board instead.
      const { posts, texts, audit, adopted } = await writeAndAudit(ctx, transcript.text);

      // 3. Each post to review: card, calendar page, thumbnail.
      const open: OpenPost[] = [];
      for (const [i, post] of posts.entries()) {
        open.push(
          await openPost(ctx, services, settings, {
            index: i,
            post,
            text: texts[i]!,
            thumbnail: thumbnailPrompt(post.imagePrompt, settings.imageStyle),
            transcript: transcript.text,
            transcriptUrl: videoPage.url,
            video,
            auditFailed: audit?.verdict === 'FAIL' ? audit : undefined,
            adopted,
            makeImage: (prompt) => makeImage(runDir, prompt),
            ask,
          }),
        );
      }
      const bot = await ctx.step('who-am-i', () => trello.whoAmI());
      const reviewMs = toMs(settings.reviewTimeout);
      const opened = (await ctx.now()).getTime();
      for (const post of open) post.deadline = opened + reviewMs;

      // 4. One loop for the three cards and the calendar: act on whichever card the reviewer moved,
      // publish each approved post when its slot comes. The wait listens to every undecided card's
      // signals at once, so a move of any of them is acted on at the next poll, in any order.
      // Posts an adopted calendar page says were published already are never published again.
      const published = new Set(
        open.filter((p) => p.outcome?.outcome === 'published').map((p) => p.request.index),
      );
      for (let k = 1; ; k++) {
        const now = (await ctx.now()).getTime();
        const approved = open
          .map((p) => p.outcome)
          .filter((o): o is Approved => o?.outcome === 'approved' && !published.has(o.index))
          .sort((a, b) => a.slot - b.slot);
        for (const post of approved.filter((p) => p.slot <= now)) {
          await publishPost(ctx, services, settings, post);
          published.add(post.index);
        }
        const waiting = open.filter((p) => !p.outcome);
        const pending = approved.filter((p) => p.slot > now);
        if (waiting.length === 0 && pending.length === 0) break;
        const wakeAt = Math.min(...pending.map((p) => p.slot), ...waiting.map((p) => p.deadline));
        const event = await ctx.waitFor<ReviewEvent>(`event-${k}`, {
          key:
            waiting.length > 0
              ? waiting.map((p) => cardSignalKey(p.cardId))
              : `content:calendar:${ctx.runId}`,
          // A deadline, not a duration: the clock may have moved on since `now` was read.
          timeout: new Date(wakeAt),
          ...(waiting.length > 0 ? { check: () => nextEvent(services, settings, waiting, bot.id) } : {}),
          // A signal only makes the run look again: `check` reads every waiting card as it is now.
          accept: () => undefined,
        });
        if (event) {
          const post = open[event.index]!;
          await handleEvent(ctx, services, settings, post, event);
          // A rewrite puts the card back in Review with a fresh time to decide.
          if (!post.outcome && post.waiting === 'decision' && event.kind === 'feedback')
            post.deadline = (await ctx.now()).getTime() + reviewMs;
          continue;
        }
        const after = (await ctx.now()).getTime();
        for (const post of waiting.filter((p) => p.deadline <= after))
          await expirePost(ctx, services, settings, post);
      }
      await ctx.step('cleanup', () => rm(runDir, { recursive: true, force: true }));
      const approvedCount = published.size;
      return `${approvedCount} published, ${open.length - approvedCount} not`;
    },
  });

  /**
   * Writer, then auditor; on FAIL the writer gets the corrections, at most twice; then flagged. A run
   * started again after its data folder was lost (`runResumed`) whose three cards are on the board
   * adopts them instead: the reviewer may have edited them, and they were audited in its first life.
   */
  async function writeAndAudit(
    ctx: RecipeContext,
    transcript: string,
  ): Promise<{ posts: Post[]; texts: string[]; audit: PostsAudit | undefined; adopted: boolean }> {
    let corrections: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? '' : `-${attempt}`;
      type Written = { posts: Post[]; adopted?: undefined } | AdoptedPosts;
      const written = await ctx.step<Written>(`write-posts${suffix}`, async (s) => {
        if (attempt === 0 && s.runResumed) {
          const found = await adoptCards(trello, (await services.lists()).review, ctx.runId);
          if (found) return found;
        }
        return ask(s, Posts, postsPrompt(transcript, settings.guidelines, corrections), 'linkedin_posts');
      });
      if (written.adopted)
        return { posts: written.posts, texts: written.texts, audit: undefined, adopted: true };
      const posts: Post[] = written.posts;
      const audit = await ctx.step(`audit-posts${suffix}`, (s) =>
        ask(s, PostsAudit, auditPrompt(transcript, settings.guidelines, posts), 'posts_audit', auditor),
      );
      if (audit.verdict === 'PASS' || attempt >= 2)
        return { posts, texts: posts.map(postText), audit, adopted: false };
      corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
    }
  }

  /** A PNG for the prompt, kept in the run's folder until the run ends (it is published from there). */
  async function makeImage(runDir: string, prompt: string): Promise<{ path: string } | { blocked: string }> {
    try {
      const png = await generateImage(services.openai, prompt, {
        model: settings.imageModel,
        size: settings.imageSize,
      });
      await mkdir(join(runDir, 'images'), { recursive: true });
      const path = join(runDir, 'images', `${Date.now()}-${Math.random().toString(36).slice(2)}.png`);
      await writeFile(path, png);
      return { path };
    } catch (err) {
      if (err instanceof ModerationBlockedError) return { blocked: err.message };
      throw err;
    }
  }
}

/** A chunk's text from an earlier attempt of the step, or sent now and kept. */
async function cachedChunk(file: string, send: () => Promise<string>): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    const text = await send();
    await writeFile(file, text);
    return text;
  }
}

/** The calendar database's title property (whatever the user named it). */
export async function titleProperty(notion: ContentServices['notion'], calendar: string): Promise<string> {
  const source = await notion.dataSource(calendar);
  return [...source.properties].find(([, config]) => config.type === 'title')?.[0] ?? 'Name';
}
