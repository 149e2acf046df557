// An approved post at its slot: LinkedIn (image, then the post; its URN recorded at once), the
// publish webhook, then the calendar page and the card say it is published. An expired LinkedIn token
// pauses publishing (the post stays Scheduled) with one Slack message, until the token is replaced.
import { access, readFile } from 'node:fs/promises';
import { LinkedInTokenError, type PublishedPost } from '../../connectors/linkedin/index.ts';
import { generateImage, ModerationBlockedError } from '../../connectors/openai/index.ts';
import { type RecipeContext, type StepContext, SuspendUntilError } from '../../src/engine/index.ts';
import type { ReviewedPost, Thumbnail } from './review.ts';
import { CALENDAR, CALENDAR_STATUS, type ContentServices, type ContentSettings } from './services.ts';

type Approved = Extract<ReviewedPost, { outcome: 'approved' }>;

export const linkedInPostUrl = (urn: string) => `https://www.linkedin.com/feed/update/${urn}/`;

export async function publishPost(
  ctx: RecipeContext,
  services: ContentServices,
  settings: ContentSettings,
  post: Approved,
): Promise<PublishedPost> {
  const { trello, notion, linkedin } = services;
  const id = (name: string) => `post-${post.index + 1}-${name}`;

  /**
   * The thumbnail's bytes: the file from review; if the data folder was lost, the card's cover (the
   * picture the reviewer saw), else one made again from its prompt.
   */
  const bytes = async (image: Thumbnail): Promise<Buffer | undefined> => {
    try {
      if (!image.path) throw new Error('no local copy');
      await access(image.path);
    } catch {
      const cover = await trello.downloadCover(image.cardId ?? post.cardId);
      return cover?.bytes ?? remakeImage(services, settings, image.prompt);
    }
    return readFile(image.path);
  };
  const attempt = async (step: StepContext): Promise<PublishedPost> => {
    // A run started again after its data folder was lost may have posted in its first life just
    // before (its URN went with the journal): ask LinkedIn first, where the token may read posts.
    if (step.runResumed) {
      const earlier = await linkedin.findPost({ text: post.text });
      if (earlier.urn) return { urn: earlier.urn, duplicate: true };
    }
    const png = post.image ? await bytes(post.image) : undefined;
    const imageUrn = png ? await linkedin.uploadImage(png, { mediaType: 'image/png' }) : undefined;
    return linkedin.createPost({ text: post.text, ...(imageUrn ? { imageUrn } : {}) });
  };

  // The URN is this step's result: recorded the moment LinkedIn answers. A crash before that is
  // repaired by posting the same text again: LinkedIn answers DUPLICATE_POST naming the first post.
  let published = await ctx.step(id('linkedin'), async (step) => {
    try {
      return { post: await attempt(step) };
    } catch (err) {
      if (err instanceof LinkedInTokenError) return { token: err.message };
      throw err;
    }
  });
  if ('token' in published) {
    const message = published.token;
    await ctx.step(id('linkedin-token-alert'), () =>
      services.alert?.(
        `LinkedIn publishing is paused: ${message}. Renew LINKEDIN_ACCESS_TOKEN (tokens last 60 days) and restart Baton; the scheduled posts then go out. \`baton doctor\` checks the token.`,
      ),
    );
    published = await ctx.step(id('linkedin-after-token'), async (step) => {
      try {
        return { post: await attempt(step) };
      } catch (err) {
        if (err instanceof LinkedInTokenError) {
          throw new SuspendUntilError(
            `LinkedIn token refused; post ${post.index + 1} waits for a new LINKEDIN_ACCESS_TOKEN`,
            services.now() + (settings.tokenRetryMs ?? 3600_000),
          );
        }
        throw err;
      }
    });
  }
  if (!('post' in published)) throw new Error('unreachable: LinkedIn publishing ended without a post');
  const linkedInPost = published.post;
  const url = linkedInPostUrl(linkedInPost.urn);

  await ctx.step(id('webhook'), async ({ idempotencyKey }) => {
    const png = post.image ? await bytes(post.image) : undefined;
    return services.webhook.send(
      {
        text: post.text,
        ...(png
          ? { image: { base64: png.toString('base64'), mediaType: 'image/png', filename: post.image?.name } }
          : {}),
        slot: new Date(post.slot).toISOString(),
        extra: { linkedin: linkedInPost.urn, linkedinUrl: url },
      },
      { idempotencyKey },
    );
  });
  await ctx.step(id('calendar-published'), () =>
    notion.updatePage(post.pageId, { [CALENDAR.status]: CALENDAR_STATUS.published, [CALENDAR.postUrl]: url }),
  );
  await ctx.step(id('published-comment'), ({ idempotencyKey }) =>
    trello.commentOnCard(post.cardId, `Published on LinkedIn: ${url}`, { idempotencyKey }),
  );
  return linkedInPost;
}

async function remakeImage(services: ContentServices, settings: ContentSettings, prompt: string) {
  try {
    return await generateImage(services.openai, prompt, {
      model: settings.imageModel,
      size: settings.imageSize,
    });
  } catch (err) {
    if (err instanceof ModerationBlockedError) return undefined;
    throw err;
  }
}
