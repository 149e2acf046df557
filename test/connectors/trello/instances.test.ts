// A Trello board as an instance home: Baton instances that start at once on a board without the
// `Baton instances` list yet may each create one (Trello allows two lists of one name); every
// heartbeat is still seen by all of them, and a killed instance's card is replaced when it restarts.
import { beforeEach, describe, expect, it } from 'vitest';
import { INSTANCE_LIST, TrelloClient, TrelloInstanceHome } from '../../../connectors/trello/index.ts';
import type { Heartbeat } from '../../../src/instances/index.ts';
import { TrelloEmulator } from '../../../src/sandbox/trello/index.ts';
import { useEmulators } from '../../support/msw.ts';

const trello = new TrelloEmulator({ perTokenLimit: 10_000, perKeyLimit: 10_000 });
useEmulators(trello.handlers());
trello.addCredentials('baton-key-1', 'bot-token');

/** A separate process's view of the board: its own client, so nothing is shared but the board. */
const processHome = (boardId: string) =>
  new TrelloInstanceHome(
    new TrelloClient({ key: 'baton-key-1', token: 'bot-token', initialDelayMs: 5, maxDelayMs: 20 }),
    boardId,
  );

const beat = (id: string, startedAt: number): Heartbeat => ({
  id,
  host: 'vps-1',
  dataDir: `/srv/${id}`,
  pid: 4242,
  startedAt,
  beatAt: startedAt,
  staleAfterMs: 120_000,
});

let boardId: string;
beforeEach(() => {
  boardId = trello.createBoard({ name: 'Pitches', lists: ['To review', 'Approved'] }).boardId;
});

/** The lists named `Baton instances` that hold a card (the list is archived, so no board view shows it). */
const instanceLists = () =>
  new Set(
    trello
      .cards(INSTANCE_LIST)
      .filter((c) => c.boardId === boardId)
      .map((c) => c.listId),
  );

describe('instances announcing at once on a board without the instances list', () => {
  it('see each other, whichever list their card landed in', async () => {
    const homes = ['a', 'b', 'c'].map(() => processHome(boardId));
    const ids = ['inst-a', 'inst-b', 'inst-c'];
    // Each reads first (an empty board), then all announce together.
    await Promise.all(homes.map((h) => h.list()));
    await Promise.all(homes.map((h, i) => h.announce(beat(ids[i]!, 1_000 + i), [])));
    expect(instanceLists().size).toBeGreaterThan(1); // the race the emulator lets happen, as Trello does
    for (const home of homes) expect((await home.list()).map((b) => b.id).sort()).toEqual(ids);
  });

  it('a restarted instance replaces the card its killed self left, wherever it is', async () => {
    const [first, second] = [processHome(boardId), processHome(boardId)];
    await Promise.all([
      first.announce(beat('inst-a', 1_000), []),
      second.announce(beat('inst-b', 1_001), []),
    ]);
    expect(instanceLists().size).toBe(2); // one card in each list
    // inst-a is killed; started again over the same data folder, it lists and replaces its own card.
    const restarted = processHome(boardId);
    const found = await restarted.list();
    expect(found.map((b) => b.id).sort()).toEqual(['inst-a', 'inst-b']);
    await restarted.announce(beat('inst-a', 5_000), ['inst-a']);
    const seen = (await second.list()).map((b) => `${b.id} from ${b.startedAt}`).sort();
    expect(seen).toEqual(['inst-a from 5000', 'inst-b from 1001']); // the old card is gone
    await restarted.remove(['inst-a']); // its clean stop
    expect((await second.list()).map((b) => b.id)).toEqual(['inst-b']);
    await second.remove(['inst-b']);
    expect(trello.cards(INSTANCE_LIST).filter((c) => c.boardId === boardId)).toEqual([]);
  });
});
