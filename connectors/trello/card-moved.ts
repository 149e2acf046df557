// The cardMoved trigger: signals when a person moves a card into a watched list (or comments on a card).
import type { PollContext, PollResult, Trigger, TriggerSignal } from '../../src/triggers/index.ts';
import { type TrelloClient, toComment } from './client.ts';
import { trelloInstanceHome } from './instances.ts';
import type { TrelloAction } from './schemas.ts';
import type { CardSignalPayload } from './types.ts';

/** The actions the trigger reads: card moves between lists, and comments. */
export const CARD_FEED_FILTER = 'updateCard:idList,commentCard';

export interface CardMovedOptions {
  boardId: string;
  /** Names or ids of the lists to watch, e.g. `['Approved', 'Rejected']`. */
  lists: string[];
  /** How often to list the watched lists' cards as well, so nothing is lost to a gap in the feed (10 min). */
  reconcileEveryMs?: number;
  /** Poll interval; the runtime's default when absent. */
  intervalMs?: number;
  /** Actions per feed page (Trello allows up to 1000). */
  pageSize?: number;
  /** Feed pages read in one poll before the rest is left to the reconcile (default 10). */
  maxPages?: number;
  /**
   * Housekeeping at most once a day, during a reconcile: archive Baton's cards in `lists` (names or
   * ids: only lists of decided cards, e.g. Approved and Rejected) idle for `afterDays` days; see
   * `TrelloClient.archiveFinishedCards`. Absent or `afterDays` 0: nothing is archived.
   */
  archive?: { lists: string[]; afterDays: number };
}

/** What the trigger keeps in the store between polls. */
interface CardMovedCursor {
  /** Newest action seen; absent when the board had none when watching began. */
  lastActionId?: string;
  reconciledAt?: number;
  /**
   * The cards each watched list held at the last sighting (list id → card ids), kept up to date by
   * the feed's moves. Bounded: only open cards of watched lists, which Trello caps per board.
   */
  seen?: Record<string, string[]>;
  /** When the last complete archiving pass ended. */
  archivedAt?: number;
}

const DAY_MS = 86_400_000;

/** The signal key a run waiting on a card listens for. */
export const cardSignalKey = (cardId: string): string => `trello:card:${cardId}`;

/**
 * Watches a board and emits signals (never items) keyed `trello:card:<cardId>`:
 * - `moved` when a card's latest move in the new actions put it in a watched list (one per card per poll);
 * - `comment` for each new comment on any card of the board;
 * - `in-list` for a card the reconcile finds in a watched list where it was not at the last sighting
 *   (a move the feed missed). The reconcile runs on the first poll, every `reconcileEveryMs`, and
 *   whenever the feed had a gap (more than `maxPages` pages of news); it lists the board's open cards
 *   in one request and signals only changes, so its signals do not grow with the cards decided long
 *   ago. Its first run (no sighting yet, e.g. a lost cursor) signals every card in a watched list.
 * An idle poll is one request (`GET /1/boards/{id}/actions?since=<last action id>`). The first poll
 * (no cursor) starts from now: it does not replay history, the reconcile covers cards already waiting.
 * Signals are at least once: a card can be signalled again by a later reconcile. Moves and comments
 * by Baton itself are included; `memberCreatorId` / `comment.memberCreator.id` tell them apart
 * (compare with `client.whoAmI()`).
 */
