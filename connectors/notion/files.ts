// Files in Notion through the File Upload API: upload once, attach as a page cover or an image block.
import { ServiceError } from '../core/index.ts';
import type { NotionApi } from './api.ts';
import { countChildren, short } from './body.ts';
import type { BlockRequest } from './markdown.ts';

/** A free Notion workspace takes files up to 5 MiB [unconfirmed]; paid ones more (single part ≤ 20 MB). */
export const FREE_PLAN_UPLOAD_BYTES = 5 * 1024 * 1024;

export interface FileToUpload {
  bytes: Uint8Array;
  filename: string;
  /** e.g. `image/png`: Notion keeps it, and an image block needs an image type. */
  contentType: string;
}

/**
 * Creates a single-part upload and sends the bytes, wrapped in a Blob that carries the type
 * (@notionhq/client wraps a bare Buffer in a Blob without one). An upload left unattached expires
 * after about an hour: attach it right away.
 * @returns the file upload id
 * @throws ServiceError before sending anything when the file is over `maxBytes`
 */
export async function uploadFile(api: NotionApi, file: FileToUpload, maxBytes: number): Promise<string> {
  if (file.bytes.byteLength === 0) {
    throw new ServiceError('notion', `Notion upload: ${file.filename} is empty`);
  }
  if (file.bytes.byteLength > maxBytes) {
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    throw new ServiceError('notion', `Notion upload: ${file.filename} is ${mib(file.bytes.byteLength)}`, {
      hint: `the workspace takes files up to ${mib(maxBytes)} (5 MiB on the Free plan); make the image smaller`,
    });
  }
  const created = await api.createFileUpload(
    file.filename,
    file.contentType,
    `start uploading ${file.filename}`,
  );
  const data = new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.contentType });
  const sent = await api.sendFileUpload(
    created.id,
    { filename: file.filename, data },
    `upload ${file.filename}`,
  );
  if (sent.status !== 'uploaded') {
    throw new ServiceError('notion', `Notion upload of ${file.filename} ended ${sent.status}`, {
      retryable: true,
    });
  }
  return created.id;
}

/** Appends an image block made from an upload; a retry after a lost answer first checks whether it was added. */
export async function appendImage(
  api: NotionApi,
  pageId: string,
  fileUploadId: string,
  caption: string | undefined,
): Promise<void> {
  const before = await countChildren(api, pageId);
  const block = {
    type: 'image',
    image: {
      type: 'file_upload',
      file_upload: { id: fileUploadId },
      ...(caption ? { caption: [{ type: 'text', text: { content: caption.slice(0, 2000) } }] } : {}),
    },
  } as unknown as BlockRequest;
  await api.writeOnce(
    `add an image to page ${short(pageId)}`,
    async () => ((await countChildren(api, pageId)) > before ? true : undefined),
    async () => {
      await api.appendChildren(pageId, [block]);
      return true;
    },
  );
}
