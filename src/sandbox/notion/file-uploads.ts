// The File Upload API: create, send (multipart), retrieve, list; and attaching an upload to a block or a page cover.
import type { ParsedBlock } from './blocks.ts';
import { invalid, NotionApiError } from './errors.ts';
import { newId, normalizeId } from './ids.ts';
import { notionTime } from './render.ts';
import type { Integration, NotionState, PageCover } from './state.ts';

export interface FileUploadRecord {
  id: string;
  /** The integration (bot) that created it: only it may send, read and attach it. */
  botId: string;
  filename: string | null;
  contentType: string | null;
  bytes: Uint8Array | undefined;
  status: 'pending' | 'uploaded' | 'expired';
  createdTime: number;
  lastEditedTime: number;
  /** When an upload not yet attached expires; undefined once attached somewhere. */
  expiresAt: number | undefined;
  /** Blocks and pages (covers) it is attached to. */
  attachedTo: string[];
}

export interface FileUploadLimits {
  /** Bytes per file: 20 MiB for one part; a free workspace takes 5 MiB [unconfirmed]. */
  maxBytes: number;
  /** How long an upload may stay unattached (1 h in the docs' example). */
  unattachedTtlMs: number;
}

const MEDIA_BLOCKS = new Set(['image', 'file', 'pdf', 'video', 'audio']);
/** How long a signed file URL in an answer lasts. */
const FILE_URL_TTL_MS = 3_600_000;

const uploadNotFound = (id: string) =>
  new NotionApiError(404, 'object_not_found', `Could not find file_upload with ID: ${id}.`);

/** The upload, with an unattached one past its expiry marked `expired`. */
function uploadFor(
  state: NotionState,
  integration: Integration,
  raw: string | undefined,
  now: number,
): FileUploadRecord {
  const id = raw === undefined ? undefined : normalizeId(raw);
  const upload = id ? state.fileUploads.get(id) : undefined;
  if (!upload || upload.botId !== integration.botId) throw uploadNotFound(raw ?? '');
  if (upload.expiresAt !== undefined && now >= upload.expiresAt && upload.status !== 'expired') {
    upload.status = 'expired';
  }
  return upload;
}

export function renderFileUpload(upload: FileUploadRecord): Record<string, unknown> {
  return {
    object: 'file_upload',
    id: upload.id,
    created_time: notionTime(upload.createdTime),
    created_by: { id: upload.botId, type: 'bot' },
    last_edited_time: notionTime(upload.lastEditedTime),
    archived: false,
    expiry_time: upload.expiresAt === undefined ? null : new Date(upload.expiresAt).toISOString(),
    status: upload.status,
    filename: upload.filename,
    content_type: upload.contentType,
    content_length: upload.bytes?.byteLength ?? null,
    upload_url:
      upload.status === 'pending' ? `https://api.notion.com/v1/file_uploads/${upload.id}/send` : null,
    complete_url: null,
    number_of_parts: { total: 1, sent: upload.status === 'pending' ? 0 : 1 },
  };
}

/** POST /v1/file_uploads and friends. `segments` follow `v1/`; undefined when the path is not theirs. */
export async function fileUploadRoute(
  state: NotionState,
  integration: Integration,
  request: Request,
  segments: string[],
  now: number,
  limits: FileUploadLimits,
): Promise<Record<string, unknown> | undefined> {
  if (segments[0] !== 'file_uploads') return undefined;
  const [, id, action] = segments;
  if (request.method === 'POST' && id === undefined) {
    const body = await jsonBody(request);
    const mode = body.mode ?? 'single_part';
    if (mode !== 'single_part')
      throw invalid(`The emulator supports mode single_part only, not \`${String(mode)}\`.`);
    if (
      body.filename !== undefined &&
      (typeof body.filename !== 'string' || Buffer.byteLength(body.filename) > 900)
    )
      throw invalid('body failed validation: body.filename should be a string of at most 900 bytes.');
    const upload: FileUploadRecord = {
      id: newId(),
      botId: integration.botId,
      filename: typeof body.filename === 'string' ? body.filename : null,
      contentType: typeof body.content_type === 'string' ? body.content_type : null,
      bytes: undefined,
      status: 'pending',
      createdTime: now,
      lastEditedTime: now,
      expiresAt: now + limits.unattachedTtlMs,
      attachedTo: [],
    };
    state.fileUploads.set(upload.id, upload);
    return renderFileUpload(upload);
  }
  if (request.method === 'GET' && id === undefined) {
    const status = new URL(request.url).searchParams.get('status');
    const mine = [...state.fileUploads.values()]
      .filter((u) => u.botId === integration.botId)
      .map((u) => uploadFor(state, integration, u.id, now))
      .filter((u) => !status || u.status === status);
    return {
      object: 'list',
      results: mine.map(renderFileUpload),
      next_cursor: null,
      has_more: false,
      type: 'file_upload',
      file_upload: {},
    };
  }
  if (request.method === 'GET' && id !== undefined && action === undefined) {
    return renderFileUpload(uploadFor(state, integration, id, now));
  }
  if (request.method === 'POST' && id !== undefined && action === 'send') {
    const upload = uploadFor(state, integration, id, now);
    if (upload.status !== 'pending') {
      throw invalid(
        `File upload with ID ${upload.id} is ${upload.status}; only a pending upload can be sent.`,
      );
    }
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw invalid('Send a file upload with a Content-Type of multipart/form-data.');
    }
    const file = form.get('file');
    if (file === null || typeof file === 'string') {
      throw invalid('body failed validation: body.file should be defined, instead was `undefined`.');
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (bytes.byteLength > limits.maxBytes) {
      throw invalid(
        `The file size ${bytes.byteLength} bytes exceeds the limit of ${limits.maxBytes} bytes for this workspace.`,
      );
    }
    upload.bytes = bytes;
    upload.filename ??= file.name || null;
    upload.contentType ??= file.type || null;
    upload.status = 'uploaded';
    upload.lastEditedTime = now;
    return renderFileUpload(upload);
  }
  return undefined;
}

