// Card attachments in the Trello emulator: upload (multipart `file`) or link, list, read, delete, and the card cover.
import { isObjectId } from './ids.ts';
import { pickFields, renderAttachment } from './render.ts';
import { cardOr404, type Route, textParam } from './router.ts';
import type { AttachmentRecord, CardRecord, TrelloState } from './state.ts';
import { invalidId, invalidValue, json, notFound, text } from './wire.ts';

function attachmentOf(state: TrelloState, card: CardRecord, id: string): AttachmentRecord {
  if (!isObjectId(id)) throw invalidId();
  const found = state.attachments.get(card.id)?.find((a) => a.id === id.toLowerCase());
  if (!found) throw notFound();
  return found;
}

export const attachmentRoutes: Route[] = [
  {
    method: 'POST',
    path: 'cards/:id/attachments',
    handle({ state, params, args, memberId }) {
      const card = cardOr404(state, args[0]!);
      const file = params.file('file');
      const link = params.get('url');
      if (!file && !link) throw invalidValue('url');
      if (link !== undefined && !file && !/^https?:\/\//.test(link)) throw invalidValue('url');
      if (file && file.bytes.byteLength > state.limits.attachmentBytes) {
        // Trello documents the size limit, not the refusal's wording [unconfirmed].
        throw text(413, 'request entity too large');
      }
      const name = textParam(params, 'name', 256) ?? file?.filename ?? link ?? '';
      const mimeType = params.get('mimeType') || file?.type || '';
      const setCover = params.bool('setCover') ?? false;
      const id = state.newId();
      const list = state.attachments.get(card.id) ?? [];
      const fileName = file ? file.filename || name : null;
      const attachment: AttachmentRecord = {
        id,
        idCard: card.id,
        idMember: memberId,
        name,
        fileName,
        mimeType,
        bytes: file?.bytes,
        url: file
          ? `https://trello.com/1/cards/${card.id}/attachments/${id}/download/${encodeURIComponent(fileName ?? 'file')}`
          : link!,
        isUpload: file !== undefined,
        date: state.nowIso(),
        pos: (list.length + 1) * 16_384,
      };
      list.push(attachment);
      state.attachments.set(card.id, list);
      // Only an uploaded image can be a cover; Trello ignores setCover for anything else.
      if (setCover && file && mimeType.startsWith('image/')) state.covers.set(card.id, id);
      return json(renderAttachment(attachment));
    },
  },
  {
    method: 'GET',
    path: 'cards/:id/attachments',
    handle({ state, params, args }) {
      const card = cardOr404(state, args[0]!);
      const list = state.attachments.get(card.id) ?? [];
      return json(list.map((a) => pickFields(renderAttachment(a), params.get('fields'))));
    },
  },
  {
    method: 'GET',
    path: 'cards/:id/attachments/:idAttachment',
    handle({ state, params, args }) {
      const card = cardOr404(state, args[0]!);
      return json(pickFields(renderAttachment(attachmentOf(state, card, args[1]!)), params.get('fields')));
    },
  },
  {
    // Only with the `Authorization: OAuth …` header (checked by the emulator before the route).
    method: 'GET',
    path: 'cards/:id/attachments/:idAttachment/download/:fileName',
    handle({ state, args }) {
      const card = cardOr404(state, args[0]!);
      const attachment = attachmentOf(state, card, args[1]!);
      if (!attachment.bytes || attachment.fileName !== args[2]) throw notFound();
      return new Response(new Uint8Array(attachment.bytes), {
        status: 200,
        headers: { 'content-type': attachment.mimeType || 'application/octet-stream' },
      });
    },
  },
  {
    method: 'DELETE',
    path: 'cards/:id/attachments/:idAttachment',
    handle({ state, args }) {
      const card = cardOr404(state, args[0]!);
      const attachment = attachmentOf(state, card, args[1]!);
      state.attachments.set(
        card.id,
        (state.attachments.get(card.id) ?? []).filter((a) => a.id !== attachment.id),
      );
      if (state.covers.get(card.id) === attachment.id) state.covers.delete(card.id);
      return json({ limits: {} });
    },
  },
];
