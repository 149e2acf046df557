// DriveClient: the one gate to Google Drive (rate budgets, retries, clear errors); lists, downloads, uploads.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { drive, type drive_v3 } from '@googleapis/drive';
import { ServiceError, ServicePolicy } from '../core/index.ts';
import { capped, safeName, tooLarge } from './download.ts';
import { ChecksumMismatch, classifyDrive, describeDrive } from './failures.ts';
import { and, inFolder, quote } from './query.ts';
import { FILE_FIELDS, FileListSchema, FileSchema, parse, toDriveFile } from './schemas.ts';
import type { CopyInput, DownloadedFile, DriveClientOptions, DriveFile, UploadInput } from './types.ts';

/** Drive's folder type. */
export const FOLDER_MIME = 'application/vnd.google-apps.folder';

/** Drive's largest files.list page ("values above 100 are changed to 100"). */
export const MAX_PAGE_SIZE = 100;

/** The appProperties key that holds an upload's idempotency key. */
export const KEY_PROPERTY = 'batonKey';

const short = (id: string): string => (id.length > 10 ? `${id.slice(0, 6)}…` : id);

interface Where {
  operation: string;
  target: string;
}

/**
 * Google Drive through @googleapis/drive with one ServicePolicy ('drive': `read` and `write` budgets,
 * retries with backoff on 429, Drive's 403 rate limits, 5xx and dropped connections, circuit breaker).
 * gaxios's own retries are off (`retry: false`), so each retry is counted once, here.
 *
 * Every method throws: AuthError (401/403, with the fix), NotFoundError (a file or folder that is not
 * there or not shared, naming the setting to check), ServicePausedError while the breaker is open,
 * ServiceError otherwise.
 */
export class DriveClient {
  readonly policy: ServicePolicy;
  readonly #api: drive_v3.Drive;
  readonly #options: DriveClientOptions;
  readonly #shareWith: string | undefined;

