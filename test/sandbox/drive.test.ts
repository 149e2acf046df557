// The Drive emulator through @googleapis/drive: queries, paging, fields, downloads, uploads and Google's errors.
import { Readable } from 'node:stream';
import { drive } from '@googleapis/drive';
import { OAuth2Client } from 'google-auth-library';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAuth } from '../../connectors/google/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { DriveEmulator, FOLDER_MIME } from '../../src/sandbox/drive/index.ts';
import { GoogleAuthEmulator } from '../../src/sandbox/google/auth.ts';
import { useEmulators } from '../support/msw.ts';

const OWNER = 'studio@example.com';
const OAUTH = { clientId: 'drive-client', clientSecret: 'drive-secret' };
const clock = new ManualClock();
const auth = new GoogleAuthEmulator(clock);
const emulator = new DriveEmulator({ auth, clock, owner: OWNER });
auth.registerRefreshToken({ ...OAUTH, refreshToken: 'rt-owner', email: OWNER, scopes: [] });
auth.registerRefreshToken({
  ...OAUTH,
  refreshToken: 'rt-reader',
  email: OWNER,
  scopes: ['https://www.googleapis.com/auth/drive.readonly'],
});
auth.registerRefreshToken({
  ...OAUTH,
  refreshToken: 'rt-stranger',
  email: 'stranger@example.com',
  scopes: [],
});
const server = useEmulators(auth.handlers(), emulator.handlers());

/** The real SDK with its own retries off, signed in with a refresh token. */
const sdk = (refreshToken = 'rt-owner') =>
  drive({
    version: 'v3',
    retry: false,
    auth: createGoogleAuth({ kind: 'oauth', ...OAUTH, refreshToken }, []),
  });

/** The Google error an SDK call fails with: status and body. */
async function failure(
  call: Promise<unknown>,
): Promise<{ status: number; error: { message: string; errors: { reason: string; location?: string }[] } }> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { status?: number; response?: { status: number; data: unknown } } | undefined;
  expect(err?.response).toBeDefined();
  const data = err!.response!.data;
  const body = typeof data === 'string' ? JSON.parse(data) : data;
  return { status: err!.response!.status, error: (body as { error: never }).error };
}

let videos: string;
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  videos = emulator.createFolder('Videos');
});

