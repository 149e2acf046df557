// The Trello emulator answers trello.js 1.2.8 the way api.trello.com does: shapes, feed paging, errors, limits.
import { TrelloClient } from 'trello.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { TrelloEmulator } from '../../src/sandbox/trello/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const trello = new TrelloEmulator({ clock });
const server = useEmulators(trello.handlers());
const botId = trello.addCredentials('app-key', 'bot-token');

type Action = {
  id: string;
  type: string;
  date: string;
  idMemberCreator: string;
  data: Record<string, { id?: string; name?: string } | string | undefined> & {
    old?: Record<string, unknown>;
  };
  memberCreator: { id: string; fullName: string; username: string };
};
type Card = {
  id: string;
  name: string;
  desc: string;
  idList: string;
  idBoard: string;
  closed: boolean;
  url: string;
};

const client = () => new TrelloClient({ key: 'app-key', token: 'bot-token' });

/** Board actions through trello.js's request path: 1.2.8's getBoardActions only forwards `filter`. */
const boardActions = (boardId: string, params: Record<string, string | number>) =>
  client().sendRequest<Action[]>({ url: `/boards/${boardId}/actions`, method: 'GET', params });

async function failure(promise: Promise<unknown>): Promise<{ status: number | undefined; data: unknown }> {
  try {
    await promise;
  } catch (err) {
    // trello.js rethrows axios's error: the answer is on `response`.
    const { response } = err as { response?: { status: number; data: unknown } };
    if (response) return { status: response.status, data: response.data };
    throw err;
  }
  throw new Error('expected the request to fail');
}

let board: { boardId: string; lists: Record<string, string> };
beforeEach(() => {
  board = trello.createBoard({ name: 'Pitch review', lists: ['To review', 'Approved', 'Rejected'] });
  clock.advance(60_000); // each test starts in a fresh rate window
});
afterEach(() => {
  trello.faults.clear();
  trello.lostResponses.clear();
});

describe('documented shapes', () => {
  it('serves a board with its lists and labels, and its lists on their own', async () => {
    const got = await client().boards.getBoard<{ id: string; name: string; lists: { name: string }[] }>({
      id: board.boardId,
      lists: 'open',
      labels: 'all',
    });
    expect(got).toMatchObject({ id: board.boardId, name: 'Pitch review', closed: false });
    expect(got.lists.map((l) => l.name)).toEqual(['To review', 'Approved', 'Rejected']);

    const lists = await client().boards.getBoardLists({ id: board.boardId });
    expect(lists[1]).toMatchObject({
      id: board.lists.Approved,
      name: 'Approved',
      closed: false,
      idBoard: board.boardId,
    });
    expect(typeof lists[1]!.pos).toBe('number');
  });

  it('creates a card with a 24-hex id, short URL and named labels, and reads it back with comments and list', async () => {
    const label = await client().boards.createBoardLabel<{ id: string }>({
      id: board.boardId,
      name: 'pitch',
      color: 'blue',
    });
    const card = await client().cards.createCard<Card & { shortUrl: string; labels: { name: string }[] }>({
      idList: board.lists['To review']!,
      name: 'Pitch for ACME',
      desc: 'Hello ACME',
      idLabels: [label.id],
    });
    expect(card.id).toMatch(/^[0-9a-f]{24}$/);
    expect(card).toMatchObject({
      name: 'Pitch for ACME',
      desc: 'Hello ACME',
      idBoard: board.boardId,
      closed: false,
    });
    expect(card.shortUrl).toMatch(/^https:\/\/trello\.com\/c\/[0-9A-Za-z]{8}$/);
    expect(card.labels.map((l) => l.name)).toEqual(['pitch']);

    trello.comment(card.id, 'Looks good');
    const read = await client().cards.getCard<Card & { list: { name: string }; actions: Action[] }>({
      id: card.id,
      actions: 'commentCard',
      list: true,
    });
    expect(read.list.name).toBe('To review');
    expect(read.actions.map((a) => a.data.text)).toEqual(['Looks good']);
    expect(read.actions[0]!.memberCreator.fullName).toBe('Robin Reviewer');
  });

  it('lists open cards by default and archived ones only when asked', async () => {
    const keep = await client().cards.createCard<Card>({ idList: board.lists['To review']!, name: 'keep' });
    const archived = await client().cards.createCard<Card>({
      idList: board.lists['To review']!,
      name: 'old',
    });
    await client().cards.updateCard({ id: archived.id, closed: true });

    const open = await client().boards.getBoardCards<Card[]>({ id: board.boardId });
    expect(open.map((c) => c.id)).toEqual([keep.id]);
    const all = await client().boards.getBoardCardsFilter<Card[]>({ id: board.boardId, filter: 'all' });
    expect(all.map((c) => c.name).sort()).toEqual(['keep', 'old']);
    const inList = await client().lists.getListCards<Card[]>({ id: board.lists['To review']! });
    expect(inList.map((c) => c.id)).toEqual([keep.id]);
  });

  it('moves, edits and deletes a card, each change visible to the next read', async () => {
    const card = await client().cards.createCard<Card>({
      idList: board.lists['To review']!,
      name: 'Move me',
    });
    const moved = await client().cards.updateCard<Card>({
      id: card.id,
      idList: board.lists.Approved,
      desc: 'v2',
    });
    expect(moved).toMatchObject({ idList: board.lists.Approved, desc: 'v2' });
    expect(trello.card(card.id)).toMatchObject({ listName: 'Approved', desc: 'v2' });

    await client().cards.deleteCard({ id: card.id });
    expect(trello.card(card.id)).toBeUndefined();
    expect(await failure(client().cards.getCard({ id: card.id }))).toEqual({
      status: 404,
      data: 'The requested resource was not found.',
    });
  });
});

