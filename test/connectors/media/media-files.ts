// Test media made by the real ffmpeg at test time (the binary shipped in @ffmpeg-installer/ffmpeg).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg, runFfmpeg } from '../../../connectors/media/index.ts';

/** `[[say:…]]` in a file's metadata: the OpenAI emulator transcribes it as that text. */
export const saying = (text: string): string[] => ['-metadata', `comment=[[say:${text}]]`];

const quiet = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];

/** A folder of test media; `dispose()` deletes it. */
export async function mediaFolder() {
  const dir = await mkdtemp(join(tmpdir(), 'baton-media-'));
  const ffmpeg = await resolveFfmpeg();
  // Each name is made once per folder: tests asking for the same file share it.
  const made = new Map<string, Promise<string>>();
  const make = (name: string, args: string[]): Promise<string> => {
    const path = join(dir, name);
    if (!made.has(name))
      made.set(
        name,
        runFfmpeg(ffmpeg, [...quiet, ...args, path]).then(() => path),
      );
    return made.get(name)!;
  };
  return {
    dir,
    ffmpeg,
    /** A small test pattern with a 440 Hz tone: a phone clip in miniature. */
    clip: (name = 'clip.mp4', seconds = 5, extra: string[] = []) =>
      make(name, [
        ...['-f', 'lavfi', '-i', `testsrc=size=160x120:rate=10:duration=${seconds}`],
        ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=16000:duration=${seconds}`],
        ...['-c:v', 'mpeg4', '-c:a', 'aac', '-shortest', ...extra],
      ]),
    /**
     * About 40 MB and 21 minutes: a tiny 1 fps picture over uncompressed 16 kHz sound, so it is
     * made in about a second yet must be split (chunks are at most 19 minutes).
     */
    long: (name = 'long.mov', extra: string[] = []) =>
      make(name, [
        ...['-f', 'lavfi', '-i', 'testsrc=size=32x32:rate=1:duration=1260'],
        ...['-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=16000:duration=1260'],
        ...['-c:v', 'mpeg4', '-c:a', 'pcm_s16le', ...extra],
      ]),
    /** A video with no sound track. */
    mute: (name = 'mute.mp4') =>
      make(name, ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=3', '-c:v', 'mpeg4']),
    /** A video whose sound track is pure silence. */
    silent: (name = 'silent.mp4') =>
      make(name, [
        ...['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5:duration=3'],
        ...['-f', 'lavfi', '-i', 'anullsrc=channel_layout=mono:sample_rate=16000'],
        ...['-c:v', 'mpeg4', '-c:a', 'aac', '-shortest'],
      ]),
    /** Random bytes named like a video. */
    corrupt: async (name = 'corrupt.mp4') => {
      const path = join(dir, name);
      await writeFile(path, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)));
      return path;
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
