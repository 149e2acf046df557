// DriveClient against the emulator: listing, capped streaming downloads, keyed uploads, retries and clear errors.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthError, NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import { FileTooLargeError, inFolder } from '../../../connectors/drive/index.ts';
import { DRIVE_API, DriveEmulator } from '../../../src/sandbox/drive/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { driveWorld, OWNER } from './setup.ts';

const { clock, auth, emulator, client } = driveWorld();
const server = useEmulators(auth.handlers(), emulator.handlers());
const tempDir = useTempDirs();

let videos: string;
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  server.resetHandlers();
  videos = emulator.createFolder('Videos');
});

describe('listing', () => {
  it('reads every page of a folder, oldest first', async () => {
    for (let i = 0; i < 250; i++) {
      emulator.addFile(videos, { name: `clip-${i}.mp4`, mimeType: 'video/mp4', bytes: `${i}` });
      clock.advance(10);
    }
    const drive = client();
    const files = await drive.listFiles({ q: inFolder(videos), orderBy: 'createdTime' });
    expect(files).toHaveLength(250);
    expect(files[0]).toMatchObject({ name: 'clip-0.mp4', mimeType: 'video/mp4', size: 1, parents: [videos] });
    expect(files.at(-1)?.name).toBe('clip-249.mp4');
    const pages = await drive.listPage({ q: inFolder(videos), pageSize: 100 });
    expect(pages.files).toHaveLength(100);
    expect(pages.nextPageToken).toBeDefined();

    // Drive may answer short or empty pages before the end: the listing goes on to the last token.
    emulator.partialPages(1, 0).partialPages(1, 3);
    expect(await drive.listFiles({ q: inFolder(videos), orderBy: 'createdTime' })).toHaveLength(250);
  });

  it('recovers from 429s and 5xx, each retry counted once (gaxios does not retry on its own)', async () => {
    emulator.faults.failNext(2, 429).failNext(1, 503);
    emulator.faults.dropNext(1);
    const drive = client({ policy: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 5 } });
    expect(await drive.listFiles({ q: inFolder(videos) })).toEqual([]);
    expect(emulator.requests.all().map((r) => r.status)).toEqual([0, 429, 429, 503, 200]);
  });

  it('treats Drive’s 403 “User rate limit exceeded” as a rate limit to wait out', async () => {
    const busy = new DriveEmulator({ auth, clock, owner: OWNER, requestsPerMinute: 1 });
    server.use(...busy.handlers());
    const drive = client({ policy: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 2 } });
    await drive.listFiles({ q: inFolder(videos) });
    const error = await drive.listFiles({ q: inFolder(videos) }).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, status: 403 });
    expect((error as Error).message).toMatch(/kept rate-limiting Baton/);
    expect(busy.requests.all().map((r) => r.status)).toEqual([200, 403, 403]);
    expect(drive.policy.stats.rateLimited).toBe(1);
  });
});

describe('download', () => {
  it('streams the content to a temporary file', async () => {
    const content = Buffer.alloc(300_000, 'v');
    const id = emulator.addFile(videos, { name: 'launch.mp4', mimeType: 'video/mp4', bytes: content });
    const dir = await tempDir();
    const file = await client().download(id, { maxBytes: 1_000_000, dir });
    expect(file).toMatchObject({ bytes: 300_000, name: 'launch.mp4', mimeType: 'video/mp4' });
    expect(file.path.startsWith(dir)).toBe(true);
    expect((await readFile(file.path)).equals(content)).toBe(true);
  });

  it('refuses a file over the cap before downloading it', async () => {
    const id = emulator.addFile(videos, {
      name: 'huge.mov',
      mimeType: 'video/quicktime',
      bytes: Buffer.alloc(5000),
    });
    const error = await client()
      .download(id, { maxBytes: 4096, dir: await tempDir() })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as Error).message).toMatch(
      /'huge\.mov' is 5000 bytes, over the 4096 bytes Baton downloads — raise the download limit/,
    );
    expect(emulator.requests.filter({ path: /alt=media/ })).toEqual([]);
  });

  it('stops and leaves nothing behind when more bytes arrive than the cap allows', async () => {
    const id = emulator.addFile(videos, { name: 'grows.mp4', mimeType: 'video/mp4', bytes: 'small' });
    // Drive reports 5 bytes, then sends 10,000 (the file changed between the two requests).
    server.use(
      http.get(`${DRIVE_API}/files/${id}`, ({ request }) => {
        if (new URL(request.url).searchParams.get('alt') !== 'media') return undefined;
        return new HttpResponse(Buffer.alloc(10_000, 'x'), { headers: { 'content-type': 'video/mp4' } });
      }),
    );
    const dir = await tempDir();
    const error = await client()
      .download(id, { maxBytes: 1000, dir })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    await expect(stat(join(dir, `${id}-grows.mp4`))).rejects.toThrow(/ENOENT/);
  });

  it('retries a download that failed, and says Google Docs cannot be downloaded', async () => {
    const id = emulator.addFile(videos, { name: 'a.mp4', mimeType: 'video/mp4', bytes: 'abc' });
    emulator.faults.failNext(1, 503, { match: /alt=media/ }).failNext(1, 429, { match: /alt=media/ });
    const file = await client().download(id, { maxBytes: 100, dir: await tempDir() });
    expect(await readFile(file.path, 'utf8')).toBe('abc');
    const doc = emulator.addFile(videos, {
      name: 'Script',
      mimeType: 'application/vnd.google-apps.document',
    });
    const error = await client()
      .download(doc, { maxBytes: 100 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toMatch(/'Script' .* has no binary content.*export Google Docs first/);
  });
});

