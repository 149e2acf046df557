// What the models are asked, and the shapes their answers must have (checked with zod).
import { z } from 'zod';
import type { LlmPrompt } from '../../src/llm/index.ts';

export const Post = z.object({
  hook: z.string().min(3).max(200).describe('The first line: makes a reader stop scrolling'),
  body: z.string().min(20).max(2600).describe('The post after the hook, plain text, short paragraphs'),
  hashtags: z
    .array(z.string().regex(/^#?[\p{L}\p{N}_]+$/u))
    .max(5)
    .describe('Up to 5 hashtags, without spaces'),
  imagePrompt: z
    .string()
    .min(10)
    .max(600)
    .describe('A description of a thumbnail picture for this post (no text in the image)'),
});
export type Post = z.infer<typeof Post>;

export const Posts = z.object({
  posts: z.array(Post).length(3).describe('Three distinct LinkedIn posts, each on a different point'),
});

export const PostsAudit = z.object({
  verdict: z.enum(['PASS', 'FAIL']),
  problems: z
    .array(z.string().max(400))
    .max(12)
    .describe('Each problem: a claim the transcript does not make, a breach of the guidelines'),
  corrections: z.string().max(2000).describe('What the writer must change; empty when PASS'),
});
export type PostsAudit = z.infer<typeof PostsAudit>;

export const RewrittenPost = z.object({
  text: z.string().min(20).max(3000).describe('The whole post as it will be published, hashtags included'),
});

export const ImageDirection = z.object({
  imagePrompt: z.string().min(10).max(600).describe('A description of the new thumbnail picture'),
});

/** The text a post is published with: hook, body, hashtags. */
export function postText(post: Post): string {
  const tags = post.hashtags.map((t) => (t.startsWith('#') ? t : `#${t}`)).join(' ');
  return [post.hook.trim(), post.body.trim(), tags].filter(Boolean).join('\n\n');
}

export function postsPrompt(transcript: string, guidelines: string, corrections?: string): LlmPrompt {
  return [
    {
      role: 'system',
      content: [
        'You turn a short video of the author into three LinkedIn posts in their voice.',
        `Brand guidelines:\n${guidelines}`,
        'Each post: a hook line, a body (the whole post under 3,000 characters), up to 5 hashtags,',
        'and a thumbnail description. The three posts must make different points.',
        'Only say what the transcript says: no invented facts, numbers, clients or quotes.',
      ].join('\n'),
    },
    {
      role: 'user',
      content: [
        `Transcript:\n${transcript}`,
        ...(corrections ? [`An auditor rejected the previous posts. Fix this:\n${corrections}`] : []),
      ].join('\n\n'),
    },
  ];
}

export function auditPrompt(transcript: string, guidelines: string, posts: readonly Post[]): LlmPrompt {
  return [
    {
      role: 'system',
      content: [
        'You audit LinkedIn posts before a person reviews them.',
        'FAIL when a post claims anything the transcript does not say, breaks the brand guidelines,',
        'is over 3,000 characters, or has more than 5 hashtags. Otherwise PASS.',
        `Brand guidelines:\n${guidelines}`,
      ].join('\n'),
    },
    {
      role: 'user',
      content: [`Transcript:\n${transcript}`, ...posts.map((p, i) => `Post ${i + 1}:\n${postText(p)}`)].join(
        '\n\n',
      ),
    },
  ];
}

export function rewritePrompt(
  transcript: string,
  guidelines: string,
  onCard: string,
  comment: string,
): LlmPrompt {
  return [
    {
      role: 'system',
      content: [
        'You rewrite a LinkedIn post following a reviewer’s comment, in the author’s voice.',
        `Brand guidelines:\n${guidelines}`,
        'Only say what the transcript says. Keep it under 3,000 characters with at most 5 hashtags.',
      ].join('\n'),
    },
    {
      role: 'user',
      content: [
        `Transcript:\n${transcript}`,
        `The post as it is now:\n${onCard}`,
        `Reviewer's comment: ${comment}`,
      ].join('\n\n'),
    },
  ];
}

export function imageDirectionPrompt(post: string, direction: string): LlmPrompt {
  return {
    system: 'You describe a thumbnail picture for a LinkedIn post. No text or letters in the image.',
    user: `The post:\n${post}\n\nThe reviewer wants the picture to be: ${direction}`,
  };
}

/** The image prompt: the model's description plus CONTENT_IMAGE_STYLE. */
export function thumbnailPrompt(description: string, style: string): string {
  return `${description.trim()}\n\nStyle: ${style.trim()}`;
}
