// The Trello emulator's object and response-size limits: open cards per board, cards per answer, paging.
import { TrelloClient } from 'trello.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { TrelloEmulator } from '../../src/sandbox/trello/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const trello = new TrelloEmulator({
  clock,
  perTokenLimit: 10_000,
  perKeyLimit: 10_000,
  limits: { openCardsPerBoard: 4, cardsPerResponse: 3 },
});
useEmulators(trello.handlers());
trello.addCredentials('app-key', 'bot-token');

type Card = { id: string; name: string; closed: boolean };
const client = new TrelloClient({ key: 'app-key', token: 'bot-token' });
const get = <T>(url: string, params: Record<string, string | number> = {}) =>
  client.sendRequest<T>({ url, method: 'GET', params });

async function failure(promise: Promise<unknown>): Promise<{ status: number | undefined; data: unknown }> {
  try {
    await promise;
  } catch (err) {
    const { response } = err as { response?: { status: number; data: unknown } };
    if (response) return { status: response.status, data: response.data };
    throw err;
  }
  throw new Error('expected the request to fail');
}

let board: { boardId: string; lists: Record<string, string> };
const create = (name: string, list = 'Review') =>
  client.cards.createCard<Card>({ idList: board.lists[list]!, name });

beforeEach(() => {
  board = trello.createBoard({ name: 'Pitch review', lists: ['Review', 'Approved'] });
});

describe('open cards per board', () => {
  it('refuses a create past openPerBoard until a card is archived, and shows the limit on the board', async () => {
    const cards = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      cards.push(await create(name));
      clock.advance(1_000);
    }
    const refused = await failure(create('e'));
    expect(refused.status).toBe(403);
    expect(refused.data).toMatchObject({ error: 'LIMIT_EXCEEDED' });
    expect((refused.data as { message: string }).message).toMatch(/too many open cards/);
    const limits = await get<{ limits: { cards: { openPerBoard: { status: string; disableAt: number } } } }>(
      `/boards/${board.boardId}`,
      { fields: 'name,limits' },
    );
    expect(limits.limits.cards.openPerBoard).toMatchObject({ status: 'maxExceeded', disableAt: 4 });

    await client.cards.updateCard({ id: cards[0]!.id, closed: true });
    await expect(create('e')).resolves.toMatchObject({ name: 'e' });
    // Restoring the archived card would pass the limit again.
    expect((await failure(client.cards.updateCard({ id: cards[0]!.id, closed: false }))).status).toBe(403);
  });
});

describe('cards per answer', () => {
  beforeEach(async () => {
    for (const name of ['c1', 'c2', 'c3', 'c4']) {
      await create(name, name === 'c4' ? 'Approved' : 'Review');
      clock.advance(1_000);
    }
  });

  it('refuses an unpaged answer with more cards than allowed (API_TOO_MANY_CARDS_REQUESTED)', async () => {
    const tooMany = { status: 403, data: expect.objectContaining({ error: 'API_TOO_MANY_CARDS_REQUESTED' }) };
    expect(await failure(get(`/boards/${board.boardId}/cards`))).toEqual(tooMany);
    expect(await failure(get(`/boards/${board.boardId}/cards/all`))).toEqual(tooMany);
    expect(await failure(get(`/boards/${board.boardId}/lists`, { cards: 'open' }))).toEqual(tooMany);
    // Three cards fit.
    const inReview = await get<Card[]>(`/lists/${board.lists.Review}/cards`);
    expect(inReview.map((c) => c.name)).toEqual(['c1', 'c2', 'c3']);
  });

  it('pages with limit (newest first) and before/since, on a board and on a list', async () => {
    const first = await get<Card[]>(`/boards/${board.boardId}/cards/all`, { limit: 2 });
    expect(first.map((c) => c.name)).toEqual(['c4', 'c3']);
    const second = await get<Card[]>(`/boards/${board.boardId}/cards/all`, {
      limit: 2,
      before: first[1]!.id,
    });
    expect(second.map((c) => c.name)).toEqual(['c2', 'c1']);
    const newer = await get<Card[]>(`/lists/${board.lists.Review}/cards`, {
      limit: 10,
      since: second[0]!.id,
    });
    expect(newer.map((c) => c.name)).toEqual(['c3']);
    expect(await failure(get(`/boards/${board.boardId}/cards`, { limit: 1001 }))).toEqual({
      status: 400,
      data: 'invalid value for limit',
    });
  });
});
