// The cardMoved trigger: signals when a person moves a card into a watched list (or comments on a card).
import type { PollContext, PollResult, Trigger, TriggerSignal } from '../../src/triggers/index.ts';
import { type TrelloClient, toComment } from './client.ts';
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
}

/** What the trigger keeps in the store between polls. */
interface CardMovedCursor {
  /** Newest action seen; absent when the board had none when watching began. */
  lastActionId?: string;
  reconciledAt?: number;
}

/** The signal key a run waiting on a card listens for. */
export const cardSignalKey = (cardId: string): string => `trello:card:${cardId}`;

/**
 * Watches a board and emits signals (never items) keyed `trello:card:<cardId>`:
 * - `moved` when a card's latest move in the new actions put it in a watched list (one per card per poll);
 * - `comment` for each new comment on any card of the board;
 * - `in-list` for every card sitting in a watched list, from a reconcile that runs on the first poll,
 *   every `reconcileEveryMs`, and whenever the feed had a gap (more than `maxPages` pages of news).
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
  const watched = (ref: { id: string; name?: string } | undefined): boolean =>
    ref !== undefined &&
    options.lists.some((l) => l === ref.id || l.trim().toLowerCase() === ref.name?.trim().toLowerCase());

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

  async function reconcile(skip: Set<string>): Promise<TriggerSignal[]> {
    const lists = await client.openListsWithCards(options.boardId);
    return lists
      .filter((list) => watched(list))
      .flatMap((list) =>
        list.cards
          .filter((card) => !skip.has(`${card.id}:${list.id}`))
          .map((card) =>
            signal({
              kind: 'in-list',
              cardId: card.id,
              cardName: card.name,
              listId: list.id,
              listName: list.name,
            }),
          ),
      );
  }

  return {
    id: `trello:${options.boardId}:card-moved:${options.lists.join(',')}`,
    intervalMs: options.intervalMs,
    get paused() {
      return client.paused;
    },
    async poll(ctx: PollContext): Promise<PollResult<never>> {
      const cursor = await ctx.cursor.get<CardMovedCursor>();
      let lastActionId = cursor?.lastActionId;
      let needsReconcile =
        cursor?.reconciledAt === undefined || ctx.now() - cursor.reconciledAt >= reconcileEveryMs;
      const fromFeed: TriggerSignal[] = [];
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
        fromFeed.push(...feedSignals(feed.actions, watched));
      }
      const moved = new Set(
        fromFeed
          .map((s) => s.payload as CardSignalPayload)
          .filter((p) => p.kind === 'moved')
          .map((p) => `${p.cardId}:${p.listId}`),
      );
      const fromReconcile = needsReconcile ? await reconcile(moved) : [];
      const next: CardMovedCursor = {
        ...(lastActionId ? { lastActionId } : {}),
        ...(needsReconcile
          ? { reconciledAt: ctx.now() }
          : cursor?.reconciledAt !== undefined
            ? { reconciledAt: cursor.reconciledAt }
            : {}),
      };
      await ctx.cursor.set(next);
      return { signals: [...fromFeed, ...fromReconcile] };
    },
  };
}

/** Signals from new actions (newest first in, oldest first out): each card's latest move, every comment. */
function feedSignals(
  actions: readonly TrelloAction[],
  watched: (ref: { id: string; name?: string } | undefined) => boolean,
): TriggerSignal[] {
  const latestMove = new Map<string, TrelloAction>();
  const out: { id: string; signal: TriggerSignal }[] = [];
  for (const action of actions) {
    const card = action.data.card;
    if (!card) continue;
    if (action.type === 'updateCard' && action.data.listAfter) {
      if (latestMove.has(card.id)) continue;
      latestMove.set(card.id, action);
      const list = action.data.listAfter;
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
  return out.sort((a, b) => (a.id < b.id ? -1 : 1)).map((o) => o.signal);
}

const signal = (payload: CardSignalPayload): TriggerSignal => ({
  key: cardSignalKey(payload.cardId),
  payload,
});
