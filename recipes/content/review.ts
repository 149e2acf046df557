// One post's review on the board: card (label Content, the post, its thumbnail as cover, the
// transcript link) and calendar page, then the reviewer's decisions until Approved (a slot is taken),
// Rejected, or no decision in time. Needs changes + a comment rewrites the text; a comment starting
// `image:` makes a new thumbnail from that direction instead.
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import type { DriveFile } from '../../connectors/drive/index.ts';
import { createdAt } from '../../connectors/trello/index.ts';
import type { RecipeContext, StepContext } from '../../src/engine/index.ts';
import type { Llm, LlmPrompt } from '../../src/llm/index.ts';
import { type Decision, decisionOf, type Feedback, feedbackOf } from '../shared/review/index.ts';
import { postCardDescription, postFromCard } from './card.ts';
import {
  ImageDirection,
  imageDirectionPrompt,
  type Post,
  type PostsAudit,
  RewrittenPost,
  rewritePrompt,
  thumbnailPrompt,
} from './prompts.ts';
import {
  CALENDAR,
  CALENDAR_STATUS,
  CONTENT_LABEL,
  type ContentServices,
  type ContentSettings,
} from './services.ts';

/** A thumbnail on disk, and the prompt that made it (to make it again if the data folder was lost). */
export interface Thumbnail {
  path: string;
  prompt: string;
  name: string;
  /** The card whose cover it is, when `path` is gone (an adopted card): the bytes are read back from it. */
  cardId?: string;
}

/** A post on the board, as the run's review loop sees it between events. */
export interface OpenPost {
  request: PostToReview;
  cardId: string;
  cardUrl: string;
  pageId: string;
  image: Thumbnail | undefined;
  /** Makes a thumbnail (a journaled step named `name`) and sets it as the card's and page's cover. */
  thumbnail(name: string, prompt: string, comment: string): Promise<Thumbnail | undefined>;
  /** What the reviewer's next move is read as. */
  waiting: 'decision' | 'feedback';
  /** Comments count from here (ISO): the card's creation, then its last return to Review. */
  commentsSince: string;
  /** Epoch ms after which an undecided card expires (set by the loop). */
  deadline: number;
  revisions: number;
  outcome: ReviewedPost | undefined;
}

/** What the reviewer did to one card, found by `nextEvent` (recorded by the wait that found it). */
export type ReviewEvent =
  | { index: number; kind: 'decision'; decision: Decision }
  | { index: number; kind: 'feedback'; feedback: Feedback };

export type ReviewedPost =
  | {
      outcome: 'approved';
      index: number;
      cardId: string;
      pageId: string;
      text: string;
      slot: number;
      image: Thumbnail | undefined;
    }
  | { outcome: 'rejected' | 'expired'; index: number; cardId: string }
  /** Published by the run's first life (an adopted post whose calendar page says so). */
  | { outcome: 'published'; index: number; cardId: string };

export interface PostToReview {
  index: number;
  post: Post;
  text: string;
  /** The first thumbnail's prompt (the model's description plus CONTENT_IMAGE_STYLE). */
  thumbnail: string;
  transcript: string;
  transcriptUrl: string;
  video: DriveFile;
  auditFailed: PostsAudit | undefined;
  /** The card is adopted from the run's first life (its data folder was lost): found, never made. */
  adopted: boolean;
  makeImage(prompt: string): Promise<{ path: string } | { blocked: string }>;
  ask<S extends z.ZodType>(
    step: StepContext,
    schema: S,
    prompt: LlmPrompt,
    name: string,
    model?: Llm,
  ): Promise<z.output<S>>;
}

const when = (ms: number, zone: string) =>
  `${new Date(ms).toLocaleString('en-GB', { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' })} (${zone})`;

/**
 * Puts the post on the board: its card (label Content, Audit failed when the auditor still objects),
 * its calendar page (In review) and its thumbnail as the cover of both.
 */
