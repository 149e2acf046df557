// transcribe and generateImage: the real SDK's multipart and image calls against the OpenAI emulator.
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import {
  generateImage,
  MAX_TRANSCRIBE_BYTES,
  ModerationBlockedError,
  OpenAIClient,
  type OpenAIClientOptions,
  transcribe,
} from '../../../connectors/openai/index.ts';
import { MODERATION_MARKER, OpenAIEmulator } from '../../../src/sandbox/openai/index.ts';
import { useEmulators } from '../../support/msw.ts';

const KEY = 'sk-test-media-0123456789';
const emulator = new OpenAIEmulator({ apiKeys: [KEY] });
useEmulators(emulator.handlers());

const client = (options: Partial<OpenAIClientOptions> = {}) =>
  new OpenAIClient({ apiKey: KEY, initialDelayMs: 1, maxDelayMs: 20, maxAttempts: 3, ...options });

/** A few MPEG-2 layer III frames at 32 kbps (16 kHz), after a tag saying what the "speaker" says. */
function mp3(text: string, frames = 10): Buffer {
  const tag = Buffer.from(
    `ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0020[[say:${text}]]`.padEnd(42, '\u0000'),
    'latin1',
  );
  const frame = Buffer.alloc(144, 0);
  frame.set([0xff, 0xf3, 0x48, 0xc4]); // MPEG-2, layer III, 32 kbps, 16 kHz
  return Buffer.concat([tag, ...Array.from({ length: frames }, () => frame)]);
}

const uploads = () => emulator.requests.count({ path: /audio\/transcriptions$/ });
const failure = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  return err as ServiceError;
};

beforeEach(() => emulator.reset());

describe('transcribe', () => {
  it('uploads a Buffer with the default model and returns the text', async () => {
    const text = await transcribe(client(), mp3('Three ideas for Tuesday'), 'chunk-000.mp3');
    expect(text).toBe('Three ideas for Tuesday');
    expect(emulator.transcriptions).toEqual([
      { model: 'gpt-transcribe', filename: 'chunk-000.mp3', bytes: mp3('x').length, text },
    ]);
  });

  it('sends the same Buffer again after a server error (a stream would not be retried)', async () => {
    emulator.faults.failNext(1, 503);
    const text = await transcribe(client(), mp3('second try'), 'chunk-000.mp3');
    expect(text).toBe('second try');
    expect(uploads()).toBe(2);
    expect(emulator.transcriptions).toHaveLength(1);
  });

  it('refuses a file over 25 MiB before sending it', async () => {
    const err = await failure(transcribe(client(), Buffer.alloc(MAX_TRANSCRIBE_BYTES + 1), 'big.mp3'));
    expect(err.message).toContain("over OpenAI's 25 MiB upload limit");
    expect(uploads()).toBe(0);
  });

  it('names CONTENT_TRANSCRIBE_MODEL when the model is unknown or shut down', async () => {
    const unknown = await failure(transcribe(client(), mp3('hi'), 'a.mp3', { model: 'gpt-9-transcribe' }));
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown.message).toBe(
      'model gpt-9-transcribe not found at OpenAI — check CONTENT_TRANSCRIBE_MODEL',
    );
    expect(uploads()).toBe(1);
  });
});

describe('generateImage', () => {
  it('always names the model and returns a PNG of the asked size', async () => {
    const png = await generateImage(client(), 'A calm desk at dawn');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1536, 1024]);
    expect(emulator.images).toMatchObject([
      { model: 'gpt-image-2', size: '1536x1024', prompt: 'A calm desk at dawn', blocked: false },
    ]);
    const square = await generateImage(client(), 'x', { model: 'gpt-image-2.1', size: '1024x1024' });
    expect(square.readUInt32BE(16)).toBe(1024);
  });

  it('turns moderation_blocked into ModerationBlockedError, without retrying', async () => {
    const err = await failure(generateImage(client(), `A picture ${MODERATION_MARKER}`));
    expect(err).toBeInstanceOf(ModerationBlockedError);
    expect(err.message).toContain("OpenAI's safety system refused the image prompt");
    expect(emulator.images).toHaveLength(1);
  });

  it('names CONTENT_IMAGE_MODEL for a retired model and CONTENT_IMAGE_SIZE for a wrong size', async () => {
    for (const model of ['dall-e-3', 'gpt-image-1']) {
      const err = await failure(generateImage(client(), 'x', { model }));
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.message).toBe(
        `model ${model} has been retired by OpenAI — set CONTENT_IMAGE_MODEL to a current model`,
      );
    }
    const size = await failure(generateImage(client(), 'x', { size: '512x512' }));
    expect(size.message).toContain('CONTENT_IMAGE_SIZE=512x512 is not a size the image models make');
    expect(emulator.requests.count({ path: /images\/generations$/ })).toBe(2);
  });
});
