// A video or audio file → mono 16 kHz 32 kbps MP3 chunks small and short enough to transcribe.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ServiceError } from '../core/index.ts';
import { MediaError } from './errors.ts';
import { FfmpegFailed, lastLine, runFfmpeg } from './ffmpeg.ts';

/**
 * Longest chunk, in seconds: under OpenAI's 20-minute advice with room to spare (the gpt-4o
 * transcribe models were seen refusing audio over ~1,400 s, and a segment can run a frame long).
 */
export const MAX_CHUNK_SECONDS = 19 * 60;
/** Largest chunk: under OpenAI's 25 MiB upload limit. At 32 kbps a 19-minute chunk is ~4.6 MB. */
export const MAX_CHUNK_BYTES = 24_000_000;
/** A sound track whose loudest sample is quieter than this (dBFS) holds no speech. */
export const SILENCE_DB = -70;

export interface AudioChunk {
  /** 0, 1, 2… in playing order. */
  index: number;
  path: string;
  /** `chunk-000.mp3`: the file name to upload (its extension tells OpenAI the format). */
  name: string;
  bytes: number;
}

export interface AudioChunks {
  /** The temporary folder holding the chunks (inside `workDir`). */
  dir: string;
  chunks: AudioChunk[];
  /** The input's length as ffmpeg read it, when it said. */
  durationSeconds: number | undefined;
  /** Deletes the chunks and their folder; safe to call twice. */
  cleanup(): Promise<void>;
}

export interface ExtractOptions {
  /** The ffmpeg binary (from `resolveFfmpeg`). */
  ffmpeg: string;
  /** Where the temporary chunk folder is made (the data folder). */
  workDir: string;
  /** The file's name for messages (default: the input's base name). */
  name?: string;
  /** Shorter chunks (default MAX_CHUNK_SECONDS); longer is refused. */
  maxChunkSeconds?: number;
  signal?: AbortSignal;
}

/**
 * Extracts the first sound track of `input` as mono 16 kHz 32 kbps MP3 (`-vn -ac 1 -ar 16000 -b:a
 * 32k`, about 14 MB an hour) and splits it with ffmpeg's segment muxer into chunks of at most
 * `maxChunkSeconds` (`-f segment -segment_time N -reset_timestamps 1`), in one ffmpeg run that also
 * measures the loudness (`volumedetect`). Call `cleanup()` when done; on failure nothing is left.
 * @throws MediaError `unreadable` (not a media file ffmpeg can read), `no-audio` (no sound track),
 *   `silent` (a sound track with nothing in it), `too-large` (a chunk over MAX_CHUNK_BYTES);
 *   FfmpegUnavailableError when ffmpeg does not start; a retryable ServiceError when ffmpeg is
 *   killed or the disk is full.
 */
export async function extractAudioChunks(input: string, options: ExtractOptions): Promise<AudioChunks> {
  const name = options.name ?? basename(input);
  const seconds = Math.min(options.maxChunkSeconds ?? MAX_CHUNK_SECONDS, MAX_CHUNK_SECONDS);
  const dir = await mkdtemp(join(options.workDir, 'audio-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    let stderr: string;
    try {
      ({ stderr } = await runFfmpeg(options.ffmpeg, audioArgs(input, dir, seconds), options.signal));
    } catch (err) {
      if (err instanceof FfmpegFailed) throw unreadable(name, input, err);
      throw err;
    }
    const maxVolume = /max_volume:\s*(-inf|-?\d+(?:\.\d+)?)\s*dB/.exec(stderr)?.[1];
    if (maxVolume === undefined || maxVolume === '-inf' || Number(maxVolume) <= SILENCE_DB) {
      throw new MediaError(name, 'silent', 'the sound track is silent');
    }
    const chunks = await listChunks(dir);
    if (chunks.length === 0) throw new MediaError(name, 'no-audio', 'ffmpeg found no sound to extract');
    const big = chunks.find((c) => c.bytes > MAX_CHUNK_BYTES);
    if (big) {
      throw new MediaError(
        name,
        'too-large',
        `audio chunk ${big.index + 1} is ${big.bytes} bytes, over the upload limit`,
      );
    }
    return { dir, chunks, durationSeconds: durationOf(stderr), cleanup };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** The exact ffmpeg arguments: first sound track only, no video, one MP3 file per chunk. */
export function audioArgs(input: string, dir: string, segmentSeconds: number): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info'],
    ...['-i', input],
    ...['-map', '0:a:0', '-vn', '-ac', '1', '-ar', '16000', '-b:a', '32k'],
    // LAME's fastest algorithm: plenty for speech at 32 kbps, and 3x quicker on a busy machine.
    ...['-c:a', 'libmp3lame', '-compression_level', '9', '-af', 'volumedetect'],
    ...['-f', 'segment', '-segment_time', String(segmentSeconds), '-reset_timestamps', '1'],
    join(dir, 'chunk-%03d.mp3'),
  ];
}

/**
 * What a failed ffmpeg run means. Killed by a signal (out of memory) or out of disk space is not the
 * file's fault: a retryable ServiceError. Otherwise the file is at fault: a MediaError.
 */
function unreadable(name: string, input: string, err: FfmpegFailed): ServiceError {
  const said = lastLine(err.stderr.split(input).join(name));
  if (err.exitCode === null || /No space left on device/i.test(err.stderr)) {
    return new ServiceError('media', `ffmpeg stopped while reading ${name}: ${said}`, {
      retryable: true,
      hint: 'check free disk space and memory in the data folder; Baton tries again',
      cause: err,
    });
  }
  if (/matches no streams|does not contain any stream/i.test(err.stderr)) {
    return new MediaError(name, 'no-audio', 'the file has no sound track', { cause: err });
  }
  return new MediaError(name, 'unreadable', `it is not a video or audio file ffmpeg can read (${said})`, {
    cause: err,
  });
}

async function listChunks(dir: string): Promise<AudioChunk[]> {
  const names = (await readdir(dir)).filter((n) => /^chunk-\d{3,}\.mp3$/.test(n)).sort();
  return Promise.all(
    names.map(async (chunkName, index) => {
      const path = join(dir, chunkName);
      return { index, path, name: chunkName, bytes: (await stat(path)).size };
    }),
  );
}

function durationOf(stderr: string): number | undefined {
  const m = /Duration:\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(stderr);
  return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}
