// Trello's object and response-size limits: open cards per board, and how many cards one answer may hold.
import { compareIds, isObjectId, objectIdTime } from './ids.ts';
import type { CardRecord } from './state.ts';
import { invalidValue, json, type Params } from './wire.ts';

export interface TrelloLimits {
  /**
   * Open cards a board may hold; a create (or un-archive) past it is refused. Trello's limits guide
   * shows `limits.cards.openPerBoard.disableAt: 5000`
   * (https://developer.atlassian.com/cloud/trello/guides/rest-api/limits/; "Your limits may vary").
   */
  openCardsPerBoard: number;
  /**
   * Cards one answer without `limit` may hold before Trello refuses it with API_TOO_MANY_CARDS_REQUESTED
   * (rate-limits guide, "Response Size Limits"). Trello publishes no number: 5000 here is a guess.
   */
  cardsPerResponse: number;
  /** Bytes per uploaded attachment: 10 MB on the Free plan, 250 MB on paid ones [unconfirmed]. */
  attachmentBytes: number;
}

export const DEFAULT_LIMITS: TrelloLimits = {
  openCardsPerBoard: 5000,
  cardsPerResponse: 5000,
  attachmentBytes: 10 * 1024 * 1024,
};

/** The most cards one `limit`-ed page holds (nested-resources guide: limit 1–1000). */
const MAX_PAGE = 1000;

/**
 * The refusal of an answer too big. 403 as reported for `GET /boards/{id}/cards` on large boards
 * (org-trello/org-trello#385); the body's `error` code is the one the rate-limits guide names.
 */
export const tooManyCardsRequested = (): Response =>
  json({ error: 'API_TOO_MANY_CARDS_REQUESTED', message: 'Requested too many cards' }, 403);

/**
 * A create refused because the board is at `openPerBoard`. Trello documents the limit, not the
 * refusal's body [unconfirmed shape]; its web client tells the user "too many open cards … Archive
 * some to add more".
 */
export const openCardLimitReached = (boardName: string): Response =>
  json(
    {
      error: 'LIMIT_EXCEEDED',
      message: `Board "${boardName}" has too many open cards (cards.openPerBoard): archive some to add more`,
    },
    403,
  );

/** The board's `limits.cards` as `GET /boards/{id}?fields=limits` shows them. */
export function renderCardLimits(limits: TrelloLimits, openCards: number, totalCards: number) {
  const limit = (count: number, disableAt: number) => {
    const warnAt = Math.floor(disableAt * 0.9);
    return {
      status: count >= disableAt ? 'maxExceeded' : count >= warnAt ? 'warn' : 'ok',
      disableAt,
      warnAt,
    };
  };
  return {
    cards: {
      openPerBoard: limit(openCards, limits.openCardsPerBoard),
      totalPerBoard: limit(totalCards, 2_000_000),
    },
  };
}

/**
 * Applies a card query's `limit`, `before` and `since` (a card id or a date, compared with the card's
 * creation time), the way Trello's nested card resources page. With `limit`, the newest cards come
 * first; without it the whole answer must fit `cardsPerResponse`.
 * @throws 400 `invalid value for limit|before|since`; 403 API_TOO_MANY_CARDS_REQUESTED.
 */
export function pageCards(cards: CardRecord[], params: Params, limits: TrelloLimits): CardRecord[] {
  const before = cardBound(params, 'before');
  const since = cardBound(params, 'since');
  const page = cards.filter(
    (c) => (!before || compareBound(c.id, before) < 0) && (!since || compareBound(c.id, since) > 0),
  );
  const limitParam = params.get('limit');
  if (limitParam !== undefined) {
    const limit = Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw invalidValue('limit');
    return page.sort((a, b) => compareIds(b.id, a.id)).slice(0, limit);
  }
  checkResponseSize(page.length, limits);
  return page;
}

/** @throws 403 API_TOO_MANY_CARDS_REQUESTED when one answer would hold more cards than allowed. */
export function checkResponseSize(cards: number, limits: TrelloLimits): void {
  if (cards > limits.cardsPerResponse) throw tooManyCardsRequested();
}

type Bound = { id: string } | { time: number };

function cardBound(params: Params, name: string): Bound | undefined {
  const value = params.get(name);
  if (value === undefined || value === '' || value === 'null') return undefined;
  if (isObjectId(value)) return { id: value.toLowerCase() };
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidValue(name);
  return { time };
}

const compareBound = (id: string, bound: Bound): number =>
  'id' in bound ? compareIds(id, bound.id) : objectIdTime(id) - bound.time;
