// Videos from a Drive folder: accepted types, the stable-size rule, the capped download, then a transcript.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { driveFileKey, FileTooLargeError } from '../../../connectors/drive/index.ts';
import { downloadMedia, newMediaFiles, transcribeMedia } from '../../../connectors/media/index.ts';
import { OpenAIClient } from '../../../connectors/openai/index.ts';
import { OpenAIEmulator } from '../../../src/sandbox/openai/index.ts';
import type { PollContext } from '../../../src/triggers/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { driveWorld, memoryCursor, pollContext } from '../drive/setup.ts';
import { mediaFolder, saying } from './media-files.ts';

const KEY = 'sk-test-drive-media-0123';
const { clock, auth, emulator: drive, client } = driveWorld();
const openai = new OpenAIEmulator({ apiKeys: [KEY] });
useEmulators(auth.handlers(), drive.handlers(), openai.handlers());

let media: Awaited<ReturnType<typeof mediaFolder>>;
beforeAll(async () => {
  media = await mediaFolder();
});
afterAll(() => media.dispose());

let folder: string;
beforeEach(() => {
  folder = drive.createFolder('Daily videos');
});

/** A poll context whose debug lines are kept. */
function recordingContext(cursor = memoryCursor()): PollContext & { lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(String((JSON.parse(chunk.toString()) as { msg: unknown }).msg));
      done();
    },
  });
  return { ...pollContext(clock, cursor), log: pino({ level: 'debug' }, sink), lines };
}

const keys = async (trigger: ReturnType<typeof newMediaFiles>, ctx: PollContext) =>
  ((await trigger.poll(ctx)).items ?? []).map((i) => i.key);

describe('newMediaFiles', () => {
  it('takes mp4, mov, webm, m4a and mp3 files and skips the rest with a debug line', async () => {
    const trigger = newMediaFiles(client(), { folderId: folder, startFrom: 'all' });
    const ctx = recordingContext();
    const taken = [
      ['a.mp4', 'video/mp4'],
      ['b.MOV', 'video/quicktime'],
      ['c.webm', 'video/webm'],
      ['d.m4a', 'audio/x-m4a'],
      ['e.mp3', 'audio/mpeg'],
    ].map(([name, mimeType]) => drive.addFile(folder, { name: name!, mimeType: mimeType!, bytes: 'media' }));
    drive.addFile(folder, { name: 'script.txt', mimeType: 'text/plain', bytes: 'text' });
    drive.addFile(folder, { name: 'thumb.jpg', mimeType: 'image/jpeg', bytes: 'jpeg' });
    expect(await keys(trigger, ctx)).toEqual([]); // sizes seen once
    // Same creation time: Drive's order between them is by id, so compare sorted.
    expect(ctx.lines.filter((l) => l.includes('ignored')).sort()).toEqual([
      "Drive file 'script.txt' (text/plain) ignored: not a type this trigger takes",
      "Drive file 'thumb.jpg' (image/jpeg) ignored: not a type this trigger takes",
    ]);
    expect((await keys(trigger, ctx)).sort()).toEqual(taken.map(driveFileKey).sort());
    expect(await keys(trigger, ctx)).toEqual([]);
    expect(ctx.lines.filter((l) => l.includes('ignored'))).toHaveLength(2); // each said once
  });

  it('leaves a file alone while its size changes, across a restart too', async () => {
    const cursor = memoryCursor();
    const first = newMediaFiles(client(), { folderId: folder });
    expect(await keys(first, pollContext(clock, cursor))).toEqual([]); // starts from now
    clock.advance(1000);
    const video = drive.addFile(folder, { name: 'today.mp4', mimeType: 'video/mp4', bytes: 'part 1' });
    expect(await keys(first, pollContext(clock, cursor))).toEqual([]);
    drive.appendBytes(video, ' part 2');
    expect(await keys(first, pollContext(clock, cursor))).toEqual([]);
    clock.advance(1000);
    const other = drive.addFile(folder, { name: 'other.mp4', mimeType: 'video/mp4', bytes: 'done' });
    const restarted = newMediaFiles(client(), { folderId: folder });
    expect(await keys(restarted, pollContext(clock, cursor))).toEqual([driveFileKey(video)]);
    expect(await keys(restarted, pollContext(clock, cursor))).toEqual([driveFileKey(other)]);
    expect(await keys(restarted, pollContext(clock, cursor))).toEqual([]);
  });

  it('forgets a waiting file that is deleted before it settles', async () => {
    const cursor = memoryCursor();
    const trigger = newMediaFiles(client(), { folderId: folder, startFrom: 'all' });
    const gone = drive.addFile(folder, { name: 'oops.mp4', mimeType: 'video/mp4', bytes: 'x' });
    await trigger.poll(pollContext(clock, cursor));
    expect(cursor.value).toMatchObject({ pending: { [gone]: { size: 1 } } });
    drive.trash(gone);
    expect(await keys(trigger, pollContext(clock, cursor))).toEqual([]);
    expect(cursor.value).not.toHaveProperty('pending');
  });
});

describe('downloadMedia', () => {
  it('refuses a video over CONTENT_MAX_VIDEO_MB and leaves nothing behind', async () => {
    const big = drive.addFile(folder, {
      name: 'big.mp4',
      mimeType: 'video/mp4',
      bytes: Buffer.alloc(1_500_000),
    });
    const dir = join(media.dir, 'downloads-cap');
    const err = await downloadMedia(client(), big, { dir, maxMb: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect((err as Error).message).toBe(
      "Drive file 'big.mp4' is 1.5 MB, over the 1.0 MB Baton downloads — raise CONTENT_MAX_VIDEO_MB (now 1) or use a smaller file",
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('streams a phone video into the data folder, which then transcribes', async () => {
    const clip = await readFile(await media.clip('from-drive.mp4', 3, saying('Recorded on the train.')));
    const id = drive.addFile(folder, { name: 'IMG_0042.MOV', mimeType: 'video/quicktime', bytes: clip });
    const dir = join(media.dir, 'downloads');
    const file = await downloadMedia(client(), id, { dir });
    expect(file).toMatchObject({
      name: 'IMG_0042.MOV',
      bytes: clip.length,
      path: join(dir, `${id}-IMG_0042.MOV`),
    });
    expect(await readFile(file.path)).toEqual(clip);
    const transcript = await transcribeMedia(file.path, {
      openai: new OpenAIClient({ apiKey: KEY }),
      ffmpeg: media.ffmpeg,
      workDir: dir,
      name: file.name,
    });
    expect(transcript.text).toBe('Recorded on the train.');
    expect(await readdir(dir)).toEqual([`${id}-IMG_0042.MOV`]);
  });
});
