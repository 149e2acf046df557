// transcribeMedia: real ffmpeg chunks sent through the real SDK to the OpenAI emulator, in order.
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MediaError, transcribeMedia } from '../../../connectors/media/index.ts';
import { OpenAIClient } from '../../../connectors/openai/index.ts';
import { OpenAIEmulator } from '../../../src/sandbox/openai/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { mediaFolder, saying } from './media-files.ts';

const KEY = 'sk-test-transcribe-media-01';
const emulator = new OpenAIEmulator({ apiKeys: [KEY] });
useEmulators(emulator.handlers());

let media: Awaited<ReturnType<typeof mediaFolder>>;
beforeAll(async () => {
  media = await mediaFolder();
});
afterAll(() => media.dispose());
beforeEach(() => emulator.reset());

const options = () => ({
  openai: new OpenAIClient({ apiKey: KEY, initialDelayMs: 1, maxDelayMs: 10, maxAttempts: 3 }),
  ffmpeg: media.ffmpeg,
  workDir: media.dir,
});
const leftovers = async () => (await readdir(media.dir)).filter((n) => n.startsWith('audio-'));

describe('transcribeMedia', () => {
  it('transcribes a short clip in one chunk with gpt-transcribe', async () => {
    const clip = await media.clip('monday.mp4', 5, saying('Today: three lessons from our launch.'));
    const transcript = await transcribeMedia(clip, options());
    expect(transcript).toEqual({
      text: 'Today: three lessons from our launch.',
      chunks: 1,
      durationSeconds: expect.closeTo(5, 0),
      model: 'gpt-transcribe',
    });
    expect(emulator.transcriptions).toMatchObject([{ model: 'gpt-transcribe', filename: 'chunk-000.mp3' }]);
    expect(await leftovers()).toEqual([]);
  });

  it('sends the chunks in order and joins their texts', async () => {
    // The 19-minute split of a long file is tested in audio.test.ts; 2 s chunks keep this one quick.
    const clip = await media.clip('talk.mp4', 5);
    emulator.transcribeWith((upload) => `words of ${upload.filename}`);
    const steps: number[] = [];
    const transcript = await transcribeMedia(clip, {
      ...options(),
      maxChunkSeconds: 2,
      eachChunk: (index, send) => {
        steps.push(index);
        return send();
      },
    });
    expect(transcript.chunks).toBe(3);
    expect(steps).toEqual([0, 1, 2]);
    expect(transcript.text).toBe(
      'words of chunk-000.mp3\n\nwords of chunk-001.mp3\n\nwords of chunk-002.mp3',
    );
    expect(emulator.transcriptions.map((t) => t.filename)).toEqual([
      'chunk-000.mp3',
      'chunk-001.mp3',
      'chunk-002.mp3',
    ]);
    expect(await leftovers()).toEqual([]);
  });

  it('explains a corrupt file without calling OpenAI', async () => {
    const err = await transcribeMedia(await media.corrupt('Tuesday.mov'), options()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MediaError);
    expect((err as Error).message).toMatch(
      /^could not transcribe Tuesday\.mov: it is not a video or audio file/,
    );
    expect(emulator.requests.count()).toBe(0);
  });

  it('says no speech was heard when every chunk comes back empty, and cleans up', async () => {
    emulator.transcribeWith(() => '  ');
    const err = await transcribeMedia(await media.clip('quiet.mp4'), {
      ...options(),
      name: 'Quiet take',
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('could not transcribe Quiet take: no speech was heard');
    expect(await leftovers()).toEqual([]);
  });
});
