// cardMoved: a move into Approved becomes one signal; idle polls cost one request; gaps are reconciled.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type CardMovedOptions,
  type CardSignalPayload,
  cardMoved,
  TrelloClient,
} from '../../../connectors/trello/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/log.ts';
import { TrelloEmulator } from '../../../src/sandbox/trello/index.ts';
import type { Cursor, PollContext } from '../../../src/triggers/index.ts';
import { useEmulators } from '../../support/msw.ts';

const clock = new ManualClock();
const trello = new TrelloEmulator({ clock, perTokenLimit: 10_000, perKeyLimit: 10_000 });
useEmulators(trello.handlers());
const botId = trello.addCredentials('baton-key', 'baton-token');

/** The store's view of the trigger's cursor; `forget()` is a lost data folder. */
class MemoryCursor implements Cursor {
  value: unknown;
  async get<V>(): Promise<V | undefined> {
    return this.value as V | undefined;
  }
  async set<V>(value: V): Promise<void> {
    this.value = structuredClone(value);
  }
  forget(): void {
    this.value = undefined;
  }
}

let cursor: MemoryCursor;
let board: { boardId: string; lists: Record<string, string> };
let client: TrelloClient;
const ctx = (): PollContext => ({
  cursor,
  log: silentLogger,
  now: () => clock.now(),
  signal: new AbortController().signal,
});
const watch = (options: Partial<CardMovedOptions> = {}) =>
  cardMoved(client, { boardId: board.boardId, lists: ['Approved', 'Rejected'], ...options });

/** Polls once; returns the payloads and how many requests the poll made. */
async function poll(trigger = watch()) {
  trello.requests.clear();
  const result = await trigger.poll(ctx());
  const signals = result.signals ?? [];
  for (const s of signals) expect(s.key).toBe(`trello:card:${(s.payload as CardSignalPayload).cardId}`);
  return { payloads: signals.map((s) => s.payload as CardSignalPayload), requests: trello.requests.count() };
}

async function newCard(name: string): Promise<string> {
  const { cardId } = await client.createCard({
    listId: board.lists.Backlog!,
    name,
    idempotencyKey: `k/${name}`,
  });
  return cardId;
}

beforeEach(() => {
  cursor = new MemoryCursor();
  client = new TrelloClient({
    key: 'baton-key',
    token: 'baton-token',
    initialDelayMs: 5,
    rateLimitedDelayMs: 5,
  });
  board = trello.createBoard({ name: 'Reviews', lists: ['Backlog', 'Approved', 'Rejected'] });
});

