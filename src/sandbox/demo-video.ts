// The sandbox's demo video: made at start by the ffmpeg the content recipe uses (no binary in the
// repository), and put in the Drive video folder by the page's button as a phone would upload it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveFfmpeg, runFfmpeg } from '../../connectors/media/index.ts';
import type { EmulatedWorld } from './world.ts';

export const DEMO_VIDEO_FILE = 'demo-video.mp4';

/** What the OpenAI emulator transcribes the demo video as (its `[[say:…]]` marker). */
export const DEMO_VIDEO_SAYS =
  'Good morning! This week we moved our invoices out of email and into one simple flow. ' +
  'Two people, ten hours saved. Approvals take five minutes a day now, and nothing gets lost.';

const SECONDS = 4;

/**
 * What the offline model writes for the demo video (schema `linkedin_posts`): three posts drawn from
 * what it says, rather than generic sample text. Labelled [sample] like everything the model writes.
 */
export const DEMO_VIDEO_POSTS = {
  posts: [
    {
      hook: '[sample] Our invoices left email this week',
      body: 'We moved every invoice out of the inbox and into one simple flow.\n\nNothing waits in a thread any more.',
      hashtags: ['#automation', '#smallbusiness'],
      imagePrompt: 'A tidy desk with a single neat stack of paper and a calm morning light',
    },
    {
      hook: '[sample] Two people, ten hours saved',
      body: 'A two-person team got ten hours a week back.\n\nNo new hire, no new tool to learn: one flow that runs itself.',
      hashtags: ['#productivity'],
      imagePrompt: 'Two coffee cups on a table by a window, an empty chair pulled back',
    },
    {
      hook: '[sample] Approvals in five minutes a day',
      body: 'Every approval is one card and one decision.\n\nFive minutes a day, and nothing gets lost.',
      hashtags: ['#operations', '#teamwork'],
      imagePrompt: 'A small board with three cards in neat columns, soft pastel colours',
    },
  ],
};

/** The sample model's answer for the demo video's posts, when the prompt carries its transcript. */
export function demoVideoPosts(call: { schemaName?: string | undefined; messages: { content: unknown }[] }) {
  if (call.schemaName !== 'linkedin_posts') return undefined;
  const transcript = DEMO_VIDEO_SAYS.slice(0, 60);
  return call.messages.some((m) => typeof m.content === 'string' && m.content.includes(transcript))
    ? DEMO_VIDEO_POSTS
    : undefined;
}

/**
 * Makes the demo video (a test pattern with a tone, MPEG-4 with AAC sound) in `dir` and reads it.
 * @throws FfmpegUnavailableError when no ffmpeg can run (FFMPEG_PATH names what to fix);
 *   FfmpegFailed when ffmpeg refuses.
 */
export async function makeDemoVideo(dir: string, ffmpegPath?: string): Promise<Buffer> {
  const ffmpeg = await resolveFfmpeg(ffmpegPath);
  const path = join(dir, DEMO_VIDEO_FILE);
  await runFfmpeg(ffmpeg, [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', `testsrc=size=320x240:rate=10:duration=${SECONDS}`],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:duration=${SECONDS}`],
    ...['-c:v', 'mpeg4', '-c:a', 'aac', '-shortest'],
    ...['-metadata', `comment=[[say:${DEMO_VIDEO_SAYS}]]`],
    path,
  ]);
  return readFile(path);
}

/** Puts the demo video in the video folder as a phone upload (video/mp4, with its size). Returns its id. */
export function uploadDemoVideo(world: EmulatedWorld, bytes: Buffer, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace('T', ' ').replaceAll(':', '.');
  return world.drive.addFile(world.videoFolderId, {
    name: `VID ${stamp}.mp4`,
    mimeType: 'video/mp4',
    bytes,
    createdTime: now,
  });
}
