// TrelloClient within Trello's limits: bounded duplicate checks, archiving finished cards, limit errors.
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthError, ServiceError } from '../../../connectors/core/index.ts';
import { TrelloClient } from '../../../connectors/trello/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { TrelloEmulator } from '../../../src/sandbox/trello/index.ts';
import { useEmulators } from '../../support/msw.ts';

const DAY = 86_400_000;
const clock = new ManualClock();
const trello = new TrelloEmulator({
  clock,
  perTokenLimit: 10_000,
  perKeyLimit: 10_000,
  limits: { cardsPerResponse: 5, openCardsPerBoard: 40 },
});
const server = useEmulators(trello.handlers());
trello.addCredentials('baton-key', 'baton-token');

const client = () =>
  new TrelloClient({
    key: 'baton-key',
    token: 'baton-token',
    initialDelayMs: 5,
    rateLimitedDelayMs: 5,
    maxAttempts: 2,
    cardsPageSize: 5,
    recentCardsChecked: 5,
  });

let board: { boardId: string; lists: Record<string, string> };
beforeEach(() => {
  trello.requests.clear();
  board = trello.createBoard({ name: 'Reviews', lists: ['Review', 'Approved', 'Rejected'] });
});

/** Makes `n` Baton cards in Review (one second apart) and returns their ids. */
async function baton(n: number, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const made = await client().createCard({
      listId: board.lists.Review!,
      name: `${prefix}${i}`,
      idempotencyKey: `${prefix}/${i}`,
    });
    ids.push(made.cardId);
    clock.advance(1_000);
  }
  return ids;
}

describe('duplicate check within limits', () => {
  it('finds a card by key on a board holding more cards than one answer may, paging the target list', async () => {
    const decided = await baton(8, 'old');
    for (const id of decided) trello.moveCard(id, 'Approved');
    const inReview = await baton(7, 'new');

    const again = await client().createCard({
      listId: board.lists.Review!,
      name: 'new0',
      idempotencyKey: 'new/0',
    });
    expect(again).toMatchObject({ cardId: inReview[0], created: false });
    expect(trello.cards().filter((c) => c.name === 'new0')).toHaveLength(1);
    // Never the whole board at once: every card read is a page of at most 5.
    expect(trello.requests.count({ method: 'GET', path: /\/cards\/all\?(?!.*limit=)/ })).toBe(0);
  });

  it("still finds an earlier attempt's card that a reviewer moved out of the list meanwhile", async () => {
    const [moved] = await baton(1, 'moved');
    trello.moveCard(moved!, 'Approved');
    const again = await client().createCard({
      listId: board.lists.Review!,
      name: 'moved0',
      idempotencyKey: 'moved/0',
    });
    expect(again).toMatchObject({ cardId: moved, created: false });
  });
});

describe('archiveFinishedCards', () => {
  it("archives Baton's decided cards idle for the retention, and nothing else", async () => {
    const [approvedOld, rejectedOld, waiting, approvedRecent] = await baton(4, 'run');
    trello.moveCard(approvedOld!, 'Approved');
    trello.moveCard(rejectedOld!, 'Rejected');
    // A person's own card in Approved: no Baton footer.
    const { cardId: personal } = await client().createCard({
      listId: board.lists.Approved!,
      name: 'x',
      idempotencyKey: 'tmp/x',
    });
    trello.editDescription(personal, 'my own notes');
    clock.advance(31 * DAY);
    trello.moveCard(approvedRecent!, 'Approved');

    const result = await client().archiveFinishedCards({
      listIds: [board.lists.Approved!, board.lists.Rejected!],
      olderThanDays: 30,
      now: clock.now(),
    });

    expect(result).toEqual({ archived: expect.arrayContaining([approvedOld, rejectedOld]), more: false });
    expect(result.archived).toHaveLength(2);
    const closed = (id: string) => trello.card(id)!.closed;
    expect([approvedOld, rejectedOld].map((id) => closed(id!))).toEqual([true, true]);
    expect([waiting, approvedRecent, personal].map((id) => closed(id!))).toEqual([false, false, false]);
  });

  it('stops at `max` and says more are left', async () => {
    const ids = await baton(3, 'many');
    for (const id of ids) trello.moveCard(id, 'Approved');
    clock.advance(31 * DAY);
    const first = await client().archiveFinishedCards({
      listIds: [board.lists.Approved!],
      olderThanDays: 30,
      now: clock.now(),
      max: 2,
    });
    expect(first).toMatchObject({ more: true });
    expect(first.archived).toHaveLength(2);
    const rest = await client().archiveFinishedCards({
      listIds: [board.lists.Approved!],
      olderThanDays: 30,
      now: clock.now(),
      max: 2,
    });
    expect(rest).toMatchObject({ more: false });
    expect(rest.archived).toHaveLength(1);
  });
});

describe('limit errors', () => {
  it('explains a full board as too many open cards, not as refused credentials', async () => {
    const full = new TrelloEmulator({
      clock,
      perTokenLimit: 10_000,
      perKeyLimit: 10_000,
      limits: { openCardsPerBoard: 1 },
    });
    server.use(...full.handlers());
    full.addCredentials('baton-key', 'baton-token');
    const small = full.createBoard({ name: 'Full', lists: ['Review'] });
    await client().createCard({ listId: small.lists.Review!, name: 'one', idempotencyKey: 'full/1' });

    const error = await client()
      .createCard({ listId: small.lists.Review!, name: 'two', idempotencyKey: 'full/2' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect((error as ServiceError).message).toMatch(/too many open cards/);
    expect((error as ServiceError).hint).toMatch(/TRELLO_ARCHIVE_AFTER_DAYS/);
  });
});
