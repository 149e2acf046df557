// The media variables of the content recipe, checked with zod: spread into the recipe's env schema.
import { z } from 'zod';
import {
  DEFAULT_IMAGE_MODEL,
  DEFAULT_IMAGE_SIZE,
  DEFAULT_TRANSCRIBE_MODEL,
  IMAGE_SIZES,
} from '../openai/index.ts';
import { DEFAULT_MAX_VIDEO_MB } from './drive-input.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = (fallback: string) => z.preprocess(blank, z.string().trim().default(fallback));

/**
 * `CONTENT_MAX_VIDEO_MB` (whole MB, default 2048), `FFMPEG_PATH` (optional), `CONTENT_TRANSCRIBE_MODEL`
 * (default gpt-transcribe), `CONTENT_IMAGE_MODEL` (default gpt-image-2), `CONTENT_IMAGE_SIZE`
 * (1024x1024, 1536x1024, 1024x1536 or auto; default 1536x1024). Blank counts as unset.
 */
export const MediaEnvFields = {
  CONTENT_MAX_VIDEO_MB: z.preprocess(
    blank,
    z.coerce
      .number({ error: 'must be a whole number of megabytes' })
      .int({ error: 'must be a whole number of megabytes' })
      .min(1, { error: 'must be at least 1' })
      .default(DEFAULT_MAX_VIDEO_MB),
  ),
  FFMPEG_PATH: z.preprocess(blank, z.string().optional()),
  CONTENT_TRANSCRIBE_MODEL: text(DEFAULT_TRANSCRIBE_MODEL),
  CONTENT_IMAGE_MODEL: text(DEFAULT_IMAGE_MODEL),
  CONTENT_IMAGE_SIZE: z.preprocess(
    blank,
    z.enum(IMAGE_SIZES, { error: `must be one of ${IMAGE_SIZES.join(', ')}` }).default(DEFAULT_IMAGE_SIZE),
  ),
};

export const MediaEnv = z.object(MediaEnvFields);
export type MediaSettings = z.infer<typeof MediaEnv>;