describe('actions feed', () => {
  it('records moves with listBefore/listAfter and old.idList, desc edits and comments, newest first', async () => {
    const card = await client().cards.createCard<Card>({ idList: board.lists['To review']!, name: 'Pitch' });
    clock.advance(1000);
    trello.moveCard(card.id, 'Approved');
    trello.editDescription(card.id, 'Edited by a human');
    trello.comment(card.id, 'Ship it');

    const all = await client().boards.getBoardActions<Action[]>({ boardId: board.boardId });
    expect(all.map((a) => a.type)).toEqual(['commentCard', 'updateCard', 'updateCard', 'createCard']);
    const [comment, edit, move, create] = all as [Action, Action, Action, Action];
    expect(move.data.listBefore).toEqual({ id: board.lists['To review'], name: 'To review' });
    expect(move.data.listAfter).toEqual({ id: board.lists.Approved, name: 'Approved' });
    expect(move.data.old).toEqual({ idList: board.lists['To review'] });
    expect(edit.data.old).toEqual({ desc: '' });
    expect(comment.data.text).toBe('Ship it');
    expect(comment.data.card).toMatchObject({ id: card.id, name: 'Pitch' });
    expect(move.memberCreator).toMatchObject({ id: trello.reviewerId, fullName: 'Robin Reviewer' });
    expect(create.idMemberCreator).toBe(botId);
    expect(all.map((a) => a.id)).toEqual(
      all
        .map((a) => a.id)
        .sort()
        .reverse(),
    );

    const moves = await client().boards.getBoardActions<Action[]>({
      boardId: board.boardId,
      filter: 'updateCard:idList,commentCard',
    });
    expect(moves.map((a) => a.id)).toEqual([comment.id, move.id]);
  });

  it('pages with since, before and limit (ids or dates)', async () => {
    const card = await client().cards.createCard<Card>({ idList: board.lists['To review']!, name: 'Busy' });
    const comments: string[] = [];
    for (let i = 1; i <= 5; i++) {
      clock.advance(1000);
      comments.push(trello.comment(card.id, `comment ${i}`));
    }
    const filter = 'commentCard';
    const newest2 = await boardActions(board.boardId, { filter, limit: 2 });
    expect(newest2.map((a) => a.data.text)).toEqual(['comment 5', 'comment 4']);

    const since = await boardActions(board.boardId, { filter, since: comments[2]! });
    expect(since.map((a) => a.data.text)).toEqual(['comment 5', 'comment 4']);

    const older = await boardActions(board.boardId, {
      filter,
      since: comments[0]!,
      before: comments[3]!,
      limit: 10,
    });
    expect(older.map((a) => a.data.text)).toEqual(['comment 3', 'comment 2']);

    const byDate = await boardActions(board.boardId, { filter, since: newest2[1]!.date });
    expect(byDate.map((a) => a.data.text)).toEqual(['comment 5']);

    expect(await boardActions(board.boardId, { filter, since: comments[4]! })).toEqual([]);
    expect(await failure(boardActions(board.boardId, { limit: 1001 }))).toEqual({
      status: 400,
      data: 'invalid value for limit',
    });
  });
});

