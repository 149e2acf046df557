// What the Trello connector hands to recipes: cards, comments, and the signals of the cardMoved trigger.
import type { Logger } from '../../src/log.ts';
import type { RateLimit, SharedRateLimiter } from '../core/index.ts';

export interface TrelloClientOptions {
  key: string;
  token: string;
  log?: Logger;
  /** Request budget; default Trello's documented 100 requests per 10 s per token. */
  limits?: Record<string, RateLimit>;
  /** Scale-out: the budget counted across processes (default: `shareRateLimits`'s, else per process). */
  sharedLimiter?: SharedRateLimiter;
  /** Attempts per request including the first (default 5). */
  maxAttempts?: number;
  /** Backoff start and cap (defaults 500 ms and 30 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Least wait after a 429, since Trello sends no Retry-After (default 5 s: half its window). */
  rateLimitedDelayMs?: number;
  /** Consecutive failures that pause calls (default 8), and for how long (default 60 s). */
  breakAfter?: number;
  pauseMs?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Cards per page when Baton lists a list's cards (default 1000, Trello's most). */
  cardsPageSize?: number;
  /** The board's newest cards also searched for an idempotency key (default 100). */
  recentCardsChecked?: number;
}

/** A list role a recipe needs (`approved`) and where the user can rename it (`TRELLO_APPROVED_LIST`). */
export interface ListName {
  name: string;
  envVar: string;
}

export interface CreateCardInput {
  listId: string;
  name: string;
  desc?: string;
  /** Label names; a label missing on the board is created. */
  labels?: string[];
  pos?: 'top' | 'bottom';
  /** Stable per effect (run id + step id): the same key never makes a second card. */
  idempotencyKey: string;
  /**
   * No card with this key can be older than this (ms since the epoch; a step passes its
   * `runCreatedAt`). The duplicate check then reads only the board's cards created since, less an
   * hour for clock skew: its cost no longer grows with the board. Without it, the target list and the
   * board's newest cards are read.
   */
  createdAfter?: number;
  /**
   * The caller knows no earlier try of this card can exist (the engine's `firstTry()`): the card is
   * created without the duplicate check. A retry after a lost answer still looks.
   */
  noEarlierTry?: boolean;
}

export interface CardUpdate {
  name?: string;
  desc?: string;
  listId?: string;
  /** Replaces the card's labels (by name; missing ones are created). */
  labels?: string[];
  closed?: boolean;
}

/** A card right after Baton changed it. */
export interface CardSummary {
  id: string;
  name: string;
  /** Without Baton's idempotency footer. */
  desc: string;
  boardId: string;
  listId: string;
  closed: boolean;
  labelIds: string[];
  url: string;
}

export interface TrelloComment {
  id: string;
  /** The comment as written (without Baton's footer on comments Baton made). */
  text: string;
  date: string;
  memberCreator: { id: string; username?: string; fullName?: string };
}

/** A card as a person sees it now, human edits included. */
export interface TrelloCard {
  id: string;
  name: string;
  /** The current description without Baton's idempotency footer. */
  desc: string;
  /** The key in Baton's footer, when Baton created the card. */
  idempotencyKey?: string;
  boardId: string;
  listId: string;
  listName: string;
  closed: boolean;
  labels: string[];
  /** Newest first; the 50 most recent (Trello's default for nested actions). */
  comments: TrelloComment[];
  url: string;
}

/** A card arrived in a watched list: a person moved it (from the action feed). */
export interface CardMovedSignal {
  kind: 'moved';
  cardId: string;
  cardName: string;
  listId: string;
  listName: string;
  actionId: string;
  date: string;
  /** Who moved it; compare with `TrelloClient.whoAmI()` to ignore Baton's own moves. */
  memberCreatorId: string;
}

/** A card sits in a watched list (found by the periodic reconcile, e.g. after a missed feed). */
export interface CardInListSignal {
  kind: 'in-list';
  cardId: string;
  cardName: string;
  listId: string;
  listName: string;
}

/** Someone commented on a card of the board. */
export interface CardCommentSignal {
  kind: 'comment';
  cardId: string;
  cardName: string;
  /** The list the card was in when the comment was written. */
  listId: string;
  listName: string;
  comment: TrelloComment;
}

/** Payload of every `trello:card:<id>` signal from `cardMoved`. */
export type CardSignalPayload = CardMovedSignal | CardInListSignal | CardCommentSignal;
