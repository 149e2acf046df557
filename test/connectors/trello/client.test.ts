// TrelloClient against the emulator through trello.js: lists by name, idempotent cards, human edits, faults.
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthError, NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import { TrelloClient, type TrelloClientOptions } from '../../../connectors/trello/index.ts';
import { TrelloEmulator } from '../../../src/sandbox/trello/index.ts';
import { useEmulators } from '../../support/msw.ts';

const trello = new TrelloEmulator({ perTokenLimit: 10_000, perKeyLimit: 10_000 });
const server = useEmulators(trello.handlers());
const botId = trello.addCredentials('baton-key-1', 'bot-token');

const fast: Omit<TrelloClientOptions, 'key' | 'token'> = {
  initialDelayMs: 5,
  maxDelayMs: 20,
  rateLimitedDelayMs: 5,
};
const client = (overrides: Partial<TrelloClientOptions> = {}) =>
  new TrelloClient({ key: 'baton-key-1', token: 'bot-token', ...fast, ...overrides });

const LISTS = {
  review: { name: 'To review', envVar: 'TRELLO_REVIEW_LIST' },
  approved: { name: 'Approved', envVar: 'TRELLO_APPROVED_LIST' },
};

let boardId: string;
let lists: { review: string; approved: string };
beforeEach(async () => {
  trello.faults.clear();
  trello.lostResponses.clear();
  trello.requests.clear();
  boardId = trello.createBoard({ name: 'Pitches', lists: ['To review', 'Approved', 'Rejected'] }).boardId;
  lists = await client().findLists(boardId, LISTS);
});

const cardsOnBoard = () => trello.boardView(boardId).lists.flatMap((l) => l.cards);
const posts = () => trello.requests.count({ method: 'POST', path: /^\/1\/cards\?/ });

describe('lists by name', () => {
  it('finds list ids by role, ignoring case and stray spaces', async () => {
    const ids = await client().findLists(boardId, {
      approved: { name: ' approved', envVar: 'TRELLO_APPROVED_LIST' },
    });
    expect(ids.approved).toBe(lists.approved);
    expect(trello.boardView(boardId).lists.map((l) => l.id)).toContain(ids.approved);
  });

  it('names the missing list and the variable to set', async () => {
    const bare = trello.createBoard({ name: 'Empty', lists: ['To review'] }).boardId;
    const error = await client()
      .findLists(bare, LISTS)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe(
      `Trello list 'Approved' not found on board ${bare} — create it or set TRELLO_APPROVED_LIST`,
    );
  });

  it('says so when the board itself does not exist', async () => {
    const error = await client()
      .findLists('0123456789abcdef01234567', LISTS)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('Trello board 0123456789abcdef01234567 not found');
  });
});

