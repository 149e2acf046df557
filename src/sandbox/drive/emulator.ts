// Emulates Google Drive v3 (www.googleapis.com/drive/v3 and its upload host) for @googleapis/drive.
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import type { GoogleAuthEmulator, GooglePrincipal } from '../google/auth.ts';
import { Emulator, RateWindow } from '../kit/index.ts';
import {
  DriveApiError,
  driveErrorResponse,
  injectedError,
  insufficientScopes,
  unauthenticated,
  userRateLimited,
} from './errors.ts';
import { renderFile } from './resource.ts';
import { copyFile, createFile, getFile, listFiles } from './routes.ts';
import { seesAllFiles } from './scopes.ts';
import { type DriveFile, DriveStore, FOLDER_MIME } from './store.ts';

export const DRIVE_API = 'https://www.googleapis.com/drive/v3';
export const DRIVE_UPLOAD_API = 'https://www.googleapis.com/upload/drive/v3';

export interface DriveEmulatorOptions {
  auth: GoogleAuthEmulator;
  clock?: Clock;
  /** The person who owns the files the person API adds (default owner@example.com). */
  owner?: string;
  /** Requests per user per minute before 403 userRateLimitExceeded (default 12,000). */
  requestsPerMinute?: number;
}

/** A file as a person sees it in Drive, with its content. */
export interface DriveFileView {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  createdTime: string;
  trashed: boolean;
  appProperties: Record<string, string>;
  bytes: Buffer | undefined;
  owner: string;
}

const READ_SCOPES = [
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/drive.readonly',
  'https://www.googleapis.com/auth/drive.file',
  'https://www.googleapis.com/auth/drive.metadata.readonly',
];
const DOWNLOAD_SCOPES = READ_SCOPES.filter((s) => !s.endsWith('metadata.readonly'));
const WRITE_SCOPES = ['https://www.googleapis.com/auth/drive', 'https://www.googleapis.com/auth/drive.file'];

/**
 * A stateful Drive: folders and files with owners and sharing (a folder shared with someone shares
 * what is in it), trash, and the files.list / files.get / files.create methods Baton uses. Bearer
 * tokens come from the GoogleAuthEmulator; scopes are enforced (an empty scope list is unrestricted), and
 * a token with only drive.file reaches just the files made through the API. files.copy copies too.
 * `files.list` includes trashed files unless `q` says `trashed = false`, as Drive does.
 */
export class DriveEmulator extends Emulator {
  readonly auth: GoogleAuthEmulator;
  readonly owner: string;
  readonly #store: DriveStore;
  readonly #quota: RateWindow;
  #shortPages: number[] = [];
  readonly #copyListeners: ((fromId: string, toId: string) => void)[] = [];

  constructor(options: DriveEmulatorOptions) {
    super(options.clock ? { clock: options.clock } : {});
    this.auth = options.auth;
    this.owner = options.owner ?? 'owner@example.com';
    this.#store = new DriveStore(this.clock);
    this.#quota = new RateWindow(this.clock, options.requestsPerMinute ?? 12_000, 60_000);
  }

  handlers() {
    return [
      http.all(`${DRIVE_API}/*`, ({ request }) => this.serve(request, () => this.#handle(request, false))),
      http.all(`${DRIVE_UPLOAD_API}/*`, ({ request }) =>
        this.serve(request, () => this.#handle(request, true)),
      ),
    ];
  }

  protected errorResponse(status: number, message: string, headers?: Record<string, string>): Response {
    return injectedError(status, message, headers);
  }

  /**
   * The next `count` files.list pages that are not the last hold only `size` files (0: an empty page)
   * and a nextPageToken, as Drive's may ("Pages may be partial or empty even before reaching the end").
   */
  partialPages(count: number, size = 0): this {
    for (let i = 0; i < count; i++) this.#shortPages.push(size);
    return this;
  }

  // ---- The person's side: what a user does in Drive, and what tests inspect. ----

  /**
   * A folder (in the owner's My Drive unless `parentId`). Everyone with a token sees it and what is in it,
   * unless `sharedWith` lists who may (`[]`: only the owner). Returns its id.
   */
  createFolder(
    name: string,
    options: { parentId?: string; owner?: string; sharedWith?: string[] } = {},
  ): string {
    const owner = options.owner ?? this.owner;
    return this.#store.add({
      name,
      mimeType: FOLDER_MIME,
      parents: [options.parentId ?? this.#store.rootOf(owner)],
      owner,
      sharedWith: options.sharedWith ? new Set(options.sharedWith) : 'anyone',
    }).id;
  }

  /** A file dropped into a folder (a video, a Google Doc with no bytes, …). Returns its id. */
  addFile(
    folderId: string,
    input: { name: string; mimeType: string; bytes?: Buffer | string; createdTime?: Date | number },
  ): string {
    const folder = this.#file(folderId);
    const created = input.createdTime instanceof Date ? input.createdTime.getTime() : input.createdTime;
    return this.#store.add({
      name: input.name,
      mimeType: input.mimeType,
      parents: [folder.id],
      owner: folder.owner,
      ...(input.bytes !== undefined ? { bytes: Buffer.from(input.bytes) } : {}),
      ...(created !== undefined ? { createdTime: created } : {}),
    }).id;
  }

  /**
   * Adds bytes to the end of a binary file, as a phone's upload still in progress looks to a
   * watcher: its size, checksum and modifiedTime change between polls.
   */
  appendBytes(fileId: string, bytes: Buffer | string): void {
    const file = this.#file(fileId);
    if (file.bytes === undefined) throw new Error(`Drive emulator: ${fileId} holds no bytes`);
    file.bytes = Buffer.concat([file.bytes, Buffer.from(bytes)]);
    file.modifiedTime = this.clock.now();
  }

