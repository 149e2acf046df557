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