  constructor(options: DriveClientOptions) {
    this.#options = options;
    this.#api = drive({
      version: 'v3',
      auth: options.auth,
      retry: false,
      ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
    });
    const email = (options.auth as { email?: unknown }).email;
    this.#shareWith = options.shareWith ?? (typeof email === 'string' ? email : undefined);
    this.policy = new ServicePolicy({
      service: 'drive',
      limits: {
        read: options.limits?.read ?? { limit: 10, intervalMs: 1000 },
        write: options.limits?.write ?? { limit: 3, intervalMs: 1000 },
      },
      classify: classifyDrive,
      describe: (err) => new Undescribed('drive', 'undescribed', { cause: err }),
      ...options.policy,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** True while the breaker is open after repeated failures. */
  get paused(): boolean {
    return this.policy.paused;
  }

  /**
   * One page of files matching `q`, in `orderBy` order (e.g. `createdTime`). A page may be short or
   * even empty before the end (Drive's files.list doc): only a missing `nextPageToken` means the end,
   * so read on with `pages` or `listFiles` rather than trusting one page. Drive caps `pageSize` at 100.
   * @throws ServiceError for a query Drive does not accept; NotFoundError never (an unknown folder lists nothing).
   */
  async listPage(query: {
    q: string;
    orderBy?: string;
    pageSize?: number;
    pageToken?: string;
  }): Promise<{ files: DriveFile[]; nextPageToken: string | undefined }> {
    const where = { operation: 'list files', target: 'Drive folder' };
    const page = await this.#call(where, 'read', async () => {
      const res = await this.#api.files.list({
        q: query.q,
        pageSize: Math.min(query.pageSize ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
        fields: `nextPageToken,files(${FILE_FIELDS})`,
        ...(query.orderBy ? { orderBy: query.orderBy } : {}),
        ...(query.pageToken ? { pageToken: query.pageToken } : {}),
      });
      return parse(FileListSchema, res.data, 'files.list');
    });
    return { files: page.files.map(toDriveFile), nextPageToken: page.nextPageToken };
  }

  /** The pages of files matching `q`, following `nextPageToken` until Drive gives none (the only sign of the end). */
  async *pages(query: { q: string; orderBy?: string; pageSize?: number }): AsyncGenerator<DriveFile[]> {
    let pageToken: string | undefined;
    do {
      const page = await this.listPage({ ...query, ...(pageToken ? { pageToken } : {}) });
      yield page.files;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** Every file matching `q` (reading all pages, up to `limit`). */
  async listFiles(query: { q: string; orderBy?: string; limit?: number }): Promise<DriveFile[]> {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const files: DriveFile[] = [];
    const pageSize = Math.min(MAX_PAGE_SIZE, limit);
    for await (const page of this.pages({
      q: query.q,
      pageSize,
      ...(query.orderBy ? { orderBy: query.orderBy } : {}),
    })) {
      files.push(...page);
      if (files.length >= limit) break;
    }
    return files.slice(0, limit);
  }

  /** A file's metadata. @throws NotFoundError when it is not there or not shared with Baton's account. */
  getFile(fileId: string): Promise<DriveFile> {
    return this.#metadata(fileId, {
      operation: `read file ${short(fileId)}`,
      target: `Drive file ${short(fileId)}`,
    });
  }

  /**
   * A folder's metadata: how a trigger checks its setting before watching.
   * @throws NotFoundError naming the folder setting when it is not there or not shared; ServiceError
   *   when the id names a file, not a folder.
   */
  async folder(folderId: string): Promise<DriveFile> {
    const target = `Drive folder ${short(folderId)}`;
    const found = await this.#metadata(folderId, { operation: `open folder ${short(folderId)}`, target });
    if (found.mimeType === FOLDER_MIME) return found;
    throw new ServiceError('drive', `${target} is a file ('${found.name}'), not a folder`, {
      hint: `put a folder's id in ${this.#options.configHints?.folder ?? 'the folder setting'} (the last part of the folder's link)`,
    });
  }

  #metadata(fileId: string, where: Where): Promise<DriveFile> {
    return this.#call(where, 'read', async () => {
      const res = await this.#api.files.get({ fileId, fields: FILE_FIELDS });
      return toDriveFile(parse(FileSchema, res.data, 'files.get'));
    });
  }

  /**
   * Streams a file's content to a temporary file (in `dir`, else a new folder under the OS temp
   * folder), never holding more than a chunk in memory. The size Drive reports is checked first, and
   * the bytes are counted as they arrive, so a file over `maxBytes` fails with FileTooLargeError
   * (leaving no partial file) whatever the metadata said. The content is checked against Drive's MD5;
   * a dropped or corrupted transfer is retried from the start. Delete the file when done with it.
   * `limitSetting` (e.g. CONTENT_MAX_VIDEO_MB) is the setting the error tells the user to raise.
   * @throws FileTooLargeError over the cap; ServiceError for folders and Google Docs (not downloadable).
   */
  async download(
    fileId: string,
    options: { maxBytes: number; dir?: string; limitSetting?: string },
  ): Promise<DownloadedFile> {
    const meta = await this.getFile(fileId);
    if (meta.size === undefined) {
      throw new ServiceError(
        'drive',
        `Drive file '${meta.name}' (${meta.mimeType}) has no binary content to download`,
        {
          hint: 'Baton downloads uploaded files (videos, audio, PDFs); export Google Docs first',
        },
      );
    }
    if (meta.size > options.maxBytes)
      throw tooLarge(meta.name, meta.size, options.maxBytes, options.limitSetting);
    const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'baton-drive-')));
    const path = join(dir, `${fileId}-${safeName(meta.name)}`);
    const where = { operation: `download '${meta.name}'`, target: `Drive file ${short(fileId)}` };
    try {
      const bytes = await this.#call(where, 'read', async () => {
        const res = await this.#api.files.get({ fileId, alt: 'media' }, { responseType: 'stream' });
        const counter = capped(options.maxBytes, meta.name, options.limitSetting);
        await pipeline(res.data as unknown as Readable, counter.stream, createWriteStream(path));
        if (meta.md5Checksum && counter.md5() !== meta.md5Checksum) {
          throw new ChecksumMismatch(`downloaded bytes of '${meta.name}' do not match Drive's checksum`);
        }
        return counter.bytes();
      });
      return { path, bytes, name: meta.name, mimeType: meta.mimeType };
    } catch (err) {
      await rm(path, { force: true });
      if (!options.dir) await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /**
   * Uploads a file into a folder (multipart). With an `idempotencyKey` the key is stored in the file's
   * appProperties and looked up before the upload and before every retry, so a crash or a lost answer
   * never makes a second copy; without one, only rate-limited attempts are retried (another failure
   * may or may not have stored the file, and is reported as a retryable ServiceError).
   * @returns the file; `created` is false when a file with this key was already in the folder.
   * @throws NotFoundError when the folder is not there or not shared; AuthError without write access.
   */
  async upload(input: UploadInput): Promise<DriveFile & { created: boolean }> {
    if ((input.path === undefined) === (input.bytes === undefined)) {
      throw new ServiceError('drive', 'Drive upload: pass either path or bytes', {
        hint: 'give the file on disk or its content',
      });
    }
    const key = input.idempotencyKey;
    // Every page is read until a match: an empty first page does not mean there is no earlier upload.
    const find = key
      ? async () =>
          (
            await this.listFiles({
              q: and(
                inFolder(input.folderId),
                `appProperties has { key=${quote(KEY_PROPERTY)} and value=${quote(key)} }`,
              ),
              limit: 1,
            })
          )[0]
      : undefined;
    const existing = find ? await find() : undefined;
    if (existing) return { ...existing, created: false };
    const where = { operation: `upload '${input.name}'`, target: `Drive folder ${short(input.folderId)}` };
    let attempts = 0;
    let lastError: unknown;
    const file = await this.#call(where, 'write', async () => {
      if (attempts++ > 0) {
        const found = find ? await find() : undefined;
        if (found) return found;
        if (!find && classifyDrive(lastError).kind !== 'rate-limited') {
          throw new ServiceError('drive', `Drive upload of '${input.name}' may or may not have happened`, {
            retryable: true,
            cause: lastError,
            hint: 'pass an idempotencyKey so Baton can check before uploading again',
          });
        }
      }
      try {
        const res = await this.#api.files.create({
          requestBody: {
            name: input.name,
            mimeType: input.mimeType,
            parents: [input.folderId],
            ...(key ? { appProperties: { [KEY_PROPERTY]: key } } : {}),
            ...(input.description ? { description: input.description } : {}),
          },
          media: {
            mimeType: input.mimeType,
            body:
              input.path !== undefined
                ? createReadStream(input.path)
                : Readable.from([Buffer.from(input.bytes!)]),
          },
          fields: FILE_FIELDS,
        });
        return toDriveFile(parse(FileSchema, res.data, 'files.create'));
      } catch (err) {
        lastError = err;
        throw err;
      }
    });
    return { ...file, created: true };
  }

  /**
   * Copies a file (e.g. a Slides template) with a new name, into `folderId` or beside the original.
   * With an `idempotencyKey` the key is stored in the copy's appProperties and looked up (anywhere the
   * account sees, outside the trash) before copying and before every retry, so a crash or a lost
   * answer never makes a second copy; without one, only rate-limited attempts are retried.
   * @returns the copy; `created` is false when a copy with this key already existed.
   * @throws NotFoundError when the file is not there or not visible to the sign-in (a drive.file
   *   sign-in sees only files Baton made); AuthError without a write scope.
   */
  async copy(input: CopyInput): Promise<DriveFile & { created: boolean }> {
    const key = input.idempotencyKey;
    const find = key
      ? async () =>
          (
            await this.listFiles({
              q: and(
                input.folderId ? inFolder(input.folderId) : 'trashed = false',
                `appProperties has { key=${quote(KEY_PROPERTY)} and value=${quote(key)} }`,
              ),
              limit: 1,
            })
          )[0]
      : undefined;
    const existing = find ? await find() : undefined;
    if (existing) return { ...existing, created: false };
    const where = {
      operation: `copy file ${short(input.fileId)}`,
      target: `Drive file ${short(input.fileId)}`,
    };
    let attempts = 0;
    let lastError: unknown;
    const file = await this.#call(where, 'write', async () => {
      if (attempts++ > 0) {
        const found = find ? await find() : undefined;
        if (found) return found;
        if (!find && classifyDrive(lastError).kind !== 'rate-limited') {
          throw new ServiceError(
            'drive',
            `Drive copy of ${short(input.fileId)} may or may not have happened`,
            {
              retryable: true,
              cause: lastError,
              hint: 'pass an idempotencyKey so Baton can check before copying again',
            },
          );
        }
      }
      try {
        const res = await this.#api.files.copy({
          fileId: input.fileId,
          supportsAllDrives: true,
          fields: FILE_FIELDS,
          requestBody: {
            name: input.name,
            ...(input.folderId ? { parents: [input.folderId] } : {}),
            appProperties: { ...input.appProperties, ...(key ? { [KEY_PROPERTY]: key } : {}) },
          },
        });
        return toDriveFile(parse(FileSchema, res.data, 'files.copy'));
      } catch (err) {
        lastError = err;
        throw err;
      }
    });
    return { ...file, created: true };
  }

  async #call<T>(where: Where, budget: 'read' | 'write', fn: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.call(where.operation, fn, budget);
    } catch (err) {
      if (!(err instanceof Undescribed)) throw err;
      throw describeDrive(err.cause, {
        ...where,
        hints: this.#options.configHints ?? {},
        ...(this.#shareWith ? { shareWith: this.#shareWith } : {}),
      });
    }
  }
}

/** A final SDK failure on its way out of the policy, described by `#call`, which knows what was asked. */
class Undescribed extends ServiceError {
  override readonly name = 'Undescribed';
}