describe('cardMoved', () => {
  it('starts from now on the first poll, signalling cards already waiting in a watched list', async () => {
    const waiting = await newCard('approved-before');
    trello.moveCard(waiting, 'Approved');
    const moved = await newCard('moved-and-back');
    trello.moveCard(moved, 'Approved');
    trello.moveCard(moved, 'Backlog');

    const first = await poll();
    expect(first.payloads).toEqual([
      {
        kind: 'in-list',
        cardId: waiting,
        cardName: 'approved-before',
        listId: board.lists.Approved,
        listName: 'Approved',
      },
    ]);
    expect(first.requests).toBe(2); // newest action + one listing of lists with cards
  });

  it('costs one request per idle poll', async () => {
    const cardId = await newCard('idle');
    trello.moveCard(cardId, 'Rejected');
    trello.moveCard(cardId, 'Backlog');
    await poll();
    for (let i = 0; i < 3; i++) {
      clock.advance(30_000);
      expect(await poll()).toEqual({ payloads: [], requests: 1 });
    }
    expect(trello.requests.all()[0]!.path).toMatch(
      /\/actions\?filter=updateCard:idList,commentCard&since=[0-9a-f]{24}&limit=/,
    );
  });

  it('turns a move to Approved into exactly one signal', async () => {
    const cardId = await newCard('pitch-acme');
    await poll();
    trello.moveCard(cardId, 'Approved');

    const { payloads, requests } = await poll();
    expect(requests).toBe(1);
    expect(payloads).toEqual([
      {
        kind: 'moved',
        cardId,
        cardName: 'pitch-acme',
        listId: board.lists.Approved,
        listName: 'Approved',
        actionId: expect.stringMatching(/^[0-9a-f]{24}$/),
        date: expect.any(String),
        memberCreatorId: trello.reviewerId,
      },
    ]);
    expect((await poll()).payloads).toEqual([]);
  });

  it('ignores moves to unwatched lists and a move that was undone before the poll', async () => {
    const a = await newCard('a');
    const b = await newCard('b');
    await poll();
    trello.moveCard(a, 'Approved');
    trello.moveCard(a, 'Backlog');
    trello.moveCard(b, 'Rejected');
    trello.moveCard(b, 'Backlog');
    trello.moveCard(b, 'Rejected');
    const { payloads } = await poll();
    expect(payloads.map((p) => [p.kind, p.cardId, p.listName])).toEqual([['moved', b, 'Rejected']]);
  });

  it('signals comments with their text, author and the card list', async () => {
    const cardId = await newCard('c');
    trello.moveCard(cardId, 'Rejected');
    await poll();
    trello.comment(cardId, 'Too pushy, shorten it');
    const { payloads } = await poll();
    expect(payloads).toEqual([
      {
        kind: 'comment',
        cardId,
        cardName: 'c',
        listId: board.lists.Rejected,
        listName: 'Rejected',
        comment: {
          id: expect.any(String),
          text: 'Too pushy, shorten it',
          date: expect.any(String),
          memberCreator: { id: trello.reviewerId, username: 'robin', fullName: 'Robin Reviewer' },
        },
      },
    ]);
  });

  it("includes Baton's own moves, marked with its member id", async () => {
    const cardId = await newCard('self');
    await poll();
    await client.moveCard(cardId, board.lists.Approved!);
    const { payloads } = await poll();
    expect(payloads).toMatchObject([{ kind: 'moved', cardId, memberCreatorId: botId }]);
    expect((await client.whoAmI()).id).toBe(botId);
  });

  it('still delivers an approval after the cursor was lost (reconcile)', async () => {
    const cardId = await newCard('lost-cursor');
    await poll();
    trello.moveCard(cardId, 'Approved');
    cursor.forget();
    const { payloads } = await poll();
    expect(payloads).toEqual([expect.objectContaining({ kind: 'in-list', cardId, listName: 'Approved' })]);
  });

  it('pages through more actions than one page holds', async () => {
    const cards = await Promise.all(['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map(newCard));
    const trigger = watch({ pageSize: 3 });
    await poll(trigger);
    for (const id of cards) trello.moveCard(id, 'Approved');

    const { payloads, requests } = await poll(trigger);
    expect(requests).toBe(3); // 3 + 3 + 1 actions
    expect(payloads.map((p) => p.cardId)).toEqual(cards);
    expect(payloads.every((p) => p.kind === 'moved')).toBe(true);
  });

  it('falls back to the reconcile when the news exceed what one poll reads', async () => {
    const cards = await Promise.all(['g1', 'g2', 'g3', 'g4', 'g5', 'g6'].map(newCard));
    const trigger = watch({ pageSize: 2, maxPages: 2 });
    await poll(trigger);
    for (const id of cards) trello.moveCard(id, 'Approved');

    const { payloads } = await poll(trigger);
    expect(payloads.map((p) => p.cardId).sort()).toEqual([...cards].sort());
    expect(payloads.filter((p) => p.kind === 'moved')).toHaveLength(4);
    expect(payloads.filter((p) => p.kind === 'in-list')).toHaveLength(2);
    expect((await poll(trigger)).payloads).toEqual([]);
  });

  it('reconciles every 10 minutes, signalling only cards not where they were last seen', async () => {
    const sitting = await newCard('sitting');
    const fresh = await newCard('fresh');
    trello.moveCard(sitting, 'Approved');
    expect((await poll()).payloads.map((p) => p.cardId)).toEqual([sitting]); // first sighting
    clock.advance(9 * 60_000);
    expect((await poll()).requests).toBe(1);

    clock.advance(60_000);
    trello.moveCard(fresh, 'Approved');
    const { payloads, requests } = await poll();
    expect(requests).toBe(2);
    expect(payloads.map((p) => [p.kind, p.cardId])).toEqual([['moved', fresh]]);
  });

  it('emits nothing from a reconcile of 200 decided cards that did not move', async () => {
    for (let i = 0; i < 200; i++)
      trello.addCard({
        boardId: board.boardId,
        listName: i % 2 ? 'Approved' : 'Rejected',
        name: `done-${i}`,
      });
    expect((await poll()).payloads).toHaveLength(200); // the first sighting signals what waits
    for (let i = 0; i < 3; i++) {
      clock.advance(10 * 60_000);
      expect(await poll()).toEqual({ payloads: [], requests: 2 });
    }
  });

  it('signals a move the feed missed once, at the next reconcile, not at every reconcile', async () => {
    const cardId = await newCard('missed');
    await poll();
    trello.moveCard(cardId, 'Rejected');
    // The feed skips past the move (as after a gap Trello's feed no longer holds).
    const [newest] = await client.boardActions(board.boardId, { filter: 'all', limit: 1 });
    cursor.value = { ...(cursor.value as object), lastActionId: newest!.id };

    clock.advance(10 * 60_000);
    expect((await poll()).payloads).toMatchObject([{ kind: 'in-list', cardId, listName: 'Rejected' }]);
    clock.advance(10 * 60_000);
    expect((await poll()).payloads).toEqual([]);
    // Moved again (to Approved) behind the feed's back: signalled once more.
    trello.moveCard(cardId, 'Approved');
    const [latest] = await client.boardActions(board.boardId, { filter: 'all', limit: 1 });
    cursor.value = { ...(cursor.value as object), lastActionId: latest!.id };
    clock.advance(10 * 60_000);
    expect((await poll()).payloads).toMatchObject([{ kind: 'in-list', cardId, listName: 'Approved' }]);
  });

  it("archives Baton's decided cards once a day during a reconcile, after the retention", async () => {
    const old = await newCard('old');
    trello.moveCard(old, 'Approved');
    const trigger = watch({ archive: { lists: ['Approved', 'Rejected'], afterDays: 30 } });
    await poll(trigger);
    expect(trello.card(old)!.closed).toBe(false);

    clock.advance(31 * 24 * 3_600_000);
    const recent = await newCard('recent');
    trello.moveCard(recent, 'Approved');
    await poll(trigger);
    expect([trello.card(old)!.closed, trello.card(recent)!.closed]).toEqual([true, false]);

    clock.advance(10 * 60_000); // within the day: the reconcile does not archive again
    expect((await poll(trigger)).requests).toBe(2);
  });

  it('matches watched lists by id as well as by name', async () => {
    const cardId = await newCard('by-id');
    const trigger = watch({ lists: [board.lists.Rejected!] });
    await poll(trigger);
    trello.moveCard(cardId, 'Approved');
    trello.moveCard(cardId, 'Rejected');
    expect((await poll(trigger)).payloads).toMatchObject([{ kind: 'moved', cardId, listName: 'Rejected' }]);
  });
});
