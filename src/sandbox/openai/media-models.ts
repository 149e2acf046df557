// Which transcription and image models the API serves (as of 2026-12), and what it says about the others.
import { openaiError } from './errors.ts';

/** Transcription models served. */
export const TRANSCRIBE_MODELS = ['gpt-transcribe'] as const;
/** Older transcription models, served until their shutdown day (2027-02-26), then refused. */
export const LEGACY_TRANSCRIBE_MODELS = [
  'whisper-1',
  'gpt-4o-transcribe',
  'gpt-4o-mini-transcribe',
  'gpt-4o-transcribe-diarize',
] as const;
export const LEGACY_TRANSCRIBE_SHUTDOWN = Date.UTC(2027, 1, 26);

/** Image models served; `gpt-image-2.x` names and dated snapshots are accepted too. */
export const IMAGE_MODELS = ['gpt-image-2', 'chatgpt-image-latest'] as const;
/** Image models already shut down: DALL·E (2026-05), gpt-image-1 (2026-10-23), its mini and 1.5 (2026-12-01). */
export const RETIRED_IMAGE_MODELS = [
  'dall-e-2',
  'dall-e-3',
  'gpt-image-1',
  'gpt-image-1-mini',
  'gpt-image-1.5',
] as const;

/** The transcription and image models the API serves at `now`, as `GET /models` lists them. */
export function servedMediaModels(now: number): string[] {
  return [
    ...TRANSCRIBE_MODELS,
    ...(now < LEGACY_TRANSCRIBE_SHUTDOWN ? LEGACY_TRANSCRIBE_MODELS : []),
    ...IMAGE_MODELS,
  ];
}

const base = (id: string): string => id.replace(/-\d{4}-\d{2}-\d{2}$/, '');

export type ModelStatus = 'current' | 'retired' | 'unknown';

export function transcribeModelStatus(id: string, now: number): ModelStatus {
  const name = base(id);
  if ((TRANSCRIBE_MODELS as readonly string[]).includes(name)) return 'current';
  if ((LEGACY_TRANSCRIBE_MODELS as readonly string[]).includes(name)) {
    return now < LEGACY_TRANSCRIBE_SHUTDOWN ? 'current' : 'retired';
  }
  return 'unknown';
}

export function imageModelStatus(id: string): ModelStatus {
  const name = base(id);
  if ((IMAGE_MODELS as readonly string[]).includes(name) || /^gpt-image-2\.\d+$/.test(name)) return 'current';
  if ((RETIRED_IMAGE_MODELS as readonly string[]).includes(name)) return 'retired';
  return 'unknown';
}

/** The API's answer for a model it does not serve: 404 `model_not_found`, worded for a shut-down one. */
export function modelRefused(id: string, status: ModelStatus): Response {
  return openaiError(404, {
    message:
      status === 'retired'
        ? `The model \`${id}\` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations`
        : `The model \`${id}\` does not exist or you do not have access to it.`,
    code: 'model_not_found',
  });
}