export async function openPost(
  ctx: RecipeContext,
  services: ContentServices,
  settings: ContentSettings,
  request: PostToReview,
): Promise<OpenPost> {
  const { trello, notion } = services;
  const n = request.index + 1;
  const id = (name: string) => `post-${n}-${name}`;

  const card = await ctx.step(id('card'), async ({ idempotencyKey }) =>
    trello.createCard({
      listId: (await services.lists()).review,
      name: `Post ${n}: ${request.post.hook.slice(0, 120)}`,
      desc: postCardDescription(request.text, request.transcriptUrl, ctx.runId),
      labels: request.auditFailed ? [CONTENT_LABEL, 'Audit failed'] : [CONTENT_LABEL],
      idempotencyKey,
    }),
  );
  const page = await ctx.step(id('calendar-page'), async ({ idempotencyKey }) => {
    if (request.adopted) {
      // Found as it is: its Status says where the post got to in the run's first life.
      const [found] = await notion.queryPages(settings.calendar, {
        where: { [CALENDAR.key]: idempotencyKey },
        limit: 1,
      });
      if (found) return { pageId: found.id, url: found.url, status: found.properties[CALENDAR.status] };
    }
    const source = await notion.dataSource(settings.calendar);
    const title = [...source.properties].find(([, c]) => c.type === 'title')?.[0] ?? 'Name';
    return notion.createPage({
      dataSource: settings.calendar,
      properties: {
        [title]: request.post.hook.slice(0, 200),
        [CALENDAR.status]: CALENDAR_STATUS.inReview,
        [CALENDAR.video]: `https://drive.google.com/file/d/${request.video.id}/view`,
      },
      markdown: `${request.text}\n\nTranscript: ${request.transcriptUrl}\n\nTrello card: ${card.url}`,
      idempotencyKey,
    });
  });

  /** A thumbnail made, set as the card's cover (a new name each time, so it becomes the cover) and the page's. */
  const thumbnail = async (name: string, prompt: string, comment: string) => {
    const made = await ctx.step(id(name), async () => {
      const image = await request.makeImage(prompt);
      if ('blocked' in image) return image;
      const bytes = await readFile(image.path);
      const file = `${name}.png`;
      await trello.attachCover(card.cardId, { name: file, bytes, mimeType: 'image/png' });
      const upload = await notion.uploadFile({ bytes, filename: file, contentType: 'image/png' });
      await notion.setPageCover(page.pageId, upload);
      return { path: image.path, prompt, name: file };
    });
    if (!('blocked' in made)) return made;
    await ctx.step(id(`${name}-blocked`), ({ idempotencyKey }) =>
      trello.commentOnCard(
        card.cardId,
        `${comment}: OpenAI's safety system refused the picture (${made.blocked}). The post itself is fine. To try another picture, move this card to Needs changes and comment \`image: <what the picture should show>\`.`,
        { idempotencyKey },
      ),
    );
    return undefined;
  };

  // An adopted card keeps its cover: no new picture (publishing reads it back from the card).
  const image = request.adopted
    ? await ctx.step(id('thumbnail'), () => adoptedThumbnail(services, card.cardId, request.thumbnail))
    : await thumbnail('thumbnail', request.thumbnail, 'No thumbnail');
  if (request.auditFailed) {
    const audit = request.auditFailed;
    await ctx.step(id('explain-audit'), ({ idempotencyKey }) =>
      trello.commentOnCard(
        card.cardId,
        [
          'Audit failed after the allowed rewrites:',
          ...audit.problems.map((p) => `- ${p}`),
          audit.corrections,
        ]
          .filter(Boolean)
          .join('\n'),
        { idempotencyKey },
      ),
    );
    await ctx.step(id('alert-audit'), () =>
      services.alert?.(
        `Post ${n} from ${request.video.name} needs a closer look (Audit failed): ${card.url}`,
      ),
    );
  }

  return {
    request,
    cardId: card.cardId,
    cardUrl: card.url,
    pageId: page.pageId,
    image,
    thumbnail,
    waiting: 'decision',
    commentsSince: createdAt(card.cardId).toISOString(),
    deadline: 0,
    revisions: 0,
    outcome: adoptedOutcome(page, request.index, card.cardId),
  };
}

/** What an adopted calendar page says was decided already: Published or Rejected; else undefined. */
function adoptedOutcome(page: object, index: number, cardId: string): ReviewedPost | undefined {
  const status = 'status' in page ? page.status : undefined;
  if (status === CALENDAR_STATUS.published) return { outcome: 'published', index, cardId };
  if (status === CALENDAR_STATUS.rejected) return { outcome: 'rejected', index, cardId };
  return undefined;
}

/**
 * An adopted card's thumbnail: its cover as the first life attached it, by name. The file itself went
 * with the data folder (`path` is empty): publishing downloads the cover from the card.
 */
async function adoptedThumbnail(
  services: ContentServices,
  cardId: string,
  prompt: string,
): Promise<Thumbnail | undefined> {
  const cover = await services.trello.cover(cardId);
  return cover ? { path: '', prompt, name: cover.name, cardId } : undefined;
}

/** The first card (in order) the reviewer has acted on, as it is now; undefined while none has. */
export async function nextEvent(
  services: ContentServices,
  settings: ContentSettings,
  posts: readonly OpenPost[],
  botId: string,
): Promise<ReviewEvent | undefined> {
  const lists = await services.lists();
  for (const post of posts) {
    const card = await services.trello.getCard(post.cardId);
    const index = post.request.index;
    if (post.waiting === 'decision') {
      const decision = decisionOf(card, lists, post.revisions < settings.maxRevisions);
      if (decision) return { index, kind: 'decision', decision };
    } else {
      const feedback = feedbackOf(card, lists, botId, post.commentsSince);
      if (feedback) return { index, kind: 'feedback', feedback };
    }
  }
  return undefined;
}