export function cardMoved(client: TrelloClient, options: CardMovedOptions): Trigger<never> {
  const reconcileEveryMs = options.reconcileEveryMs ?? 10 * 60_000;
  const pageSize = options.pageSize ?? 1000;
  const maxPages = options.maxPages ?? 10;
  const watched = (ref: ListRef | undefined): boolean => ref !== undefined && matches(options.lists, ref);

  async function readFeed(ctx: PollContext, since: string | undefined) {
    const actions: TrelloAction[] = [];
    let before: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      ctx.signal.throwIfAborted();
      const batch = await client.boardActions(options.boardId, {
        filter: CARD_FEED_FILTER,
        limit: pageSize,
        ...(since ? { since } : {}),
        ...(before ? { before } : {}),
      });
      actions.push(...batch);
      if (batch.length < pageSize) return { actions, complete: true };
      before = batch.at(-1)!.id;
    }
    return { actions, complete: false };
  }

  /** The watched lists' cards now, and signals for those not where they were last seen. */
  async function reconcile(seen: Map<string, string> | undefined) {
    const lists = await client.openListsWithCards(options.boardId);
    const now = new Map<string, string>();
    const signals: TriggerSignal[] = [];
    for (const list of lists.filter((l) => watched(l))) {
      for (const card of list.cards) {
        now.set(card.id, list.id);
        if (seen?.get(card.id) === list.id) continue;
        signals.push(
          signal({
            kind: 'in-list',
            cardId: card.id,
            cardName: card.name,
            listId: list.id,
            listName: list.name,
          }),
        );
      }
    }
    return { signals, seen: now, lists };
  }

  /** Daily archiving of finished cards; a failure is logged and retried at the next reconcile. */
  async function archive(ctx: PollContext, lists: readonly { id: string; name: string }[]): Promise<boolean> {
    const rule = options.archive!;
    const listIds = lists.filter((l) => matches(rule.lists, l)).map((l) => l.id);
    try {
      const { archived, more } = await client.archiveFinishedCards({
        listIds,
        olderThanDays: rule.afterDays,
        now: ctx.now(),
      });
      if (archived.length > 0)
        ctx.log.info({ boardId: options.boardId, cards: archived.length }, 'archived finished Trello cards');
      return !more;
    } catch (err) {
      ctx.log.warn(
        { boardId: options.boardId, err: (err as Error).message },
        'could not archive finished cards',
      );
      return false;
    }
  }

  return {
    id: `trello:${options.boardId}:card-moved:${options.lists.join(',')}`,
    intervalMs: options.intervalMs,
    // One Baton per board: instances announce themselves in an archived list of it.
    instanceHome: trelloInstanceHome(client, options.boardId),
    get paused() {
      return client.paused;
    },
    async poll(ctx: PollContext): Promise<PollResult<never>> {
      const cursor = await ctx.cursor.get<CardMovedCursor>();
      let lastActionId = cursor?.lastActionId;
      let needsReconcile =
        cursor?.reconciledAt === undefined || ctx.now() - cursor.reconciledAt >= reconcileEveryMs;
      const fromFeed: TriggerSignal[] = [];
      let moves = new Map<string, ListRef>();
      if (!cursor) {
        const [newest] = await client.boardActions(options.boardId, { filter: CARD_FEED_FILTER, limit: 1 });
        lastActionId = newest?.id;
      } else {
        const feed = await readFeed(ctx, cursor.lastActionId);
        if (!feed.complete) {
          ctx.log.warn(
            { boardId: options.boardId },
            'Trello feed had more news than one poll reads: reconciling',
          );
          needsReconcile = true;
        }
        lastActionId = feed.actions[0]?.id ?? lastActionId;
        const news = feedSignals(feed.actions, watched);
        fromFeed.push(...news.signals);
        moves = news.moves;
      }
      let seen = cursor?.seen ? fromLists(cursor.seen) : undefined;
      for (const [cardId, list] of seen ? moves : [])
        if (watched(list)) seen!.set(cardId, list.id);
        else seen!.delete(cardId);
      let fromReconcile: TriggerSignal[] = [];
      let archivedAt = cursor?.archivedAt;
      if (needsReconcile) {
        const found = await reconcile(seen);
        fromReconcile = found.signals;
        seen = found.seen;
        const due = archivedAt === undefined || ctx.now() - archivedAt >= DAY_MS;
        if (options.archive?.afterDays && due && (await archive(ctx, found.lists))) archivedAt = ctx.now();
      }
      const next: CardMovedCursor = {
        ...(lastActionId ? { lastActionId } : {}),
        ...(needsReconcile
          ? { reconciledAt: ctx.now() }
          : cursor?.reconciledAt !== undefined
            ? { reconciledAt: cursor.reconciledAt }
            : {}),
        ...(seen ? { seen: toLists(seen) } : {}),
        ...(archivedAt !== undefined ? { archivedAt } : {}),
      };
      // An idle poll changes nothing: skip the store write.
      if (JSON.stringify(next) !== JSON.stringify(cursor)) await ctx.cursor.set(next);
      return { signals: [...fromFeed, ...fromReconcile] };
    },
  };
}

type ListRef = { id: string; name?: string };

/** True when `ref` is one of `lists` (given by id, or by name ignoring case and surrounding spaces). */
const matches = (lists: readonly string[], ref: ListRef): boolean =>
  lists.some((l) => l === ref.id || l.trim().toLowerCase() === ref.name?.trim().toLowerCase());

/** The compact form kept in the cursor (list id → card ids) and back. */
const toLists = (seen: Map<string, string>): Record<string, string[]> => {
  const lists: Record<string, string[]> = {};
  for (const [cardId, listId] of [...seen].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lists[listId] ??= [];
    lists[listId].push(cardId);
  }
  return lists;
};
const fromLists = (lists: Record<string, string[]>): Map<string, string> =>
  new Map(
    Object.entries(lists).flatMap(([listId, cards]) => cards.map((cardId) => [cardId, listId] as const)),
  );

/**
 * Signals from new actions (newest first in, oldest first out): each card's latest move into a watched
 * list, every comment. `moves` is each moved card's latest list, watched or not.
 */
function feedSignals(
  actions: readonly TrelloAction[],
  watched: (ref: ListRef | undefined) => boolean,
): { signals: TriggerSignal[]; moves: Map<string, ListRef> } {
  const latestMove = new Map<string, ListRef>();
  const out: { id: string; signal: TriggerSignal }[] = [];
  for (const action of actions) {
    const card = action.data.card;
    if (!card) continue;
    if (action.type === 'updateCard' && action.data.listAfter) {
      if (latestMove.has(card.id)) continue;
      const list = action.data.listAfter;
      latestMove.set(card.id, list);
      if (!watched(list)) continue;
      out.push({
        id: action.id,
        signal: signal({
          kind: 'moved',
          cardId: card.id,
          cardName: card.name ?? '',
          listId: list.id,
          listName: list.name ?? '',
          actionId: action.id,
          date: action.date,
          memberCreatorId: action.idMemberCreator,
        }),
      });
    } else if (action.type === 'commentCard') {
      out.push({
        id: action.id,
        signal: signal({
          kind: 'comment',
          cardId: card.id,
          cardName: card.name ?? '',
          listId: action.data.list?.id ?? '',
          listName: action.data.list?.name ?? '',
          comment: toComment(action),
        }),
      });
    }
  }
  const signals = out.sort((a, b) => (a.id < b.id ? -1 : 1)).map((o) => o.signal);
  return { signals, moves: latestMove };
}

const signal = (payload: CardSignalPayload): TriggerSignal => ({
  key: cardSignalKey(payload.cardId),
  payload,
});