describe('files.list', () => {
  it('finds the videos in a folder, leaving out trash, other types and other folders', async () => {
    const other = emulator.createFolder('Elsewhere');
    const keep = emulator.addFile(videos, { name: 'launch.mp4', mimeType: 'video/mp4', bytes: 'v1' });
    emulator.addFile(videos, { name: 'notes.txt', mimeType: 'text/plain', bytes: 'n' });
    emulator.addFile(other, { name: 'other.mp4', mimeType: 'video/mp4', bytes: 'v2' });
    emulator.trash(emulator.addFile(videos, { name: 'old.mov', mimeType: 'video/quicktime', bytes: 'v3' }));
    const res = await sdk().files.list({
      q: `'${videos}' in parents and mimeType contains 'video/' and trashed = false`,
      fields: 'nextPageToken, files(id, name, mimeType, createdTime, size)',
    });
    expect(res.data.files).toEqual([
      {
        id: keep,
        name: 'launch.mp4',
        mimeType: 'video/mp4',
        createdTime: new Date(clock.now()).toISOString(),
        size: '2',
      },
    ]);
    const all = await sdk().files.list({ q: `'${videos}' in parents` });
    expect(all.data.files?.map((f) => f.name).sort()).toEqual(['launch.mp4', 'notes.txt', 'old.mov']);
    expect(all.data.files?.[0]).toEqual({
      kind: 'drive#file',
      id: expect.any(String),
      name: expect.any(String),
      mimeType: expect.any(String),
    });
  });

  it('filters by creation time and name, and orders by createdTime, name or newest first', async () => {
    const start = clock.now();
    for (const name of ['b-roll.mp4', 'a-intro.mp4', 'c-outro.mp4']) {
      emulator.addFile(videos, { name, mimeType: 'video/mp4', bytes: name });
      clock.advance(1000);
    }
    const list = (q: string, orderBy?: string) =>
      sdk()
        .files.list({ q, ...(orderBy ? { orderBy } : {}), fields: 'files(name)' })
        .then((r) => r.data.files?.map((f) => f.name));
    const inFolder = `'${videos}' in parents`;
    expect(await list(inFolder, 'createdTime')).toEqual(['b-roll.mp4', 'a-intro.mp4', 'c-outro.mp4']);
    expect(await list(inFolder, 'createdTime desc')).toEqual(['c-outro.mp4', 'a-intro.mp4', 'b-roll.mp4']);
    expect(await list(inFolder, 'name')).toEqual(['a-intro.mp4', 'b-roll.mp4', 'c-outro.mp4']);
    const after = new Date(start).toISOString();
    expect(await list(`${inFolder} and createdTime > '${after}'`, 'createdTime')).toEqual([
      'a-intro.mp4',
      'c-outro.mp4',
    ]);
    expect(await list(`${inFolder} and name contains 'intro'`)).toEqual(['a-intro.mp4']);
    expect(await list(`${inFolder} and (name = 'b-roll.mp4' or name = 'c-outro.mp4')`, 'name')).toEqual([
      'b-roll.mp4',
      'c-outro.mp4',
    ]);
  });

  it('pages with pageSize and nextPageToken', async () => {
    for (let i = 0; i < 25; i++)
      emulator.addFile(videos, {
        name: `clip-${String(i).padStart(2, '0')}.mp4`,
        mimeType: 'video/mp4',
        bytes: `${i}`,
      });
    const names: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await sdk().files.list({
        q: `'${videos}' in parents`,
        orderBy: 'name',
        pageSize: 10,
        fields: 'nextPageToken, files(name)',
        ...(pageToken ? { pageToken } : {}),
      });
      names.push(...(res.data.files ?? []).map((f) => f.name ?? ''));
      pageToken = res.data.nextPageToken ?? undefined;
      pages++;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(names).toHaveLength(25);
    expect(names[24]).toBe('clip-24.mp4');
  });

  it('caps pageSize at 100, and may answer short or empty pages before the end', async () => {
    for (let i = 0; i < 130; i++) emulator.addFile(videos, { name: `c${i}.mp4`, mimeType: 'video/mp4' });
    const list = (pageToken?: string) =>
      sdk().files.list({
        q: `'${videos}' in parents`,
        pageSize: 1000,
        fields: 'nextPageToken, files(name)',
        ...(pageToken ? { pageToken } : {}),
      });
    const full = await list();
    expect(full.data.files).toHaveLength(100);
    emulator.partialPages(1, 0).partialPages(1, 7);
    const empty = await list(full.data.nextPageToken ?? undefined);
    expect(empty.data).toMatchObject({ files: [], nextPageToken: expect.any(String) });
    const short = await list(empty.data.nextPageToken ?? undefined);
    expect(short.data.files).toHaveLength(7);
    const rest = await list(short.data.nextPageToken ?? undefined);
    expect(rest.data.files).toHaveLength(23);
    expect(rest.data.nextPageToken).toBeUndefined();
  });

  it('answers 400 Invalid Value for queries, orders, sizes and tokens outside what it supports', async () => {
    const invalid = async (params: Record<string, unknown>, location: string) => {
      const { status, error } = await failure(sdk().files.list(params));
      expect(status).toBe(400);
      expect(error.message).toBe('Invalid Value');
      expect(error.errors[0]).toMatchObject({ reason: 'invalid', location });
    };
    await invalid({ q: "fullText contains 'launch'" }, 'q');
    await invalid({ q: `'${videos}' in parents and` }, 'q');
    await invalid({ q: "createdTime > 'yesterday'" }, 'q');
    await invalid({ orderBy: 'viewedByMeTime' }, 'orderBy');
    await invalid({ pageSize: 0 }, 'pageSize');
    await invalid({ pageToken: 'bm90LWEtdG9rZW4' }, 'pageToken');
    const fields = await failure(sdk().files.list({ fields: 'files(id, colour)' }));
    expect(fields.error.message).toBe('Invalid field selection files/colour');
  });
});