  /**
   * A Google Docs-type file (a presentation, a document) a person made, in `parentId` or the owner's
   * My Drive, private to the owner unless `sharedWith` names who else may see it. Returns its id.
   */
  createGoogleFile(
    name: string,
    mimeType: string,
    options: { parentId?: string; owner?: string; sharedWith?: string[] } = {},
  ): string {
    const owner = options.owner ?? this.owner;
    return this.#store.add({
      name,
      mimeType,
      parents: [options.parentId ?? this.#store.rootOf(owner)],
      owner,
      ...(options.sharedWith ? { sharedWith: new Set(options.sharedWith) } : {}),
    }).id;
  }

  // ---- For the editors' emulators (Slides), which keep a Google file's content beside Drive. ----

  /**
   * The file if the token may open it: shared with its user, and within its scopes' reach (`extraScopes`
   * are the editor API's own broad scopes, e.g. Slides' `presentations`); undefined otherwise.
   */
  openFor(
    principal: GooglePrincipal,
    id: string,
    extraScopes: readonly string[] = [],
  ): DriveFileView | undefined {
    const file = this.#store.files.get(id);
    if (!file || !this.#store.canSee(file, principal.email)) return undefined;
    if (!file.byApp && !seesAllFiles(principal, extraScopes)) return undefined;
    return view(file);
  }

  /** Calls `listener` after every files.copy, with the source's and the copy's ids. */
  onCopy(listener: (fromId: string, toId: string) => void): void {
    this.#copyListeners.push(listener);
  }

  /** Marks a file changed now (an editor API wrote to it). */
  touch(id: string): void {
    this.#file(id).modifiedTime = this.clock.now();
  }

  /** Moves a file to the trash (it stays listed unless a query asks for `trashed = false`). */
  trash(fileId: string): void {
    const file = this.#file(fileId);
    file.trashed = true;
    file.modifiedTime = this.clock.now();
  }

  /** Lets `email` see a file or folder (and everything in a folder). */
  share(fileId: string, email: string): void {
    const file = this.#file(fileId);
    file.sharedWith = new Set([...(file.sharedWith ?? []), email]);
  }

  file(id: string): DriveFileView | undefined {
    const file = this.#store.files.get(id);
    return file && view(file);
  }

  /** The files in a folder, oldest first (trashed ones included). */
  files(folderId: string): DriveFileView[] {
    return [...this.#store.files.values()]
      .filter((f) => f.parents.includes(folderId))
      .sort((a, b) => a.createdTime - b.createdTime || a.seq - b.seq)
      .map(view);
  }

  #file(id: string): DriveFile {
    const file = this.#store.files.get(id);
    if (!file) throw new Error(`Drive emulator: no file ${id}`);
    return file;
  }

  async #handle(request: Request, upload: boolean): Promise<Response> {
    try {
      const principal = this.#authenticate(request);
      const url = new URL(request.url);
      const path = url.pathname.replace(upload ? /^\/upload\/drive\/v3/ : /^\/drive\/v3/, '');
      const ctx = {
        store: this.#store,
        principal,
        request,
        url,
        seesAll: seesAllFiles(principal),
        shortPage: this.#shortPage,
        copied: (from: string, to: string) => {
          for (const listener of this.#copyListeners) listener(from, to);
        },
      };
      const id = /^\/files\/([^/]+)$/.exec(path)?.[1];
      const copyOf = /^\/files\/([^/]+)\/copy$/.exec(path)?.[1];
      const write = request.method !== 'GET';
      const download = url.searchParams.get('alt') === 'media';
      this.#checkScopes(principal, write ? WRITE_SCOPES : download ? DOWNLOAD_SCOPES : READ_SCOPES);
      if (!this.#quota.take(principal.email)) throw userRateLimited();
      if (request.method === 'GET' && path === '/files' && !upload) return listFiles(ctx);
      if (request.method === 'GET' && id && !upload) return getFile(ctx, decodeURIComponent(id));
      if (request.method === 'POST' && path === '/files') return await createFile(ctx, upload);
      if (request.method === 'POST' && copyOf && !upload)
        return await copyFile(ctx, decodeURIComponent(copyOf));
      return driveErrorResponse(404, 'Not Found', { reason: 'notFound' });
    } catch (err) {
      if (err instanceof DriveApiError) return err.toResponse();
      throw err;
    }
  }

  /** A planned short page, if one fits before the end (`remaining` files left). */
  readonly #shortPage = (remaining: number): number | undefined => {
    const size = this.#shortPages[0];
    if (size === undefined || size >= remaining) return undefined;
    this.#shortPages.shift();
    return size;
  };

  #authenticate(request: Request): GooglePrincipal {
    const principal = this.auth.verify(request);
    if (principal) return principal;
    throw unauthenticated(request.headers.has('authorization'));
  }

  #checkScopes(principal: GooglePrincipal, allowed: string[]): void {
    if (principal.scopes.length === 0 || principal.scopes.some((s) => allowed.includes(s))) return;
    throw insufficientScopes();
  }
}

function view(file: DriveFile): DriveFileView {
  return {
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    parents: file.parents,
    createdTime: String(renderFile(file).createdTime),
    trashed: file.trashed,
    appProperties: file.appProperties,
    bytes: file.bytes,
    owner: file.owner,
  };
}
