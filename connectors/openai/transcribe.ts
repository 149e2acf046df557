// Speech to text: one audio file (a Buffer, so a failed upload can be sent again) → its transcript.

import { z } from 'zod';
import { ServiceError } from '../core/index.ts';
import type { OpenAIClient } from './client.ts';
import { openaiSdk } from './sdk.ts';

/** CONTENT_TRANSCRIBE_MODEL's default: the current file transcription model (JSON output only). */
export const DEFAULT_TRANSCRIBE_MODEL = 'gpt-transcribe';
/** OpenAI's upload limit for one audio file. */
export const MAX_TRANSCRIBE_BYTES = 25 * 1024 * 1024;

export interface TranscribeOptions {
  /** Default DEFAULT_TRANSCRIBE_MODEL. */
  model?: string;
  /** The setting that chose the model, named when OpenAI refuses it (default CONTENT_TRANSCRIBE_MODEL). */
  modelSetting?: string;
  /** Words to expect (names, jargon): OpenAI's `prompt`. */
  prompt?: string;
  /** ISO-639-1 language of the speech, when known. */
  language?: string;
  signal?: AbortSignal;
}

const AUDIO_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  mpga: 'audio/mpeg',
  mpeg: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'audio/mp4',
  wav: 'audio/wav',
  webm: 'audio/webm',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  flac: 'audio/flac',
};

const Transcription = z.object({ text: z.string() });

/**
 * The transcript of one audio file of at most 25 MiB (`filename`'s extension tells OpenAI the
 * format: `chunk-000.mp3`). Sent as a Buffer through the SDK's `toFile`, in JSON output, under the
 * client's policy: rate limits and server errors are retried (a Buffer upload can be; a stream
 * never is), a refused model fails at once naming `modelSetting`.
 * @throws ServiceError: over 25 MiB (before sending), or as OpenAIClient describes failures.
 */
export async function transcribe(
  client: OpenAIClient,
  chunk: Buffer,
  filename: string,
  options: TranscribeOptions = {},
): Promise<string> {
  if (chunk.length > MAX_TRANSCRIBE_BYTES) {
    throw new ServiceError(
      'openai',
      `${filename} is ${chunk.length} bytes, over OpenAI's 25 MiB upload limit`,
      {
        hint: 'split the audio first (transcribeMedia does)',
      },
    );
  }
  const model = options.model ?? DEFAULT_TRANSCRIBE_MODEL;
  const extension = /\.([^.]+)$/.exec(filename)?.[1]?.toLowerCase() ?? '';
  const answer = await client.call(
    'audio.transcriptions.create',
    async (sdk) =>
      sdk.audio.transcriptions.create(
        {
          model,
          file: await openaiSdk().toFile(chunk, filename, {
            type: AUDIO_TYPES[extension] ?? 'application/octet-stream',
          }),
          response_format: 'json',
          ...(options.prompt ? { prompt: options.prompt } : {}),
          ...(options.language ? { language: options.language } : {}),
        },
        options.signal ? { signal: options.signal } : {},
      ),
    { model, modelSetting: options.modelSetting ?? 'CONTENT_TRANSCRIBE_MODEL' },
  );
  const parsed = Transcription.safeParse(answer);
  if (!parsed.success) {
    throw new ServiceError('openai', 'OpenAI answered a transcription without its text', { retryable: true });
  }
  return parsed.data.text;
}
