// NotionClient file uploads through @notionhq/client: a thumbnail uploaded and attached as a cover and an image block.
import { beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { notionWorld, TOKEN } from './setup.ts';

const { clock, emulator, researchDatabase, client } = notionWorld({ freePlan: true });
useEmulators(emulator.handlers());

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const thumbnail = { bytes: PNG, filename: 'thumbnail.png', contentType: 'image/png' };

let research: { databaseId: string; dataSourceId: string };
beforeEach(() => {
  emulator.lostResponses.clear();
  research = researchDatabase();
});

async function newPage(name: string): Promise<string> {
  const { pageId } = await client().createPage({
    dataSource: research.databaseId,
    properties: { Company: name },
    idempotencyKey: `page-${name}`,
  });
  return pageId;
}

describe('uploadFile', () => {
  it('uploads the bytes with their type and attaches them as the cover and as an image block', async () => {
    const notion = client();
    const pageId = await newPage('Post 1');
    const uploadId = await notion.uploadFile(thumbnail);
    expect(emulator.fileUpload(uploadId)).toMatchObject({
      status: 'uploaded',
      filename: 'thumbnail.png',
      contentType: 'image/png',
      bytes: PNG,
    });
    await notion.setPageCover(pageId, uploadId);
    await notion.appendImage(pageId, uploadId, { caption: 'Thumbnail' });
    expect(emulator.pageCover(pageId)).toEqual({ fileUploadId: uploadId });
    expect(emulator.blocks(pageId)).toEqual([
      expect.objectContaining({ type: 'image', text: '', fileUploadId: uploadId }),
    ]);
    // Attached: it no longer expires.
    clock.advance(2 * 3_600_000);
    expect(emulator.fileUpload(uploadId)).toMatchObject({ status: 'uploaded', expiresAt: undefined });
    const page = (await (
      await fetch(`https://api.notion.com/v1/pages/${pageId}`, {
        headers: { Authorization: `Bearer ${TOKEN}`, 'Notion-Version': '2025-09-03' },
      })
    ).json()) as { cover: unknown };
    expect(page.cover).toMatchObject({
      type: 'file',
      file: { url: expect.stringContaining('thumbnail.png') },
    });
  });

  it('does not send twice when the answer to the send is lost', async () => {
    emulator.requests.clear();
    emulator.lostResponses.loseNext(1, { method: 'POST', match: /\/send$/ });
    const uploadId = await client().uploadFile(thumbnail);
    expect(emulator.fileUpload(uploadId)?.status).toBe('uploaded');
    expect(emulator.requests.count({ method: 'POST', path: /\/send$/ })).toBe(1);
    // The retry read the upload instead of sending again.
    expect(emulator.requests.count({ method: 'GET', path: new RegExp(`/file_uploads/${uploadId}$`) })).toBe(
      1,
    );
  });

  it('refuses a file over the free plan limit before sending, and the emulator enforces it too', async () => {
    const big = { ...thumbnail, bytes: new Uint8Array(5 * 1024 * 1024 + 1) };
    const err = await client()
      .uploadFile(big)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as Error).message).toMatch(/5\.0 MiB/);
    const lenient = client({ maxUploadBytes: 10 * 1024 * 1024 });
    await expect(lenient.uploadFile(big)).rejects.toThrow(/exceeds the limit/);
  });

  it('lets an unattached upload expire: attaching it later is refused', async () => {
    const notion = client();
    const pageId = await newPage('Post 2');
    const uploadId = await notion.uploadFile(thumbnail);
    clock.advance(3_600_000);
    expect(emulator.fileUpload(uploadId)?.status).toBe('expired');
    await expect(notion.setPageCover(pageId, uploadId)).rejects.toThrow(/expired/);
    expect(emulator.pageCover(pageId)).toBeUndefined();
  });
});