/** An upload about to be attached, checked: its file object as answers show it. */
function attachable(
  state: NotionState,
  integration: Integration,
  raw: unknown,
  path: string,
  now: number,
): { upload: FileUploadRecord; rendered: Record<string, unknown> } {
  const ref = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  if (typeof ref !== 'string')
    throw invalid(`body failed validation: ${path}.file_upload.id should be defined.`);
  const upload = uploadFor(state, integration, ref, now);
  if (upload.status !== 'uploaded') {
    throw invalid(`File upload with ID ${upload.id} is ${upload.status} and cannot be attached.`);
  }
  const name = encodeURIComponent(upload.filename ?? 'file');
  return {
    upload,
    rendered: {
      type: 'file',
      file: {
        url: `https://prod-files-secure.s3.us-west-2.amazonaws.com/emulated/${upload.id}/${name}`,
        expiry_time: new Date(now + FILE_URL_TTL_MS).toISOString(),
      },
    },
  };
}

/** Once the write has happened: the uploads no longer expire, and know where they are attached. */
export function markAttached(uploads: FileUploadRecord[], targetId: string): void {
  for (const upload of uploads) {
    upload.expiresAt = undefined;
    upload.attachedTo.push(targetId);
  }
}

/**
 * Replaces `{ type: 'file_upload', file_upload: { id } }` in media blocks (image, file, pdf, video,
 * audio, nested ones too) by the file as answers show it. Call `markAttached` with the result once
 * the blocks are written.
 * @throws 400 validation_error for an upload that is pending or expired; 404 for another integration's
 */
export function resolveBlockUploads(
  state: NotionState,
  integration: Integration,
  blocks: ParsedBlock[],
  now: number,
  path = 'body.children',
): FileUploadRecord[] {
  const uploads: FileUploadRecord[] = [];
  blocks.forEach((block, i) => {
    if (MEDIA_BLOCKS.has(block.type) && block.content.type === 'file_upload') {
      const { file_upload, type: _type, ...rest } = block.content;
      const { upload, rendered } = attachable(
        state,
        integration,
        file_upload,
        `${path}[${i}].${block.type}`,
        now,
      );
      block.content = { ...rest, ...rendered };
      block.fileUploadId = upload.id;
      uploads.push(upload);
    }
    uploads.push(...resolveBlockUploads(state, integration, block.children, now, `${path}[${i}].children`));
  });
  return uploads;
}

/** A page cover from a request: an external URL or a file upload (checked); `null` removes it. */
export function resolveCover(
  state: NotionState,
  integration: Integration,
  raw: unknown,
  now: number,
): { cover: PageCover | null; uploads: FileUploadRecord[] } {
  if (raw === null) return { cover: null, uploads: [] };
  const cover = typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (cover.type === 'external' || (cover.type === undefined && 'external' in cover)) {
    const url = (cover.external as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string')
      throw invalid('body failed validation: body.cover.external.url should be a string.');
    return { cover: { rendered: { type: 'external', external: { url } } }, uploads: [] };
  }
  if (cover.type === 'file_upload' || (cover.type === undefined && 'file_upload' in cover)) {
    const { upload, rendered } = attachable(state, integration, cover.file_upload, 'body.cover', now);
    return { cover: { rendered, fileUploadId: upload.id }, uploads: [upload] };
  }
  throw invalid('body failed validation: body.cover should be an external URL or a file_upload.');
}

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new NotionApiError(400, 'invalid_json', 'Error parsing JSON body.');
}