describe('cards', () => {
  it('creates a card with labels in the list, and reads back what a person sees', async () => {
    const { cardId, url, created } = await client().createCard({
      listId: lists.review,
      name: 'Pitch: ACME',
      desc: 'Dear ACME, …',
      labels: ['pitch', 'needs review'],
      idempotencyKey: 'pitch/run-1/review-card',
    });
    expect(created).toBe(true);
    expect(url).toMatch(/^https:\/\/trello\.com\/c\//);
    expect(trello.card(cardId)).toMatchObject({ listName: 'To review', labels: ['pitch', 'needs review'] });
    expect(trello.card(cardId)!.desc).toContain('baton:pitch/run-1/review-card');

    const card = await client().getCard(cardId);
    expect(card).toMatchObject({
      id: cardId,
      name: 'Pitch: ACME',
      desc: 'Dear ACME, …',
      idempotencyKey: 'pitch/run-1/review-card',
      listId: lists.review,
      listName: 'To review',
      labels: ['pitch', 'needs review'],
      comments: [],
    });
  });

  it('reuses labels that already exist on the board', async () => {
    await client().createCard({ listId: lists.review, name: 'A', labels: ['pitch'], idempotencyKey: 'a' });
    await client().createCard({ listId: lists.review, name: 'B', labels: ['pitch'], idempotencyKey: 'b' });
    expect(cardsOnBoard().map((c) => c.labels)).toEqual([['pitch'], ['pitch']]);
    expect(trello.requests.count({ method: 'POST', path: /\/labels\?/ })).toBe(1);
  });

  it('returns the description as a human edited it, without the Baton footer', async () => {
    const { cardId } = await client().createCard({
      listId: lists.review,
      name: 'Pitch',
      desc: 'Draft by the model',
      idempotencyKey: 'run-2/card',
    });
    const footer = trello.card(cardId)!.desc.split('Draft by the model')[1]!;
    trello.editDescription(cardId, `Rewritten by Sam${footer}`);
    trello.comment(cardId, 'Softer tone please');
    trello.comment(cardId, 'Actually fine');

    const card = await client().getCard(cardId);
    expect(card.desc).toBe('Rewritten by Sam');
    expect(card.comments.map((c) => c.text)).toEqual(['Actually fine', 'Softer tone please']);
    expect(card.comments[0]!.memberCreator).toMatchObject({
      id: trello.reviewerId,
      fullName: 'Robin Reviewer',
    });
  });

  it('keeps the footer when Baton rewrites a description, so the key still finds the card', async () => {
    const { cardId } = await client().createCard({
      listId: lists.review,
      name: 'P',
      desc: 'v1',
      idempotencyKey: 'k-3',
    });
    await client().updateCard(cardId, { desc: 'v2', name: 'P2', labels: ['revised'] });
    expect(await client().getCard(cardId)).toMatchObject({ desc: 'v2', name: 'P2', labels: ['revised'] });
    const again = await client().createCard({
      listId: lists.review,
      name: 'P',
      desc: 'v1',
      idempotencyKey: 'k-3',
    });
    expect(again).toMatchObject({ cardId, created: false });
  });

  it('moves a card, labels it once, and comments exactly once per key', async () => {
    const { cardId } = await client().createCard({ listId: lists.review, name: 'P', idempotencyKey: 'k-4' });
    await client().moveCard(cardId, lists.approved);
    await client().addLabel(cardId, 'sent');
    await client().addLabel(cardId, 'sent');
    const first = await client().commentOnCard(cardId, 'Sent to ACME', { idempotencyKey: 'k-4/sent' });
    const second = await client().commentOnCard(cardId, 'Sent to ACME', { idempotencyKey: 'k-4/sent' });
    expect(second).toEqual({ commentId: first.commentId, created: false });

    expect(trello.card(cardId)).toMatchObject({ listName: 'Approved', labels: ['sent'] });
    const card = await client().getCard(cardId);
    expect(card.comments.map((c) => c.text)).toEqual(['Sent to ACME']);
    expect(card.comments[0]!.memberCreator.id).toBe(botId);
    expect((await client().whoAmI()).id).toBe(botId);
  });

  it('refuses a description Trello would reject, before sending anything', async () => {
    const error = await client()
      .createCard({ listId: lists.review, name: 'Long', desc: 'x'.repeat(16_384), idempotencyKey: 'k-5' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as Error).message).toMatch(/16384 characters/);
    expect(posts()).toBe(0);
  });
});

describe('exactly one card per idempotency key', () => {
  it('finds the card after a crash lost the result (same key → same card)', async () => {
    const input = { listId: lists.review, name: 'Pitch', desc: 'Body', idempotencyKey: 'pitch/run-7/card' };
    const first = await client().createCard(input);
    // The process died before journaling `first`; a new process runs the step again.
    const again = await client().createCard(input);
    expect(again).toEqual({ cardId: first.cardId, url: first.url, created: false });
    expect(cardsOnBoard()).toHaveLength(1);
    expect(posts()).toBe(1);
  });

  it('finds an archived card too', async () => {
    const input = { listId: lists.review, name: 'Pitch', idempotencyKey: 'pitch/run-8/card' };
    const first = await client().createCard(input);
    trello.archiveCard(first.cardId);
    expect((await client().createCard(input)).cardId).toBe(first.cardId);
    expect(trello.cards().filter((c) => c.boardId === boardId)).toHaveLength(1);
  });

  it('makes one card when the answer to the POST is lost and the client retries', async () => {
    trello.lostResponses.loseNext(1, { method: 'POST', match: /^\/1\/cards\?/ });
    const result = await client().createCard({
      listId: lists.review,
      name: 'Pitch',
      idempotencyKey: 'run-9/card',
    });
    expect(cardsOnBoard().map((c) => c.id)).toEqual([result.cardId]);
    expect(posts()).toBe(1);
  });

  it('makes one card when the POST is applied but answered with a 502', async () => {
    trello.lostResponses.loseNext(1, { method: 'POST', match: /^\/1\/cards\?/, status: 502 });
    const result = await client().createCard({
      listId: lists.review,
      name: 'Pitch',
      idempotencyKey: 'run-10/card',
    });
    expect(cardsOnBoard().map((c) => c.id)).toEqual([result.cardId]);
  });

  it('posts one comment when the answer to the comment is lost', async () => {
    const { cardId } = await client().createCard({
      listId: lists.review,
      name: 'P',
      idempotencyKey: 'run-11/card',
    });
    trello.lostResponses.loseNext(1, { method: 'POST', match: /actions\/comments/ });
    await client().commentOnCard(cardId, 'Revised', { idempotencyKey: 'run-11/comment' });
    expect(trello.card(cardId)!.comments).toHaveLength(1);
  });
});

describe('faults', () => {
  it('retries a 429 and succeeds', async () => {
    trello.faults.failNext(2, 429, { match: /^\/1\/cards\?/ });
    const c = client();
    const { cardId } = await c.createCard({ listId: lists.review, name: 'P', idempotencyKey: 'run-12/card' });
    expect(trello.card(cardId)).toBeDefined();
    expect(c.stats.rateLimited).toBe(2);
  });

  it("backs off when Trello's own window is full, then recovers", async () => {
    const tight = new TrelloEmulator({ perTokenLimit: 3, intervalMs: 300 });
    tight.addCredentials('baton-key-1', 'bot-token');
    const board = tight.createBoard({ name: 'Tight', lists: ['Approved'] });
    server.use(...tight.handlers());
    try {
      const c = client({ rateLimitedDelayMs: 100, maxAttempts: 8 });
      for (let i = 0; i < 5; i++) await c.findLists(board.boardId, { approved: LISTS.approved });
      expect(tight.requests.count({ path: /lists/ })).toBeGreaterThan(5);
      expect(tight.requests.filter({ path: /lists/ }).filter((r) => r.status === 200)).toHaveLength(5);
      expect(c.stats.rateLimited).toBeGreaterThan(0);
    } finally {
      server.resetHandlers();
    }
  });

  it('retries 5xx and dropped connections and succeeds', async () => {
    trello.faults.failNext(2, 503);
    trello.faults.dropNext(1);
    const card = await client().createCard({
      listId: lists.review,
      name: 'P',
      idempotencyKey: 'run-13/card',
    });
    expect(trello.card(card.cardId)).toBeDefined();
  });

  it('gives up with a retryable ServiceError when Trello stays down', async () => {
    trello.faults.failNext(10, 500);
    const error = await client({ maxAttempts: 3 })
      .getCard('0123456789abcdef01234567')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ retryable: true, status: 500 });
  });

  it('explains a 401 without ever showing the key or token', async () => {
    const c = new TrelloClient({ key: 'baton-key-1', token: 'secret-revoked-token', ...fast });
    const error = await c.findLists(boardId, LISTS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    const text = `${(error as Error).message} ${String((error as Error).cause)} ${JSON.stringify(error)}`;
    expect(text).toContain('invalid token');
    expect(text).toContain('TRELLO_TOKEN');
    expect(text).not.toContain('secret-revoked-token');
    expect(text).not.toContain('baton-key-1');
    expect(trello.requests.filter().filter((r) => r.status === 401)).toHaveLength(1); // not retried
    expect(trello.requests.count({ path: /secret-revoked-token/ })).toBe(0); // nor logged by the emulator
  });
});
