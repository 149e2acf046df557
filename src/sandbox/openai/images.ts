// POST /images/generations for the GPT image models: checked like the real API, answered with a real PNG.
import { HttpResponse } from 'msw';
import { z } from 'zod';
import { invalidRequest, openaiError } from './errors.ts';
import { imageModelStatus, modelRefused } from './media-models.ts';
import { samplePng } from './png.ts';

/** A prompt containing this is refused by the safety system (400 `moderation_blocked`). */
export const MODERATION_MARKER = '[[blocked]]';

export const IMAGE_SIZES = ['1024x1024', '1536x1024', '1024x1536', 'auto'] as const;
const QUALITIES = ['low', 'medium', 'high', 'auto'];
const OUTPUT_FORMATS = ['png', 'jpeg', 'webp'];
const MAX_PROMPT = 32_000;

/** One image request as the emulator read it. */
export interface ImageRequest {
  model: string;
  prompt: string;
  size: (typeof IMAGE_SIZES)[number];
  quality: string;
  n: number;
}

const Body = z.looseObject({
  model: z.unknown().optional(),
  prompt: z.unknown().optional(),
  n: z.unknown().optional(),
  size: z.unknown().optional(),
  quality: z.unknown().optional(),
  output_format: z.unknown().optional(),
  response_format: z.unknown().optional(),
});

/**
 * Reads a `POST /images/generations` body. A missing `model` means `dall-e-2`, as the API does, and
 * that model is shut down. @throws Response: 404 for a retired or unknown model; 400 for a missing
 * prompt, `response_format` (DALL·E only), a size, quality, n or output format outside the lists.
 */
export async function readImageRequest(request: Request): Promise<ImageRequest> {
  const parsed = Body.safeParse(await request.json().catch(() => undefined));
  if (!parsed.success) throw invalidRequest('We could not parse the JSON body of your request.');
  const body = parsed.data;
  const model = body.model === undefined || body.model === null ? 'dall-e-2' : String(body.model);
  const status = imageModelStatus(model);
  if (status !== 'current') throw modelRefused(model, status);
  if (typeof body.prompt !== 'string' || body.prompt === '') {
    throw invalidRequest("Missing required parameter: 'prompt'.", 'prompt', 'missing_required_parameter');
  }
  if (body.prompt.length > MAX_PROMPT) {
    throw invalidRequest(
      `Invalid 'prompt': string too long. Expected a string with maximum length ${MAX_PROMPT}, but got a string with length ${body.prompt.length} instead.`,
      'prompt',
      'string_above_max_length',
    );
  }
  if (body.response_format !== undefined && body.response_format !== null) {
    throw invalidRequest("Unknown parameter: 'response_format'.", 'response_format', 'unknown_parameter');
  }
  const size = body.size ?? 'auto';
  if (!(IMAGE_SIZES as readonly unknown[]).includes(size)) throw invalidValue('size', size, IMAGE_SIZES);
  const quality = body.quality ?? 'auto';
  if (!QUALITIES.includes(String(quality))) throw invalidValue('quality', quality, QUALITIES);
  const format = body.output_format ?? 'png';
  if (!OUTPUT_FORMATS.includes(String(format))) throw invalidValue('output_format', format, OUTPUT_FORMATS);
  if (format !== 'png') throw invalidRequest('The emulator renders output_format png only.', 'output_format');
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10) {
    throw invalidRequest(`Invalid 'n': expected an integer between 1 and 10.`, 'n', 'invalid_value');
  }
  return { model, prompt: body.prompt, size: size as ImageRequest['size'], quality: String(quality), n };
}

/** The safety system's refusal. */
export function moderationBlocked(): Response {
  return openaiError(400, {
    message:
      'Your request was rejected as a result of our safety system. Your request may contain content that is not allowed by our safety system.',
    type: 'image_generation_user_error',
    code: 'moderation_blocked',
  });
}

/** `{created, data: [{b64_json}], …}`: GPT image models always answer base64 PNGs. */
export function imagesResponse(image: ImageRequest, createdSec: number, requestId: string): Response {
  const [width, height] = (image.size === 'auto' ? '1024x1024' : image.size).split('x').map(Number);
  const data = Array.from({ length: image.n }, (_, i) => ({
    b64_json: samplePng(width!, height!, `${image.model}|${image.prompt}|${i}`).toString('base64'),
  }));
  const textTokens = Math.ceil(image.prompt.length / 4);
  const outputTokens = 1056 * image.n;
  return HttpResponse.json(
    {
      created: createdSec,
      background: 'opaque',
      data,
      output_format: 'png',
      quality: image.quality === 'auto' ? 'medium' : image.quality,
      size: `${width}x${height}`,
      usage: {
        input_tokens: textTokens,
        input_tokens_details: { image_tokens: 0, text_tokens: textTokens },
        output_tokens: outputTokens,
        total_tokens: textTokens + outputTokens,
      },
    },
    { headers: { 'x-request-id': requestId } },
  );
}

function invalidValue(param: string, value: unknown, allowed: readonly string[]): Response {
  const list = allowed.map((v) => `'${v}'`);
  const said = `${list.slice(0, -1).join(', ')}, and ${list.at(-1)}`;
  return invalidRequest(
    `Invalid value: '${String(value)}'. Supported values are: ${said}.`,
    param,
    'invalid_value',
  );
}
