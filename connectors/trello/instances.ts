// Where Baton instances polling a Trello board announce themselves: cards in an archived list.
import { type Heartbeat, type InstanceHome, parseHeartbeat } from '../../src/instances/index.ts';
import type { TrelloClient } from './client.ts';

/** The archived list holding one card per instance; its cards' descriptions are Heartbeats as JSON. */
export const INSTANCE_LIST = 'Baton instances';

/**
 * A board as an instance home. Trello has no board-level field a plain token may write
 * (`pluginData` needs a Power-Up; custom fields belong to cards; the board description is the
 * team's), so each instance keeps a card `Baton instance <id>` in an archived list `Baton
 * instances` at the bottom of the board:
 * - archived, it shows in no list view, and no card query of Baton's review flow (open lists, the
 *   action feed filtered to list moves and comments) sees it;
 * - a card's description holds the heartbeat, renewed with one PUT per poll (Trello allows 100
 *   requests per 10 s per token); a desc change is an `updateCard` action the review feed skips;
 * - two reads to list (the board's lists, the list's cards); the list is restored just for the
 *   create at start and archived again, as no card is added to an archived list;
 * - instances starting at once on a fresh board may each create the list: every list of that name
 *   is read (a read more each), so no heartbeat goes unseen.
 */
export class TrelloInstanceHome implements InstanceHome {
  readonly id: string;
  readonly label: string;
  readonly #client: TrelloClient;
  readonly #boardId: string;
  /** Card ids by instance id, as last listed. */
  #cards = new Map<string, string[]>();
  #mine: { card: string; instance: string } | undefined;

  constructor(client: TrelloClient, boardId: string) {
    this.#client = client;
    this.#boardId = boardId;
    this.id = `trello:${boardId}`;
    this.label = `Trello board ${boardId}`;
  }

  async list(): Promise<Heartbeat[]> {
    const cards = new Map<string, string[]>();
    const beats: Heartbeat[] = [];
    for (const card of await this.#client.hiddenCards(this.#boardId, INSTANCE_LIST)) {
      const beat = parseHeartbeat(card.desc);
      if (!beat) continue;
      cards.set(beat.id, [...(cards.get(beat.id) ?? []), card.id]);
      beats.push(beat);
    }
    this.#cards = cards;
    return beats;
  }

  async announce(beat: Heartbeat, replaces: string[]): Promise<void> {
    for (const card of replaces.flatMap((id) => this.#cards.get(id) ?? []))
      await this.#client.deleteCard(card);
    const card = await this.#client.addHiddenCard(
      this.#boardId,
      INSTANCE_LIST,
      `Baton instance ${beat.id}`,
      JSON.stringify(beat),
    );
    this.#mine = { card, instance: beat.id };
  }

  async renew(beat: Heartbeat): Promise<boolean> {
    if (!this.#mine) return false;
    const kept = await this.#client.setCardText(this.#mine.card, JSON.stringify(beat));
    if (!kept) this.#mine = undefined;
    return kept;
  }

  async remove(ids: string[]): Promise<void> {
    const cards = ids.flatMap((id) => this.#cards.get(id) ?? []);
    if (this.#mine && ids.includes(this.#mine.instance)) {
      cards.push(this.#mine.card);
      this.#mine = undefined;
    }
    for (const card of new Set(cards)) await this.#client.deleteCard(card);
  }
}

const homes = new WeakMap<TrelloClient, Map<string, TrelloInstanceHome>>();

/** The one home of `boardId` for this client: triggers on the same board share it. */
export function trelloInstanceHome(client: TrelloClient, boardId: string): TrelloInstanceHome {
  const byId = homes.get(client) ?? new Map<string, TrelloInstanceHome>();
  homes.set(client, byId);
  const home = byId.get(boardId) ?? new TrelloInstanceHome(client, boardId);
  byId.set(boardId, home);
  return home;
}
