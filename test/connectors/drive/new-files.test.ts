// The newFiles trigger: each new file in a watched folder becomes one item, once, in creation order.
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../connectors/core/index.ts';
import { driveFileKey, newFiles } from '../../../connectors/drive/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { driveWorld, memoryCursor, pollContext } from './setup.ts';

const { clock, auth, emulator, client } = driveWorld();
useEmulators(auth.handlers(), emulator.handlers());

let videos: string;
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  videos = emulator.createFolder('Videos');
});

const video = (name: string, createdTime?: number) =>
  emulator.addFile(videos, {
    name,
    mimeType: 'video/mp4',
    bytes: name,
    ...(createdTime ? { createdTime } : {}),
  });

describe('newFiles', () => {
  it('starts from now, then emits each new video once, oldest first', async () => {
    video('before.mp4');
    const trigger = newFiles(client(), { folderId: videos, mimeTypes: ['video/'] });
    const ctx = pollContext(clock);
    expect(await trigger.poll(ctx)).toEqual({ items: [] });

    clock.advance(1000);
    const first = video('first.mp4');
    clock.advance(1000);
    const second = video('second.mp4');
    emulator.addFile(videos, { name: 'notes.txt', mimeType: 'text/plain', bytes: 'n' });
    emulator.trash(video('deleted.mp4'));
    const result = await trigger.poll(ctx);
    expect(result.items?.map((i) => i.key)).toEqual([driveFileKey(first), driveFileKey(second)]);
    expect(result.items?.[0]?.payload).toMatchObject({
      id: first,
      name: 'first.mp4',
      mimeType: 'video/mp4',
      size: 9,
    });

    emulator.requests.clear();
    expect(await trigger.poll(ctx)).toEqual({ items: [] });
    expect(emulator.requests.count()).toBe(1); // an idle poll is one files.list request
  });

  it('starts after the newest file even when Drive answers an empty first page', async () => {
    video('before.mp4');
    const trigger = newFiles(client(), { folderId: videos, mimeTypes: ['video/'] });
    const ctx = pollContext(clock);
    emulator.partialPages(1, 0);
    expect(await trigger.poll(ctx)).toEqual({ items: [] });
    expect(await trigger.poll(ctx)).toEqual({ items: [] });

    const later = video('later.mp4', clock.now() + 1);
    emulator.partialPages(1, 0);
    expect((await trigger.poll(ctx)).items?.map((i) => i.key)).toEqual([driveFileKey(later)]);
  });

  it('never skips files that share a creation time, even when they appear in different polls', async () => {
    const trigger = newFiles(client(), { folderId: videos, mimeTypes: ['video/'] });
    const ctx = pollContext(clock);
    await trigger.poll(ctx);
    clock.advance(5000);
    const at = clock.now();
    const a = video('a.mp4', at);
    const b = video('b.mp4', at);
    expect((await trigger.poll(ctx)).items?.map((i) => i.key).sort()).toEqual(
      [driveFileKey(a), driveFileKey(b)].sort(),
    );
    // A third file with the very same timestamp shows up later (Drive's listing lagged behind).
    const c = video('c.mp4', at);
    expect((await trigger.poll(ctx)).items?.map((i) => i.key)).toEqual([driveFileKey(c)]);
    expect(await trigger.poll(ctx)).toEqual({ items: [] });
  });

  it('picks up where it left off after a restart, without re-emitting', async () => {
    const cursor = memoryCursor();
    const ctx = pollContext(clock, cursor);
    await newFiles(client(), { folderId: videos }).poll(ctx);
    clock.advance(1000);
    const seen = video('seen.mp4');
    expect((await newFiles(client(), { folderId: videos }).poll(ctx)).items?.map((i) => i.key)).toEqual([
      driveFileKey(seen),
    ]);

    // The process stops; a file arrives while it is down; a new process builds a new trigger over the stored cursor.
    clock.advance(60_000);
    const whileDown = video('while-down.mp4');
    const restarted = newFiles(client(), { folderId: videos });
    expect((await restarted.poll(pollContext(clock, cursor))).items?.map((i) => i.key)).toEqual([
      driveFileKey(whileDown),
    ]);
    expect(await restarted.poll(pollContext(clock, cursor))).toEqual({ items: [] });
  });

  it('can start with the files already there, and spreads a big backlog over several polls', async () => {
    const at = clock.now();
    const backlog = Array.from({ length: 7 }, (_, i) => video(`old-${i}.mp4`, at + (i < 4 ? 0 : i)));
    const trigger = newFiles(client(), { folderId: videos, startFrom: 'all', maxPerPoll: 3 });
    const ctx = pollContext(clock);
    const keys: string[] = [];
    for (let poll = 0; poll < 4; poll++)
      keys.push(...((await trigger.poll(ctx)).items ?? []).map((i) => i.key));
    expect(keys.sort()).toEqual(backlog.map(driveFileKey).sort());
    expect(new Set(keys).size).toBe(7);
  });

  it('says which setting to check when the folder is not there or not shared', async () => {
    const hidden = emulator.createFolder('Hidden', { sharedWith: [] });
    const error = await newFiles(client({ refreshToken: 'rt-outsider' }), { folderId: hidden })
      .poll(pollContext(clock))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toMatch(/Drive folder .* not found — check CONTENT_DRIVE_FOLDER/);
    const file = video('not-a-folder.mp4');
    const wrong = await newFiles(client(), { folderId: file })
      .poll(pollContext(clock))
      .catch((e: unknown) => e);
    expect((wrong as Error).message).toMatch(/is a file \('not-a-folder\.mp4'\), not a folder/);
  });

  it('matches exact types and prefixes, and skips its turn while Drive is paused', async () => {
    const drive = client({
      policy: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 1, breakAfter: 1, pauseMs: 60_000 },
    });
    const trigger = newFiles(drive, {
      folderId: videos,
      mimeTypes: ['video/', 'application/pdf'],
      startFrom: 'all',
    });
    const pdf = emulator.addFile(videos, { name: 'brief.pdf', mimeType: 'application/pdf', bytes: '%PDF' });
    emulator.addFile(videos, { name: 'photo.jpg', mimeType: 'image/jpeg', bytes: 'jpg' });
    const clip = video('clip.mp4');
    const ctx = pollContext(clock);
    expect((await trigger.poll(ctx)).items?.map((i) => i.key).sort()).toEqual(
      [driveFileKey(pdf), driveFileKey(clip)].sort(),
    );
    emulator.faults.failNext(1, 503);
    await expect(trigger.poll(ctx)).rejects.toMatchObject({ retryable: true });
    expect(trigger.paused).toBe(true);
  });

  it('with waitForStableSize, spreads settled files over polls without losing the waiting ones', async () => {
    const trigger = newFiles(client(), {
      folderId: videos,
      waitForStableSize: true,
      startFrom: 'all',
      maxPerPoll: 1,
    });
    const ctx = pollContext(clock);
    const at = clock.now();
    const files = ['a.mp4', 'b.mp4', 'c.mp4'].map((name, i) => video(name, at + i));
    expect(await trigger.poll(ctx)).toEqual({ items: [] }); // first size seen (one file a poll)
    const keys: string[] = [];
    for (let poll = 0; poll < 6; poll++)
      keys.push(...((await trigger.poll(ctx)).items ?? []).map((i) => i.key));
    expect(keys).toEqual(files.map(driveFileKey));
    expect(await trigger.poll(ctx)).toEqual({ items: [] });
  });
});
