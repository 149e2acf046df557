// The duplicate check bounded by time (`createdAfter`): it finds an earlier attempt's card wherever it
// went, and reads only the cards made since the run began, whatever the board holds.
import { beforeEach, describe, expect, it } from 'vitest';
import { TrelloClient } from '../../../connectors/trello/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { TrelloEmulator } from '../../../src/sandbox/trello/index.ts';
import { useEmulators } from '../../support/msw.ts';

const DAY = 86_400_000;
const clock = new ManualClock();
const trello = new TrelloEmulator({ clock, perTokenLimit: 10_000, perKeyLimit: 10_000 });
useEmulators(trello.handlers());
trello.addCredentials('baton-key-1', 'bot-token');
const client = () =>
  new TrelloClient({ key: 'baton-key-1', token: 'bot-token', initialDelayMs: 5, maxDelayMs: 20 });

let boardId: string;
let review: string;
beforeEach(async () => {
  trello.requests.clear();
  trello.lostResponses.clear();
  boardId = trello.createBoard({ name: 'Pitches', lists: ['To review', 'Approved'] }).boardId;
  ({ review } = await client().findLists(boardId, {
    review: { name: 'To review', envVar: 'TRELLO_REVIEW_LIST' },
  }));
});

const checks = () => trello.requests.all().filter((r) => /\/cards\/all/.test(r.path));
/** The ids of every card on the board, list by list. */
const cardIdsOnBoard = () =>
  trello
    .boardView(boardId)
    .lists.flatMap((l) => l.cards)
    .map((c) => c.id);

describe('createCard with createdAfter', () => {
  it('finds the card an earlier attempt made, moved and archived since, without reading older cards', async () => {
    for (let i = 0; i < 60; i++) {
      trello.addCard({
        boardId,
        listName: i % 2 ? 'To review' : 'Approved',
        name: `Old ${i}`,
        desc: 'x'.repeat(500),
      });
    }
    clock.advance(2 * DAY);
    const runCreatedAt = clock.now();
    clock.advance(5_000);
    const input = {
      listId: review,
      name: 'Pitch',
      desc: 'Body',
      idempotencyKey: 'pitch-a:create-card',
      createdAfter: runCreatedAt,
    };
    const first = await client().createCard(input);
    expect(first.created).toBe(true);
    // The process died before journaling `first`; meanwhile a reviewer moved the card and archived it.
    trello.moveCard(first.cardId, 'Approved');
    trello.archiveCard(first.cardId);
    clock.advance(60_000);
    trello.requests.clear();
    const again = await client().createCard(input);
    expect(again).toEqual({ cardId: first.cardId, url: first.url, created: false });
    expect(trello.cards().filter((c) => c.boardId === boardId)).toHaveLength(61);
    // One page, holding the one card made since (less the hour for clock skew): not the 60 old ones.
    expect(checks()).toHaveLength(1);
    expect(checks()[0]!.bytes).toBeLessThan(2_000);
  });

  it('makes one card when the answer to the POST is lost and the client retries', async () => {
    trello.lostResponses.loseNext(1, { method: 'POST', match: /^\/1\/cards\?/ });
    const result = await client().createCard({
      listId: review,
      name: 'Pitch',
      idempotencyKey: 'pitch-b:create-card',
      createdAfter: clock.now(),
    });
    expect(cardIdsOnBoard()).toEqual([result.cardId]);
    expect(trello.requests.count({ method: 'POST', path: /^\/1\/cards\?/ })).toBe(1);
  });

  it('allows an hour of clock skew: a card dated up to an hour before the run is still found', async () => {
    const input = { listId: review, name: 'Pitch', idempotencyKey: 'pitch-c:create-card' };
    const first = await client().createCard(input);
    // Baton's clock ran 50 minutes ahead of Trello's when the run was created.
    const again = await client().createCard({ ...input, createdAfter: clock.now() + 50 * 60_000 });
    expect(again.cardId).toBe(first.cardId);
    expect(again.created).toBe(false);
  });

  it('is bounded: a card with the key made before the run (less the hour) is not looked for', async () => {
    const input = { listId: review, name: 'Pitch', idempotencyKey: 'pitch-d:create-card' };
    const old = await client().createCard(input);
    clock.advance(DAY);
    const fresh = await client().createCard({ ...input, createdAfter: clock.now() });
    expect(fresh.created).toBe(true);
    expect(fresh.cardId).not.toBe(old.cardId);
  });

  it("skips the check on a step's first try (noEarlierTry), and still makes one card when that POST's answer is lost", async () => {
    trello.requests.clear();
    trello.lostResponses.loseNext(1, { method: 'POST', match: /^\/1\/cards\?/ });
    const result = await client().createCard({
      listId: review,
      name: 'Pitch',
      idempotencyKey: 'pitch-e:create-card',
      createdAfter: clock.now(),
      noEarlierTry: true,
    });
    // No check before the first POST; after the lost answer, one check finds the card.
    expect(trello.requests.all().map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([
      `GET /1/lists/${review}`,
      'POST /1/cards',
      `GET /1/boards/${boardId}/cards/all`,
    ]);
    expect(cardIdsOnBoard()).toEqual([result.cardId]);
  });
});
