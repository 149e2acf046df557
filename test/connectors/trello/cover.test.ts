// TrelloClient.attachCover through trello.js: a Buffer uploaded as the card's cover, once across repeats and lost answers.
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import { TrelloClient } from '../../../connectors/trello/index.ts';
import { TrelloEmulator } from '../../../src/sandbox/trello/index.ts';
import { useEmulators } from '../../support/msw.ts';

const trello = new TrelloEmulator({ perTokenLimit: 10_000, perKeyLimit: 10_000 });
useEmulators(trello.handlers());
trello.addCredentials('baton-key', 'baton-token');
const board = trello.createBoard({ name: 'Content', lists: ['Review'] });
const client = () =>
  new TrelloClient({
    key: 'baton-key',
    token: 'baton-token',
    maxAttempts: 3,
    initialDelayMs: 1,
    maxDelayMs: 2,
  });

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);
const newCard = (name: string) => trello.addCard({ boardId: board.boardId, listName: 'Review', name });

describe('attachCover', () => {
  it('uploads the image as the cover, and a repeat finds it instead of uploading again', async () => {
    const cardId = newCard('Post 1');
    const image = { name: 'thumbnail-post-1.png', bytes: PNG, mimeType: 'image/png' };
    const first = await client().attachCover(cardId, image);
    expect(first.created).toBe(true);
    const again = await client().attachCover(cardId, image);
    expect(again).toEqual({ attachmentId: first.attachmentId, created: false });
    const card = trello.card(cardId)!;
    expect(card.attachments).toEqual([
      expect.objectContaining({
        id: first.attachmentId,
        name: 'thumbnail-post-1.png',
        mimeType: 'image/png',
      }),
    ]);
    expect(Buffer.from(card.attachments[0]!.bytes!)).toEqual(PNG);
    expect(card.coverId).toBe(first.attachmentId);
  });

  it('does not upload twice when the answer to the upload is lost', async () => {
    const cardId = newCard('Post 2');
    trello.lostResponses.loseNext(1, { method: 'POST', match: /\/attachments/ });
    const { attachmentId } = await client().attachCover(cardId, {
      name: 'thumbnail-post-2.png',
      bytes: PNG,
      mimeType: 'image/png',
    });
    const card = trello.card(cardId)!;
    expect(card.attachments.map((a) => a.id)).toEqual([attachmentId]);
    expect(card.coverId).toBe(attachmentId);
  });

  it('shows the cover on the card as Trello returns it, and a new thumbnail replaces the cover', async () => {
    const cardId = newCard('Post 3');
    const { attachmentId: a } = await client().attachCover(cardId, {
      name: 'v1.png',
      bytes: PNG,
      mimeType: 'image/png',
    });
    const { attachmentId: b } = await client().attachCover(cardId, {
      name: 'v2.png',
      bytes: PNG,
      mimeType: 'image/png',
    });
    expect(trello.card(cardId)!.coverId).toBe(b);
    // Asking for v1 again makes it the cover again without a new upload.
    expect(await client().attachCover(cardId, { name: 'v1.png', bytes: PNG, mimeType: 'image/png' })).toEqual(
      {
        attachmentId: a,
        created: false,
      },
    );
    const raw = (await (
      await fetch(`https://api.trello.com/1/cards/${cardId}?key=baton-key&token=baton-token`)
    ).json()) as { idAttachmentCover: string; badges: { attachments: number } };
    expect(raw).toMatchObject({ idAttachmentCover: a, badges: { attachments: 2 } });
  });

  it('refuses what cannot be a cover before sending anything', async () => {
    const cardId = newCard('Post 4');
    await expect(
      client().attachCover(cardId, { name: 'notes.txt', bytes: Buffer.from('hi'), mimeType: 'text/plain' }),
    ).rejects.toBeInstanceOf(ServiceError);
    expect(trello.card(cardId)!.attachments).toEqual([]);
  });
});

describe('cover, downloadCover and findCard', () => {
  it("reads the cover's bytes back with the OAuth header, and finds a card by its key without making one", async () => {
    const cardId = newCard('Post 9');
    const { attachmentId } = await client().attachCover(cardId, {
      name: 'thumbnail.png',
      bytes: PNG,
      mimeType: 'image/png',
    });
    expect(await client().cover(cardId)).toEqual({ attachmentId, name: 'thumbnail.png' });
    const cover = await client().downloadCover(cardId);
    expect(cover?.name).toBe('thumbnail.png');
    expect(cover?.bytes.equals(PNG)).toBe(true);
    expect(await client().downloadCover(newCard('No cover'))).toBeUndefined();

    // The key and token in the query string are not enough for a download.
    const url = `https://api.trello.com/1/cards/${cardId}/attachments/${attachmentId}/download/thumbnail.png?key=baton-key&token=baton-token`;
    expect((await fetch(url)).status).toBe(401);

    const review = board.lists.Review!;
    const made = await client().createCard({
      listId: review,
      name: 'Post 10',
      desc: 'A post',
      idempotencyKey: 'run-1:post-10-card',
    });
    const cards = trello.cards().length;
    const found = await client().findCard(review, 'run-1:post-10-card');
    expect(found).toMatchObject({ id: made.cardId, name: 'Post 10', desc: 'A post' });
    expect(await client().findCard(review, 'run-1:post-11-card')).toBeUndefined();
    expect(trello.cards()).toHaveLength(cards);
  });
});
