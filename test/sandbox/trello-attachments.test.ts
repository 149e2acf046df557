// The Trello emulator's card attachments: multipart uploads, links, the cover, reading back and deleting.
import { describe, expect, it } from 'vitest';
import { TrelloEmulator } from '../../src/sandbox/trello/index.ts';
import { useEmulators } from '../support/msw.ts';

const trello = new TrelloEmulator({
  perTokenLimit: 10_000,
  perKeyLimit: 10_000,
  limits: { attachmentBytes: 1000 },
});
useEmulators(trello.handlers());
trello.addCredentials('k', 't');
const board = trello.createBoard({ name: 'Review', lists: ['Review'] });
const auth = 'key=k&token=t';
const api = (path: string, init?: RequestInit) =>
  fetch(`https://api.trello.com/1/${path}${path.includes('?') ? '&' : '?'}${auth}`, init);

function upload(cardId: string, bytes: Uint8Array, fields: Record<string, string>) {
  const form = new FormData();
  form.append(
    'file',
    new Blob([bytes as Uint8Array<ArrayBuffer>], { type: fields.mimeType ?? '' }),
    fields.name ?? 'file',
  );
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return api(`cards/${cardId}/attachments`, { method: 'POST', body: form });
}

describe('card attachments', () => {
  it('stores an upload, makes an image the cover only with setCover, and reads them back', async () => {
    const cardId = trello.addCard({ boardId: board.boardId, listName: 'Review', name: 'A' });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const res = await upload(cardId, png, { name: 'thumb.png', mimeType: 'image/png', setCover: 'true' });
    expect(res.status).toBe(200);
    const attachment = (await res.json()) as { id: string; bytes: number; isUpload: boolean; name: string };
    expect(attachment).toMatchObject({ bytes: 4, isUpload: true, name: 'thumb.png', mimeType: 'image/png' });
    const text = await upload(cardId, new Uint8Array([1]), {
      name: 'notes.txt',
      mimeType: 'text/plain',
      setCover: 'true',
    });
    expect(text.status).toBe(200);
    const card = (await (await api(`cards/${cardId}`)).json()) as Record<string, unknown>;
    expect(card).toMatchObject({ idAttachmentCover: attachment.id, cover: { idAttachment: attachment.id } });
    const list = (await (await api(`cards/${cardId}/attachments`)).json()) as { name: string }[];
    expect(list.map((a) => a.name)).toEqual(['thumb.png', 'notes.txt']);
    expect((await api(`cards/${cardId}/attachments/${attachment.id}`)).status).toBe(200);
    expect((await api(`cards/${cardId}/attachments/${attachment.id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect(trello.card(cardId)).toMatchObject({ coverId: undefined, attachments: [{ name: 'notes.txt' }] });
  });

  it('takes links, refuses a request with neither file nor url, and a file over the size limit', async () => {
    const cardId = trello.addCard({ boardId: board.boardId, listName: 'Review', name: 'B' });
    const link = await api(`cards/${cardId}/attachments?url=${encodeURIComponent('https://example.com/t')}`, {
      method: 'POST',
    });
    expect(await link.json()).toMatchObject({ isUpload: false, url: 'https://example.com/t' });
    expect((await api(`cards/${cardId}/attachments`, { method: 'POST' })).status).toBe(400);
    expect(
      (await upload(cardId, new Uint8Array(1001), { name: 'big.png', mimeType: 'image/png' })).status,
    ).toBe(413);
  });
});
