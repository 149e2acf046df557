// The OpenAI emulator's audio transcriptions and image generations, driven by the real SDK.
import OpenAI, { APIError, toFile } from 'openai';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import {
  LEGACY_TRANSCRIBE_SHUTDOWN,
  MAX_AUDIO_BYTES,
  MODERATION_MARKER,
  mp3Seconds,
  OpenAIEmulator,
} from '../../src/sandbox/openai/index.ts';
import { useEmulators } from '../support/msw.ts';

const KEY = 'sk-test-emulator-media-0123';
const emulator = new OpenAIEmulator({ apiKeys: [KEY], clock: new ManualClock(Date.UTC(2026, 11, 1, 9)) });
// The same API after the older transcription models' shutdown day (a clock only moves forward).
const LATER = 'https://later.example/v1';
const later = new OpenAIEmulator({
  apiKeys: [KEY],
  baseUrl: LATER,
  clock: new ManualClock(LEGACY_TRANSCRIBE_SHUTDOWN),
});
useEmulators(emulator.handlers(), later.handlers());

// The SDK's own retries off: under msw a retried FormData upload may never settle (API-NOTES). A
// fetch carrying `Response` spares the SDK its `data:,` probe, which msw would report as unhandled.
const sdk = (baseURL?: string) =>
  new OpenAI({
    apiKey: KEY,
    ...(baseURL ? { baseURL } : {}),
    maxRetries: 0,
    fetch: Object.assign((...args: Parameters<typeof fetch>) => globalThis.fetch(...args), { Response }),
  });

/** `frames` MPEG-2 layer III frames at 32 kbps (144 bytes, 36 ms each), with `[[say:…]]` before them. */
function mp3(frames: number, say?: string): Buffer {
  const frame = Buffer.alloc(144, 0);
  frame.set([0xff, 0xf3, 0x48, 0xc4]);
  const head = say ? Buffer.from(`[[say:${say}]]`) : Buffer.alloc(0);
  // A marker outside an ID3 tag would hide the frame sync: keep it inside the first frame's data.
  const first = Buffer.from(frame);
  head.copy(first, 8);
  return Buffer.concat([first, ...Array.from({ length: frames - 1 }, () => frame)]);
}

async function refusal(promise: Promise<unknown>): Promise<APIError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(APIError);
  return err as APIError;
}

const transcribe = async (
  bytes: Buffer,
  name: string,
  model = 'gpt-transcribe',
  extra: object = {},
  baseURL?: string,
) => sdk(baseURL).audio.transcriptions.create({ model, file: await toFile(bytes, name), ...extra });

beforeEach(() => {
  emulator.reset();
  later.reset();
});

