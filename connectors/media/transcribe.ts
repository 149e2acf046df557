// A video or audio file → its transcript: sound extracted and chunked by ffmpeg, each chunk sent in order.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DEFAULT_TRANSCRIBE_MODEL, type OpenAIClient, transcribe } from '../openai/index.ts';
import { extractAudioChunks } from './audio.ts';
import { MediaError } from './errors.ts';

export interface TranscribeMediaOptions {
  openai: OpenAIClient;
  /** The ffmpeg binary (from `resolveFfmpeg(FFMPEG_PATH)`). */
  ffmpeg: string;
  /** Where the temporary audio chunks go (the data folder); they are deleted before this returns. */
  workDir: string;
  /** The file's name for messages (default: the path's base name). */
  name?: string;
  /** CONTENT_TRANSCRIBE_MODEL (default gpt-transcribe). */
  model?: string;
  /** Shorter chunks than the 19-minute default (never longer). */
  maxChunkSeconds?: number;
  /** Words to expect (names, jargon), passed with every chunk. */
  prompt?: string;
  /**
   * Runs each chunk's transcription, e.g. as a journaled step (`(i, send) => ctx.step(`chunk-${i}`,
   * send)`) so a restart does not send a finished chunk again. Default: just runs it.
   */
  eachChunk?: (index: number, send: () => Promise<string>) => Promise<string>;
  signal?: AbortSignal;
}

export interface Transcript {
  /** The chunks' texts in playing order, one paragraph each. */
  text: string;
  chunks: number;
  durationSeconds: number | undefined;
  model: string;
}

/**
 * Transcribes a video or audio file on disk: `extractAudioChunks` (mono 16 kHz MP3, at most 19
 * minutes and 24 MB a chunk), then `transcribe` for each chunk in order, joined. A 2-minute video
 * is one chunk; an hour is four. The temporary chunks are deleted whatever happens.
 * @throws MediaError (`could not transcribe <file>: <reason>`) for an unreadable file, no sound
 *   track, a silent one, or when no words were heard; ServiceError from OpenAI (retryable or not).
 */
export async function transcribeMedia(file: string, options: TranscribeMediaOptions): Promise<Transcript> {
  const name = options.name ?? basename(file);
  const model = options.model ?? DEFAULT_TRANSCRIBE_MODEL;
  const audio = await extractAudioChunks(file, {
    ffmpeg: options.ffmpeg,
    workDir: options.workDir,
    name,
    ...(options.maxChunkSeconds ? { maxChunkSeconds: options.maxChunkSeconds } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const run = options.eachChunk ?? ((_: number, send: () => Promise<string>) => send());
    const texts: string[] = [];
    for (const chunk of audio.chunks) {
      options.signal?.throwIfAborted();
      const send = async () =>
        transcribe(options.openai, await readFile(chunk.path), chunk.name, {
          model,
          ...(options.prompt ? { prompt: options.prompt } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      texts.push((await run(chunk.index, send)).trim());
    }
    const text = texts.filter(Boolean).join('\n\n');
    if (text === '') throw new MediaError(name, 'silent', 'no speech was heard');
    return { text, chunks: audio.chunks.length, durationSeconds: audio.durationSeconds, model };
  } finally {
    await audio.cleanup();
  }
}