describe('errors', () => {
  it('answers 401 invalid token / invalid key in plain text', async () => {
    const badToken = new TrelloClient({ key: 'app-key', token: 'revoked' });
    expect(await failure(badToken.boards.getBoard({ id: board.boardId }))).toEqual({
      status: 401,
      data: 'invalid token',
    });
    const badKey = new TrelloClient({ key: 'other-key', token: 'bot-token' });
    expect(await failure(badKey.boards.getBoard({ id: board.boardId }))).toEqual({
      status: 401,
      data: 'invalid key',
    });
  });

  it('accepts the OAuth header form of the credentials', async () => {
    const response = await fetch(`https://api.trello.com/1/boards/${board.boardId}`, {
      headers: { Authorization: 'OAuth oauth_consumer_key="app-key", oauth_token="bot-token"' },
    });
    expect(response.status).toBe(200);
  });

  it('answers 400 invalid id for malformed ids and 404 for unknown ones', async () => {
    expect(await failure(client().cards.getCard({ id: 'not-an-id' }))).toEqual({
      status: 400,
      data: 'invalid id',
    });
    expect(await failure(client().boards.getBoard({ id: 'f'.repeat(24) }))).toEqual({
      status: 404,
      data: 'The requested resource was not found.',
    });
  });

  it('rejects bad card input the way Trello does', async () => {
    const idList = board.lists['To review']!;
    expect(await failure(client().cards.createCard({ idList, name: 'x', idLabels: ['nope'] }))).toEqual({
      status: 400,
      data: { message: 'Invalid objectId', error: 'ERROR' },
    });
    // trello.js puts `desc` in the query string; long text goes in a JSON body, which Trello also reads.
    const create = (desc: string) =>
      client().sendRequest<Card>({ url: '/cards', method: 'POST', data: { idList, name: 'x', desc } });
    expect(await failure(create('d'.repeat(16_385)))).toEqual({
      status: 400,
      data: 'invalid value for desc',
    });
    expect((await create('d'.repeat(16_384))).desc).toHaveLength(16_384);
    expect(await failure(client().cards.createCard({ idList: 'bad', name: 'x' }))).toEqual({
      status: 400,
      data: 'invalid value for idList',
    });
  });

  it('renders injected failures in Trello shapes, and can lose an answer after the change happened', async () => {
    trello.faults.failNext(1, 500);
    expect(await failure(client().boards.getBoard({ id: board.boardId }))).toMatchObject({ status: 500 });

    trello.lostResponses.loseNext(1, { method: 'POST', match: /^\/1\/cards\?/ });
    await expect(
      client().cards.createCard({ idList: board.lists['To review']!, name: 'Lost' }),
    ).rejects.toThrow();
    expect(trello.boardView(board.boardId).lists[0]!.cards.map((c) => c.name)).toEqual(['Lost']);
  });
});

describe('rate limits', () => {
  it('allows 100 requests per token per 10 s, then answers 429 API_TOKEN_LIMIT_EXCEEDED until the window passes', async () => {
    trello.addCredentials('busy-key', 'busy-token');
    const busy = new TrelloClient({ key: 'busy-key', token: 'busy-token' });
    for (let i = 0; i < 100; i++) await busy.boards.getBoard({ id: board.boardId });
    expect(await failure(busy.boards.getBoard({ id: board.boardId }))).toEqual({
      status: 429,
      data: { error: 'API_TOKEN_LIMIT_EXCEEDED', message: 'Rate limit exceeded' },
    });
    clock.advance(5_000);
    expect((await failure(busy.boards.getBoard({ id: board.boardId }))).status).toBe(429);
    clock.advance(5_000);
    await expect(busy.boards.getBoard({ id: board.boardId })).resolves.toMatchObject({ id: board.boardId });
  });

  it('refuses the whole key for the rest of the window after 200 rate-limited requests', async () => {
    const small = new TrelloEmulator({ clock, perTokenLimit: 1 });
    server.use(...small.handlers());
    try {
      small.addCredentials('k', 'greedy');
      small.addCredentials('k', 'polite');
      const b = small.createBoard({ name: 'b', lists: [] });
      const greedy = new TrelloClient({ key: 'k', token: 'greedy' });
      await greedy.boards.getBoard({ id: b.boardId });
      for (let i = 0; i < 200; i++) await greedy.boards.getBoard({ id: b.boardId }).catch(() => undefined);
      const polite = new TrelloClient({ key: 'k', token: 'polite' });
      expect(await failure(polite.boards.getBoard({ id: b.boardId }))).toEqual({
        status: 429,
        data: { error: 'API_KEY_LIMIT_EXCEEDED', message: 'Rate limit exceeded' },
      });
      clock.advance(10_000);
      await expect(polite.boards.getBoard({ id: b.boardId })).resolves.toMatchObject({ id: b.boardId });
    } finally {
      server.resetHandlers();
    }
  });

  it('limits all tokens of one key together (API_KEY_LIMIT_EXCEEDED)', async () => {
    const small = new TrelloEmulator({ clock, perTokenLimit: 3, perKeyLimit: 4 });
    server.use(...small.handlers());
    try {
      small.addCredentials('k', 't1');
      small.addCredentials('k', 't2');
      const b = small.createBoard({ name: 'b', lists: [] });
      const one = new TrelloClient({ key: 'k', token: 't1' });
      const two = new TrelloClient({ key: 'k', token: 't2' });
      for (let i = 0; i < 3; i++) await one.boards.getBoard({ id: b.boardId });
      await two.boards.getBoard({ id: b.boardId });
      expect(await failure(two.boards.getBoard({ id: b.boardId }))).toEqual({
        status: 429,
        data: { error: 'API_KEY_LIMIT_EXCEEDED', message: 'Rate limit exceeded' },
      });
      clock.advance(10_000);
      await expect(two.boards.getBoard({ id: b.boardId })).resolves.toMatchObject({ id: b.boardId });
    } finally {
      server.resetHandlers();
    }
  });
});