describe('files.get', () => {
  it('returns metadata with the selected fields, and the bytes with alt=media (a Range too)', async () => {
    const id = emulator.addFile(videos, { name: 'launch.mp4', mimeType: 'video/mp4', bytes: 'hello video' });
    const meta = await sdk().files.get({ fileId: id, fields: 'id, name, size, md5Checksum, parents' });
    expect(meta.data).toEqual({
      id,
      name: 'launch.mp4',
      size: '11',
      md5Checksum: expect.stringMatching(/^[0-9a-f]{32}$/),
      parents: [videos],
    });
    const media = await sdk().files.get({ fileId: id, alt: 'media' }, { responseType: 'arraybuffer' });
    expect(Buffer.from(media.data as ArrayBuffer).toString()).toBe('hello video');
    const part = await sdk().files.get(
      { fileId: id, alt: 'media' },
      { responseType: 'arraybuffer', headers: { Range: 'bytes=6-10' } },
    );
    expect(part.status).toBe(206);
    expect(Buffer.from(part.data as ArrayBuffer).toString()).toBe('video');
  });

  it('refuses to download folders and Docs, and hides files the caller cannot see', async () => {
    const doc = emulator.addFile(videos, {
      name: 'Script',
      mimeType: 'application/vnd.google-apps.document',
    });
    const folder = await failure(sdk().files.get({ fileId: videos, alt: 'media' }));
    expect(folder).toMatchObject({ status: 403, error: { errors: [{ reason: 'fileNotDownloadable' }] } });
    expect((await failure(sdk().files.get({ fileId: doc, alt: 'media' }))).status).toBe(403);
    const secret = emulator.createFolder('Private', { sharedWith: [] });
    const hidden = emulator.addFile(secret, { name: 'x.mp4', mimeType: 'video/mp4', bytes: 'x' });
    const notFound = await failure(sdk('rt-stranger').files.get({ fileId: hidden }));
    expect(notFound).toMatchObject({
      status: 404,
      error: { message: `File not found: ${hidden}.`, errors: [{ reason: 'notFound' }] },
    });
    emulator.share(secret, 'stranger@example.com');
    await expect(sdk('rt-stranger').files.get({ fileId: hidden })).resolves.toMatchObject({ status: 200 });
  });
});

describe('files.create', () => {
  it('creates folders from metadata and files from a multipart upload', async () => {
    const folder = await sdk().files.create({
      requestBody: { name: 'Renders', mimeType: FOLDER_MIME, parents: [videos] },
      fields: 'id',
    });
    const upload = await sdk().files.create({
      requestBody: { name: 'cut.mp4', parents: [folder.data.id!], appProperties: { batonKey: 'run-1' } },
      media: { mimeType: 'video/mp4', body: Readable.from([Buffer.from('rendered bytes')]) },
      fields: 'id, name, mimeType, size, parents',
    });
    expect(upload.data).toMatchObject({
      name: 'cut.mp4',
      mimeType: 'video/mp4',
      size: '14',
      parents: [folder.data.id],
    });
    expect(emulator.file(upload.data.id!)?.bytes?.toString()).toBe('rendered bytes');
    const byKey = await sdk().files.list({
      q: "appProperties has { key='batonKey' and value='run-1' }",
      fields: 'files(id)',
    });
    expect(byKey.data.files).toEqual([{ id: upload.data.id }]);
  });

  it('needs a write scope and an existing folder', async () => {
    const scoped = await failure(
      sdk('rt-reader').files.create({ requestBody: { name: 'x', parents: [videos] }, media: { body: 'x' } }),
    );
    expect(scoped).toMatchObject({
      status: 403,
      error: { message: 'Request had insufficient authentication scopes.' },
    });
    const missing = await failure(
      sdk().files.create({ requestBody: { name: 'x', parents: ['1missingfolder'] }, media: { body: 'x' } }),
    );
    expect(missing.status).toBe(404);
  });
});

describe('errors Google sends', () => {
  it('answers 401 in Google’s shape to an unknown token', async () => {
    const stale = new OAuth2Client();
    stale.setCredentials({ access_token: 'ya29.unknown', expiry_date: Date.now() + 3_600_000 });
    const err = await failure(drive({ version: 'v3', retry: false, auth: stale }).files.list({}));
    expect(err).toMatchObject({
      status: 401,
      error: { errors: [{ reason: 'authError', location: 'Authorization' }] },
    });
  });

  it('renders injected 429 and 5xx as Google does, and counts the user’s requests per minute', async () => {
    emulator.faults.failNext(1, 429).failNext(1, 503);
    expect(await failure(sdk().files.list({}))).toMatchObject({
      status: 429,
      error: { errors: [{ reason: 'rateLimitExceeded' }] },
    });
    expect(await failure(sdk().files.list({}))).toMatchObject({
      status: 503,
      error: { errors: [{ reason: 'backendError' }] },
    });
    const limited = new DriveEmulator({ auth, clock, owner: OWNER, requestsPerMinute: 2 });
    server.use(...limited.handlers());
    try {
      await sdk().files.list({});
      await sdk().files.list({});
      const over = await failure(sdk().files.list({}));
      expect(over).toMatchObject({
        status: 403,
        error: { message: 'User rate limit exceeded.', errors: [{ reason: 'userRateLimitExceeded' }] },
      });
      clock.advance(60_000);
      await expect(sdk().files.list({})).resolves.toMatchObject({ status: 200 });
    } finally {
      server.resetHandlers();
    }
  });
});
