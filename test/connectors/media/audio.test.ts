// extractAudioChunks against the real ffmpeg: test media made here, chunked, measured, cleaned up.
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import {
  extractAudioChunks,
  FfmpegUnavailableError,
  ffmpegVersion,
  MAX_CHUNK_BYTES,
  MediaError,
  resolveFfmpeg,
} from '../../../connectors/media/index.ts';
import { mediaFolder } from './media-files.ts';

let media: Awaited<ReturnType<typeof mediaFolder>>;
let work: string;
beforeAll(async () => {
  media = await mediaFolder();
  work = media.dir;
});
afterAll(() => media.dispose());

const leftovers = async () => (await readdir(work)).filter((n) => n.startsWith('audio-'));

async function failure(promise: Promise<unknown>): Promise<MediaError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MediaError);
  return err as MediaError;
}

describe('resolveFfmpeg', () => {
  it('finds the binary inside @ffmpeg-installer/ffmpeg, which runs', async () => {
    const path = await resolveFfmpeg();
    expect(path).toMatch(/@ffmpeg-installer[/\\][^/\\]+[/\\]ffmpeg(\.exe)?$/);
    expect(await ffmpegVersion(path)).toMatch(/^ffmpeg version /);
  });

  it('takes FFMPEG_PATH as given, and names it when it is not an executable', async () => {
    const shipped = await resolveFfmpeg();
    expect(await resolveFfmpeg(shipped)).toBe(shipped);
    const err = await resolveFfmpeg('/nonexistent/ffmpeg').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FfmpegUnavailableError);
    expect((err as Error).message).toContain('FFMPEG_PATH=/nonexistent/ffmpeg is not an executable file');
  });
});

describe('extractAudioChunks', () => {
  it('turns a 5 s clip into one mono 16 kHz MP3 chunk', async () => {
    const clip = await media.clip();
    const audio = await extractAudioChunks(clip, { ffmpeg: media.ffmpeg, workDir: work });
    expect(audio.chunks.map((c) => c.name)).toEqual(['chunk-000.mp3']);
    expect(audio.durationSeconds).toBeCloseTo(5, 0);
    const bytes = await readFile(audio.chunks[0]!.path);
    expect(bytes.length).toBe(audio.chunks[0]!.bytes);
    // An MPEG-2 layer III frame header (16 kHz is MPEG-2), after the ID3 tag.
    const id3 = 10 + ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!);
    expect(bytes.subarray(0, 3).toString()).toBe('ID3');
    expect(bytes[id3]).toBe(0xff);
    expect(bytes[id3 + 1]! & 0xfe).toBe(0xf2);
    // 5 s at 32 kbps is ~20 kB.
    expect(bytes.length).toBeGreaterThan(15_000);
    expect(bytes.length).toBeLessThan(30_000);
    await audio.cleanup();
    expect(await leftovers()).toEqual([]);
  });

  it('splits a 21-minute, 40 MB file into chunks under 19 minutes and 24 MB', async () => {
    const long = await media.long();
    const audio = await extractAudioChunks(long, { ffmpeg: media.ffmpeg, workDir: work });
    try {
      expect(audio.durationSeconds).toBeCloseTo(1260, 0);
      expect(audio.chunks.map((c) => c.name)).toEqual(['chunk-000.mp3', 'chunk-001.mp3']);
      // 19 minutes at 32 kbps is 4.56 MB; the remaining 2 minutes about 0.48 MB.
      expect(audio.chunks[0]!.bytes).toBeGreaterThan(4_400_000);
      expect(audio.chunks[0]!.bytes).toBeLessThan(MAX_CHUNK_BYTES);
      expect(audio.chunks[1]!.bytes).toBeLessThan(700_000);
    } finally {
      await audio.cleanup();
    }
  });

  it('explains a file that is not media, and leaves nothing behind', async () => {
    const err = await failure(
      extractAudioChunks(await media.corrupt('holiday.mp4'), { ffmpeg: media.ffmpeg, workDir: work }),
    );
    expect(err.problem).toBe('unreadable');
    expect(err.message).toMatch(
      /^could not transcribe holiday\.mp4: it is not a video or audio file ffmpeg can read \(.+\)$/,
    );
    expect(err.message).not.toContain(work);
    expect(err.retryable).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('explains a video with no sound track and one whose sound is silent', async () => {
    const mute = await failure(
      extractAudioChunks(await media.mute(), { ffmpeg: media.ffmpeg, workDir: work }),
    );
    expect(mute.message).toBe('could not transcribe mute.mp4: the file has no sound track');
    const silent = await failure(
      extractAudioChunks(await media.silent(), { ffmpeg: media.ffmpeg, workDir: work, name: 'Monday.mp4' }),
    );
    expect(silent.message).toBe('could not transcribe Monday.mp4: the sound track is silent');
    expect(await leftovers()).toEqual([]);
  });

  it('does not blame the file when ffmpeg itself is killed (out of memory)', async () => {
    const killed = join(work, 'killed-ffmpeg.sh');
    await writeFile(killed, '#!/bin/sh\nkill -9 $$\n');
    await chmod(killed, 0o755);
    const err = await extractAudioChunks(await media.clip('fine.mp4'), {
      ffmpeg: killed,
      workDir: work,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).not.toBeInstanceOf(MediaError);
    expect((err as ServiceError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/^ffmpeg stopped while reading fine\.mp4/);
    expect(await leftovers()).toEqual([]);
  });

  it('stops ffmpeg when the run is cancelled', async () => {
    const long = await media.long();
    const abort = new AbortController();
    const pending = extractAudioChunks(long, { ffmpeg: media.ffmpeg, workDir: work, signal: abort.signal });
    // Mid-run: the chunk folder exists and ffmpeg is writing into it.
    await vi.waitFor(async () => expect(await leftovers()).toHaveLength(1));
    abort.abort(new Error('run cancelled'));
    await expect(pending).rejects.toThrow('run cancelled');
    expect(await leftovers()).toEqual([]);
  });
});