describe('upload', () => {
  it('uploads a file from disk or from memory into a folder', async () => {
    const path = join(await tempDir(), 'cut.mp4');
    await writeFile(path, Buffer.alloc(70_000, 'c'));
    const drive = client();
    const fromDisk = await drive.upload({ folderId: videos, name: 'cut.mp4', mimeType: 'video/mp4', path });
    const fromMemory = await drive.upload({
      folderId: videos,
      name: 'notes.txt',
      mimeType: 'text/plain',
      bytes: 'hello',
    });
    expect(fromDisk).toMatchObject({ created: true, name: 'cut.mp4', size: 70_000, parents: [videos] });
    expect(emulator.file(fromDisk.id)?.bytes?.length).toBe(70_000);
    expect(emulator.file(fromMemory.id)?.bytes?.toString()).toBe('hello');
  });

  it('uploads once per idempotency key, also when a failed attempt is retried', async () => {
    const drive = client();
    emulator.faults.failNext(1, 503, { match: /^\/upload\// });
    const first = await drive.upload({
      folderId: videos,
      name: 'a.mp4',
      mimeType: 'video/mp4',
      bytes: 'a',
      idempotencyKey: 'run-1:render',
    });
    const again = await drive.upload({
      folderId: videos,
      name: 'a.mp4',
      mimeType: 'video/mp4',
      bytes: 'a',
      idempotencyKey: 'run-1:render',
    });
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ id: first.id, created: false });
    expect(emulator.files(videos)).toHaveLength(1);
  });

  it('finds an earlier upload with the same key when Drive answers an empty first page', async () => {
    const drive = client();
    const upload = () =>
      drive.upload({
        folderId: videos,
        name: 'a.mp4',
        mimeType: 'video/mp4',
        bytes: 'a',
        idempotencyKey: 'k-1',
      });
    const first = await upload();
    emulator.partialPages(1, 0);
    expect(await upload()).toMatchObject({ id: first.id, created: false });
    expect(emulator.files(videos)).toHaveLength(1);
  });

  it('does not retry an upload without a key after an ambiguous failure', async () => {
    emulator.faults.failNext(1, 500, { match: /^\/upload\// });
    const error = await client()
      .upload({ folderId: videos, name: 'b.mp4', mimeType: 'video/mp4', bytes: 'b' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/may or may not have happened — pass an idempotencyKey/);
    expect(emulator.requests.filter({ method: 'POST' })).toHaveLength(1);
  });
});

describe('errors that need a person', () => {
  it('says how to sign in again when Google refuses the credentials', async () => {
    auth.registerRefreshToken({
      clientId: 'client-1',
      clientSecret: 'secret-1',
      refreshToken: 'rt-gone',
      email: 'gone@example.com',
    });
    auth.revoke('gone@example.com');
    const error = await client({ refreshToken: 'rt-gone' })
      .listFiles({ q: inFolder(videos) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/baton auth google/);
    expect((error as Error).message).not.toContain('rt-gone');
  });

  it('names the folder setting when a file or folder is not shared with Baton', async () => {
    const privateFolder = emulator.createFolder('Private', { sharedWith: [] });
    const id = emulator.addFile(privateFolder, { name: 'x.mp4', mimeType: 'video/mp4', bytes: 'x' });
    const error = await client({ refreshToken: 'rt-outsider' })
      .download(id, { maxBytes: 10 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toMatch(
      /Drive file .* not found — check CONTENT_DRIVE_FOLDER and share the folder/,
    );
    const upload = await client({ refreshToken: 'rt-outsider' })
      .upload({ folderId: privateFolder, name: 'y', mimeType: 'text/plain', bytes: 'y', idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(upload).toBeInstanceOf(NotFoundError);
  });

  it('says which scope is missing when the sign-in is read-only', async () => {
    const error = await client({ refreshToken: 'rt-readonly' })
      .upload({ folderId: videos, name: 'z', mimeType: 'text/plain', bytes: 'z' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toMatch(/does not include access to Google Drive.*drive\.file/);
  });
});
