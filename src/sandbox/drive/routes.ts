// files.list, files.get (metadata and alt=media download), files.create (metadata, multipart and media
// uploads), files.copy.
import type { GooglePrincipal } from '../google/auth.ts';
import { badRequest, DriveApiError, fileNotFound, invalidValue, notDownloadable } from './errors.ts';
import { applyFields, parseFields } from './fields.ts';
import { parseMultipart } from './multipart.ts';
import { compileQuery } from './query.ts';
import {
  DEFAULT_FILE_FIELDS,
  DEFAULT_LIST_FIELDS,
  KNOWN_FOR_FILE,
  KNOWN_FOR_LIST,
  renderFile,
  sortFiles,
} from './resource.ts';
import { type DriveFile, type DriveStore, FOLDER_MIME, isBinary } from './store.ts';

export interface DriveRequest {
  store: DriveStore;
  principal: GooglePrincipal;
  request: Request;
  url: URL;
  /** Whether the token's scopes reach all the user's files, or only those made through the API (drive.file). */
  seesAll: boolean;
  /** Told of every copy, so an editor's emulator (Slides) can copy the file's content too. */
  copied?: (fromId: string, toId: string) => void;
  /**
   * How many files this page holds instead of `pageSize`, when a short page is planned; called only
   * when `remaining` files are left, so a short page always comes before the end.
   */
  shortPage?: (remaining: number) => number | undefined;
}

/**
 * files.list's `pageSize` doc (discovery text shipped in @googleapis/drive): "Pages may be partial or
 * empty even before reaching the end of the file list. … The maximum value is 100; values above 100
 * are changed to 100." Without pageSize the emulator answers 100 too (Drive: all files on My Drive).
 */
const MAX_PAGE_SIZE = 100;

/**
 * The file named by `id` (or `root`) if the caller may see it: shared with them, and reached by the
 * token's scopes (a drive.file token sees only files made through the API, and My Drive itself).
 * @throws 404 File not found, as Drive answers for both.
 */
export function visibleFile(ctx: DriveRequest, id: string): DriveFile {
  const resolved = id === 'root' ? ctx.store.rootOf(ctx.principal.email) : id;
  const file = ctx.store.files.get(resolved);
  if (!file || !reaches(ctx, file)) throw fileNotFound(id);
  return file;
}

function reaches(ctx: DriveRequest, file: DriveFile): boolean {
  const { store, principal } = ctx;
  return store.canSee(file, principal.email) && (ctx.seesAll || file.byApp || store.isRoot(file.id));
}

function fileFields(url: URL): ReturnType<typeof parseFields> {
  return parseFields(url.searchParams.get('fields') ?? DEFAULT_FILE_FIELDS);
}

/** GET /drive/v3/files */
export function listFiles(ctx: DriveRequest): Response {
  const { url, store, principal } = ctx;
  const q = url.searchParams.get('q');
  const matches = q
    ? compileQuery(q, (id) => (id === 'root' ? store.rootOf(principal.email) : id))
    : () => true;
  const asked = Number(url.searchParams.get('pageSize') ?? MAX_PAGE_SIZE);
  if (!Number.isInteger(asked) || asked < 1) throw invalidValue('pageSize');
  const fields = parseFields(url.searchParams.get('fields') ?? DEFAULT_LIST_FIELDS);
  const visible = [...store.files.values()].filter(
    (f) => !store.isRoot(f.id) && reaches(ctx, f) && matches(f),
  );
  const sorted = sortFiles(visible, url.searchParams.get('orderBy'));
  if (!sorted) throw invalidValue('orderBy');
  const search = `${q ?? ''}|${url.searchParams.get('orderBy') ?? ''}|${principal.email}`;
  const offset = readPageToken(url.searchParams.get('pageToken'), search);
  const remaining = sorted.length - offset;
  const pageSize = remaining > 0 ? (ctx.shortPage?.(remaining) ?? Math.min(asked, MAX_PAGE_SIZE)) : asked;
  const page = sorted.slice(offset, offset + pageSize);
  const more = offset + pageSize < sorted.length;
  const body = {
    kind: 'drive#fileList',
    ...(more ? { nextPageToken: pageToken(offset + pageSize, search) } : {}),
    incompleteSearch: false,
    files: page.map(renderFile),
  };
  return Response.json(applyFields(body, fields, KNOWN_FOR_LIST));
}

function pageToken(offset: number, search: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: search })).toString('base64url');
}

/** The offset a page token continues from. @throws 400 Invalid Value for a token of another search. */
function readPageToken(token: string | null, search: string): number {
  if (token === null || token === '') return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      o?: unknown;
      s?: unknown;
    };
    if (typeof parsed.o === 'number' && parsed.s === search) return parsed.o;
  } catch {
    // falls through to the error below
  }
  throw invalidValue('pageToken');
}