describe('POST /audio/transcriptions', () => {
  it('answers JSON: the [[say:…]] text, a scripted text, or a labelled description', async () => {
    expect((await transcribe(mp3(30, 'Hello LinkedIn'), 'a.mp3')).text).toBe('Hello LinkedIn');
    expect((await transcribe(mp3(1000), 'chunk-001.mp3')).text).toBe(
      '[sample] transcript of chunk-001.mp3 (36 s of audio).',
    );
    emulator.transcribeWith((upload) => `part ${upload.filename}`);
    expect((await transcribe(mp3(30), 'chunk-002.mp3')).text).toBe('part chunk-002.mp3');
    expect(emulator.transcriptions.map((t) => t.filename)).toEqual([
      'a.mp3',
      'chunk-001.mp3',
      'chunk-002.mp3',
    ]);
  });

  it('reads an MP3 length from its frame header', () => {
    expect(mp3Seconds(mp3(1000))).toBeCloseTo(36, 0);
    expect(mp3Seconds(Buffer.from('not audio at all'))).toBeUndefined();
  });

  it('answers 413 for a file over 25 MiB', async () => {
    const big = Buffer.alloc(MAX_AUDIO_BYTES + 1);
    mp3(1).copy(big);
    const err = await refusal(transcribe(big, 'big.mp3'));
    expect(err.status).toBe(413);
    expect(err.message).toContain(`Maximum content size limit (${MAX_AUDIO_BYTES}) exceeded`);
    expect(emulator.transcriptions).toHaveLength(0);
  });

  it('refuses formats by extension and bytes that are no audio', async () => {
    const ext = await refusal(transcribe(mp3(5), 'notes.txt'));
    expect([ext.status, ext.message]).toEqual([400, expect.stringContaining('Invalid file format')]);
    const junk = await refusal(transcribe(Buffer.from('definitely not audio data'), 'fake.mp3'));
    expect([junk.status, junk.code]).toEqual([400, 'invalid_value']);
    expect(junk.message).toContain('Audio file might be corrupted or unsupported');
  });

  it('takes only JSON from gpt-transcribe, and refuses audio over 1,500 s', async () => {
    const text = await refusal(transcribe(mp3(5), 'a.mp3', 'gpt-transcribe', { response_format: 'srt' }));
    expect([text.status, text.param]).toEqual([400, 'response_format']);
    const long = await refusal(transcribe(mp3(42_000), 'long.mp3'));
    expect(long.message).toMatch(/^400 audio duration 1512\.0 seconds is longer than 1500 seconds/);
  });

  it('lists the current audio and image models, and not the retired ones', async () => {
    const ids: string[] = [];
    for await (const model of sdk().models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-transcribe', 'whisper-1', 'gpt-image-2']));
    expect(ids).not.toContain('dall-e-3');
    const after: string[] = [];
    for await (const model of sdk(LATER).models.list()) after.push(model.id);
    expect(after).toContain('gpt-transcribe');
    expect(after).not.toContain('whisper-1');
  });

  it('refuses unknown models, and the older models after their shutdown day', async () => {
    const unknown = await refusal(transcribe(mp3(5), 'a.mp3', 'gpt-9-transcribe'));
    expect([unknown.status, unknown.code]).toEqual([404, 'model_not_found']);
    expect((await transcribe(mp3(5, 'still here'), 'a.mp3', 'whisper-1')).text).toBe('still here');
    for (const model of ['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe']) {
      const err = await refusal(transcribe(mp3(5), 'a.mp3', model, {}, LATER));
      expect(err.status).toBe(404);
      expect(err.message).toContain(`The model \`${model}\` has been deprecated`);
    }
    expect((await transcribe(mp3(5, 'current'), 'a.mp3', 'gpt-transcribe', {}, LATER)).text).toBe('current');
  });
});

describe('POST /images/generations', () => {
  const generate = (body: Record<string, unknown>) =>
    sdk().images.generate(body as unknown as OpenAI.ImageGenerateParamsNonStreaming);

  it('answers base64 PNGs of the asked size (auto: square)', async () => {
    const result = await generate({ model: 'gpt-image-2', prompt: 'a lighthouse', size: '1024x1536', n: 2 });
    expect(result.data).toHaveLength(2);
    const png = Buffer.from(result.data![0]!.b64_json!, 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1536]);
    expect(result.data![0]!.url).toBeUndefined();
    const auto = await generate({ model: 'gpt-image-2', prompt: 'a lighthouse' });
    expect(Buffer.from(auto.data![0]!.b64_json!, 'base64').readUInt32BE(16)).toBe(1024);
  });

  it('refuses DALL·E and gpt-image-1 names as retired, and a request without a model (dall-e-2)', async () => {
    for (const model of [
      'dall-e-2',
      'dall-e-3',
      'gpt-image-1',
      'gpt-image-1-mini',
      'gpt-image-1.5',
      undefined,
    ]) {
      const err = await refusal(generate({ prompt: 'x', ...(model ? { model } : {}) }));
      expect([err.status, err.code]).toEqual([404, 'model_not_found']);
      expect(err.message).toContain(`The model \`${model ?? 'dall-e-2'}\` has been deprecated`);
    }
    expect(emulator.images).toHaveLength(0);
  });

  it('refuses response_format, sizes outside the list, and answers moderation_blocked on the marker', async () => {
    const format = await refusal(generate({ model: 'gpt-image-2', prompt: 'x', response_format: 'url' }));
    expect([format.status, format.code]).toEqual([400, 'unknown_parameter']);
    const size = await refusal(generate({ model: 'gpt-image-2', prompt: 'x', size: '1792x1024' }));
    expect([size.status, size.param]).toEqual([400, 'size']);
    const blocked = await refusal(generate({ model: 'gpt-image-2', prompt: `x ${MODERATION_MARKER}` }));
    expect([blocked.status, blocked.code]).toEqual([400, 'moderation_blocked']);
    emulator.blockImagesWhen((prompt) => prompt.includes('forbidden'));
    const scripted = await refusal(generate({ model: 'gpt-image-2', prompt: 'a forbidden idea' }));
    expect(scripted.code).toBe('moderation_blocked');
    expect(emulator.images.map((i) => i.blocked)).toEqual([true, true]);
  });
});
