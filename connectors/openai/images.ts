// One image from a prompt with a GPT image model: always naming the model, always base64, as a Buffer.

import { z } from 'zod';
import { ServiceError } from '../core/index.ts';
import type { OpenAIClient } from './client.ts';
import { isApiError } from './sdk.ts';

/** CONTENT_IMAGE_MODEL's default. The SDK's own default when no model is sent is the retired dall-e-2. */
export const DEFAULT_IMAGE_MODEL = 'gpt-image-2';
/** CONTENT_IMAGE_SIZE's default: landscape, as a LinkedIn post's picture. */
export const DEFAULT_IMAGE_SIZE = '1536x1024';
/** The sizes GPT image models make. */
export const IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

export interface ImageOptions {
  /** Default DEFAULT_IMAGE_MODEL. */
  model?: string;
  /** Default DEFAULT_IMAGE_SIZE; anything outside IMAGE_SIZES is refused before sending. */
  size?: string;
  quality?: 'low' | 'medium' | 'high' | 'auto';
  /** Settings named in errors (defaults CONTENT_IMAGE_MODEL and CONTENT_IMAGE_SIZE). */
  settings?: { model?: string; size?: string };
  signal?: AbortSignal;
}

/** OpenAI's safety system refused the prompt: another prompt may pass; the same one will not. */
export class ModerationBlockedError extends ServiceError {
  override readonly name = 'ModerationBlockedError';
}

const Images = z.object({ data: z.array(z.object({ b64_json: z.string().min(1) })).min(1) });

/**
 * A PNG for `prompt`, as a Buffer. The model is always sent (the SDK would otherwise ask for the
 * retired dall-e-2) and no `response_format` (GPT image models always answer base64).
 * @throws ModerationBlockedError for 400 `moderation_blocked`; ServiceError for a size outside
 *   IMAGE_SIZES (naming the setting), a retired model, and as OpenAIClient describes failures.
 */
export async function generateImage(
  client: OpenAIClient,
  prompt: string,
  options: ImageOptions = {},
): Promise<Buffer> {
  const model = options.model ?? DEFAULT_IMAGE_MODEL;
  const size = options.size ?? DEFAULT_IMAGE_SIZE;
  const sizeSetting = options.settings?.size ?? 'CONTENT_IMAGE_SIZE';
  if (!isImageSize(size)) {
    throw new ServiceError('openai', `${sizeSetting}=${size} is not a size the image models make`, {
      hint: `use one of ${IMAGE_SIZES.join(', ')}`,
    });
  }
  let answer: unknown;
  try {
    answer = await client.call(
      'images.generate',
      (sdk) =>
        sdk.images.generate(
          {
            model,
            prompt,
            size,
            output_format: 'png',
            n: 1,
            ...(options.quality ? { quality: options.quality } : {}),
          },
          options.signal ? { signal: options.signal } : {},
        ),
      { model, modelSetting: options.settings?.model ?? 'CONTENT_IMAGE_MODEL' },
    );
  } catch (err) {
    if (isModerationBlocked(err)) {
      throw new ModerationBlockedError('openai', "OpenAI's safety system refused the image prompt", {
        status: 400,
        hint: 'change the direction for the picture and try again',
        cause: err,
      });
    }
    throw err;
  }
  const parsed = Images.safeParse(answer);
  if (!parsed.success) {
    throw new ServiceError('openai', 'OpenAI answered an image request without base64 image data', {
      hint: `check that ${options.settings?.model ?? 'CONTENT_IMAGE_MODEL'} is a GPT image model`,
    });
  }
  return Buffer.from(parsed.data.data[0]!.b64_json, 'base64');
}

export function isImageSize(value: string): value is ImageSize {
  return (IMAGE_SIZES as readonly string[]).includes(value);
}

/** True when `err` (or what it wraps) is OpenAI's 400 `moderation_blocked`. */
function isModerationBlocked(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (isApiError(e)) return e.code === 'moderation_blocked';
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