/** GET /drive/v3/files/{id}, with `alt=media` the content (a `Range` header gets 206 and that slice). */
export function getFile(ctx: DriveRequest, id: string): Response {
  const file = visibleFile(ctx, id);
  if (ctx.url.searchParams.get('alt') !== 'media') {
    return Response.json(applyFields(renderFile(file), fileFields(ctx.url), KNOWN_FOR_FILE));
  }
  if (!isBinary(file) || file.bytes === undefined) throw notDownloadable();
  const bytes = file.bytes;
  const headers = { 'content-type': file.mimeType };
  const range = /^bytes=(\d*)-(\d*)$/.exec(ctx.request.headers.get('range') ?? '');
  if (!range || (range[1] === '' && range[2] === '')) {
    return new Response(new Uint8Array(bytes), {
      status: 200,
      headers: { ...headers, 'content-length': String(bytes.length) },
    });
  }
  const start = range[1] === '' ? Math.max(0, bytes.length - Number(range[2])) : Number(range[1]);
  const end =
    range[1] === '' || range[2] === '' ? bytes.length - 1 : Math.min(Number(range[2]), bytes.length - 1);
  if (start >= bytes.length || start > end) {
    return new Response(null, { status: 416, headers: { 'content-range': `bytes */${bytes.length}` } });
  }
  return new Response(new Uint8Array(bytes.subarray(start, end + 1)), {
    status: 206,
    headers: {
      ...headers,
      'content-length': String(end - start + 1),
      'content-range': `bytes ${start}-${end}/${bytes.length}`,
    },
  });
}

/** POST /drive/v3/files (metadata only: folders, empty files) and POST /upload/drive/v3/files. */
export async function createFile(ctx: DriveRequest, upload: boolean): Promise<Response> {
  const body = Buffer.from(await ctx.request.arrayBuffer());
  const contentType = ctx.request.headers.get('content-type') ?? '';
  let metadata: Record<string, unknown> = {};
  let media: Buffer | undefined;
  let mediaType: string | undefined;
  if (!upload) {
    metadata = body.length === 0 ? {} : parseJson(body);
  } else {
    const uploadType = ctx.url.searchParams.get('uploadType');
    if (uploadType === 'multipart') {
      ({ metadata, media, mediaType } = parseMultipart(contentType, body));
    } else if (uploadType === 'media') {
      media = body;
      mediaType = contentType.split(';')[0]?.trim() || undefined;
    } else if (uploadType === 'resumable') {
      throw badRequest('Resumable uploads are not emulated; use uploadType=multipart.', 'uploadType');
    } else {
      throw invalidValue('uploadType');
    }
  }
  const mimeType = stringField(metadata, 'mimeType') ?? mediaType ?? 'application/octet-stream';
  const parents = parentsOf(ctx, metadata.parents);
  const appProperties = stringRecord(metadata.appProperties, 'appProperties');
  const description = stringField(metadata, 'description');
  const file = ctx.store.add({
    name: stringField(metadata, 'name') ?? 'Untitled',
    mimeType,
    parents,
    owner: ctx.principal.email,
    ...(media && mimeType !== FOLDER_MIME ? { bytes: media } : {}),
    appProperties,
    ...(description !== undefined ? { description } : {}),
    byApp: true,
  });
  return Response.json(applyFields(renderFile(file), fileFields(ctx.url), KNOWN_FOR_FILE));
}

/**
 * POST /drive/v3/files/{id}/copy: a copy of a file the caller can see, named and placed by the body
 * ("Copy of <name>" in the source's visible parents, else My Drive, when it says nothing). The
 * copy keeps the source's appProperties, overridden by the body's. Folders cannot be copied.
 * @throws 404 File not found when the source is unknown or out of the token's reach.
 */
export async function copyFile(ctx: DriveRequest, id: string): Promise<Response> {
  const source = visibleFile(ctx, id);
  const body = Buffer.from(await ctx.request.arrayBuffer());
  const metadata = body.length === 0 ? {} : parseJson(body);
  if (source.mimeType === FOLDER_MIME) {
    // [unconfirmed] wording; Drive's API has no folder copy.
    throw new DriveApiError(403, 'This file cannot be copied by the user.', {
      reason: 'cannotCopyFile',
      location: 'fileId',
    });
  }
  const inherited = source.parents.filter((p) => {
    const parent = ctx.store.files.get(p);
    return parent !== undefined && reaches(ctx, parent);
  });
  const parents =
    metadata.parents === undefined && inherited.length > 0 ? inherited : parentsOf(ctx, metadata.parents);
  const description = stringField(metadata, 'description') ?? source.description;
  const file = ctx.store.add({
    name: stringField(metadata, 'name') ?? `Copy of ${source.name}`,
    mimeType: source.mimeType,
    parents,
    owner: ctx.principal.email,
    ...(source.bytes ? { bytes: Buffer.from(source.bytes) } : {}),
    appProperties: {
      ...source.appProperties,
      ...stringRecord(metadata.appProperties, 'appProperties'),
    },
    ...(description !== undefined ? { description } : {}),
    byApp: true,
  });
  ctx.copied?.(source.id, file.id);
  return Response.json(applyFields(renderFile(file), fileFields(ctx.url), KNOWN_FOR_FILE));
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // falls through
  }
  throw badRequest('Invalid JSON payload received.');
}

function stringField(metadata: Record<string, unknown>, name: string): string | undefined {
  const value = metadata[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidValue(name);
  return value;
}

function stringRecord(value: unknown, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidValue(name);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalidValue(name);
    out[k] = v;
  }
  return out;
}

/** The one parent folder of a new file (My Drive when none is named). */
function parentsOf(ctx: DriveRequest, raw: unknown): string[] {
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
    return [ctx.store.rootOf(ctx.principal.email)];
  }
  if (!Array.isArray(raw) || raw.some((p) => typeof p !== 'string')) throw invalidValue('parents');
  if (raw.length > 1) {
    throw new DriveApiError(403, 'Increasing the number of parents is not allowed', {
      reason: 'cannotAddParent',
    });
  }
  const parent = visibleFile(ctx, raw[0] as string);
  if (parent.mimeType !== FOLDER_MIME) throw badRequest('The specified parent is not a folder.', 'parents');
  return [parent.id];
}