/** Acts on one event: a rewrite or new thumbnail (back to Review), a rejection, or an approval with its slot. */
export async function handleEvent(
  ctx: RecipeContext,
  services: ContentServices,
  settings: ContentSettings,
  post: OpenPost,
  event: ReviewEvent,
): Promise<void> {
  const { trello, notion } = services;
  const { request } = post;
  const n = request.index + 1;
  const id = (name: string) => `post-${n}-${name}`;
  const cardNow = () => trello.getCard(post.cardId);

  let list: Decision['list'] | undefined;
  if (event.kind === 'decision') list = event.decision.list;
  else if ('withdrawn' in event.feedback) {
    post.waiting = 'decision';
    return;
  } else if ('decision' in event.feedback) list = event.feedback.decision;
  else {
    const comment = event.feedback.comment;
    post.revisions++;
    const r = post.revisions;
    const direction = /^\s*image:\s*/i.exec(comment);
    if (direction) {
      // A new picture from the reviewer's direction; the text stays as it is on the card.
      const wanted = comment.slice(direction[0].length).trim();
      const described = await ctx.step(id(`image-direction-${r}`), async (s) =>
        request.ask(
          s,
          ImageDirection,
          imageDirectionPrompt(postFromCard((await cardNow()).desc), wanted),
          'image_direction',
        ),
      );
      const fresh = await post.thumbnail(
        `thumbnail-r${r}`,
        thumbnailPrompt(described.imagePrompt, settings.imageStyle),
        'No new thumbnail',
      );
      if (fresh) post.image = fresh;
    }
    const back = await ctx.step(id(`back-in-review-${r}`), async (s) => {
      const lists = await services.lists();
      const at = new Date().toISOString();
      if (direction) {
        await trello.updateCard(post.cardId, { listId: lists.review });
        return { at };
      }
      // From the card as the reviewer left it: their own edits are kept.
      const onCard = postFromCard((await cardNow()).desc);
      const rewritten = await request.ask(
        s,
        RewrittenPost,
        rewritePrompt(request.transcript, settings.guidelines, onCard, comment),
        'linkedin_post_rewrite',
      );
      await trello.updateCard(post.cardId, {
        desc: postCardDescription(rewritten.text, request.transcriptUrl, ctx.runId),
        listId: lists.review,
      });
      return { at };
    });
    post.commentsSince = back.at;
    post.waiting = 'decision';
    return;
  }

  if (list === 'changes') {
    post.waiting = 'feedback';
    return;
  }
  if (list === 'rejected') {
    await ctx.step(id('calendar-rejected'), () =>
      notion.updatePage(post.pageId, { [CALENDAR.status]: CALENDAR_STATUS.rejected }),
    );
    post.outcome = { outcome: 'rejected', index: request.index, cardId: post.cardId };
    return;
  }

  // Approved: the card's text now is what gets published, at the next free slot.
  const text = await ctx.step(id('approved-text'), async () => postFromCard((await cardNow()).desc));
  const now = (await ctx.now()).getTime();
  const slot = await ctx.step(id('slot'), async ({ idempotencyKey }) => {
    const scheduled = await notion.queryPages(settings.calendar, {
      where: { [CALENDAR.status]: CALENDAR_STATUS.scheduled },
    });
    const mine = post.pageId.replace(/-/g, '');
    // Scheduled already (an adopted page, or a crash after this update): the same slot again.
    const ownSlot = Date.parse(
      String(scheduled.find((p) => p.id.replace(/-/g, '') === mine)?.properties[CALENDAR.publishAt] ?? ''),
    );
    if (Number.isFinite(ownSlot)) return ownSlot;
    const elsewhere = scheduled
      .filter((p) => p.id.replace(/-/g, '') !== mine)
      .map((p) => Date.parse(String(p.properties[CALENDAR.publishAt] ?? '')))
      .filter((t) => Number.isFinite(t));
    const at = await services.slots.take(idempotencyKey, now, elsewhere);
    await notion.updatePage(post.pageId, {
      [CALENDAR.status]: CALENDAR_STATUS.scheduled,
      [CALENDAR.publishAt]: new Date(at),
    });
    return at;
  });
  await ctx.step(id('scheduled-comment'), ({ idempotencyKey }) =>
    trello.commentOnCard(
      post.cardId,
      slot <= now
        ? 'Approved: publishing now.'
        : `Approved: scheduled for ${when(slot, services.slots.calendar.zone)}.`,
      { idempotencyKey },
    ),
  );
  post.outcome = {
    outcome: 'approved',
    index: request.index,
    cardId: post.cardId,
    pageId: post.pageId,
    text,
    slot,
    image: post.image,
  };
}

/** No decision in time: the card says so and the calendar page is marked Rejected. */
export async function expirePost(
  ctx: RecipeContext,
  services: ContentServices,
  settings: ContentSettings,
  post: OpenPost,
) {
  const id = (name: string) => `post-${post.request.index + 1}-${name}`;
  await ctx.step(id('expired'), ({ idempotencyKey }) =>
    services.trello.commentOnCard(
      post.cardId,
      `No decision within ${settings.reviewTimeout}: this post was not published.`,
      { idempotencyKey },
    ),
  );
  await ctx.step(id('calendar-expired'), () =>
    services.notion.updatePage(post.pageId, { [CALENDAR.status]: CALENDAR_STATUS.rejected }),
  );
  post.outcome = { outcome: 'expired', index: post.request.index, cardId: post.cardId };
}
