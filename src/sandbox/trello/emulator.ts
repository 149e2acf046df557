// Emulates Trello's REST API (api.trello.com/1) for trello.js: boards, lists, cards, labels, comments, actions.
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import { droppedConnection, Emulator, LostResponses, matchRoute, RateWindow } from '../kit/index.ts';
import { DEFAULT_LIMITS, type TrelloLimits } from './limits.ts';
import * as person from './person.ts';
import type { Route } from './router.ts';
import { attachmentRoutes } from './routes-attachments.ts';
import { boardRoutes } from './routes-boards.ts';
import { cardRoutes } from './routes-cards.ts';
import { TrelloState } from './state.ts';
import { notFound, Params, rateLimited, text } from './wire.ts';

export const TRELLO_API = 'https://api.trello.com/1';

export interface TrelloEmulatorOptions {
  clock?: Clock;
  /** Requests per token per window (Trello: 100 per 10 s). */
  perTokenLimit?: number;
  /** Requests per API key per window, all tokens together (Trello: 300 per 10 s). */
  perKeyLimit?: number;
  intervalMs?: number;
  /** Open cards per board, cards per answer, attachment size (Trello's defaults; tests use small numbers). */
  limits?: Partial<TrelloLimits>;
}

const ROUTES: readonly Route[] = [...boardRoutes, ...cardRoutes, ...attachmentRoutes];
/** After this many 429s in one window Trello refuses the key for the rest of the window. */
const KEY_BLOCK_AFTER = 200;

/**
 * A stateful Trello. Callers authenticate with `key` and `token` query parameters (or an
 * `Authorization: OAuth oauth_consumer_key="…", oauth_token="…"` header) registered with
 * `addCredentials`; every change is written to the board's action feed with the token's member as
 * `memberCreator`. People (tests, the sandbox page) act through `moveCard`, `comment`, … as the
 * reviewer member, which is how approvals show up in the feed.
 */
export class TrelloEmulator extends Emulator {
  /** Requests that are carried out but whose answer is lost (see LostResponses). */
  readonly lostResponses = new LostResponses();
  /** The person who moves and comments on cards in tests and the sandbox. */
  readonly reviewerId: string;
  readonly #state: TrelloState;
  readonly #keys = new Set<string>();
  readonly #tokens = new Map<string, { key: string; memberId: string }>();
  readonly #perToken: RateWindow;
  readonly #perKey: RateWindow;
  readonly #rejections: RateWindow;

  constructor(options: TrelloEmulatorOptions = {}) {
    super(options.clock ? { clock: options.clock } : {});
    const interval = options.intervalMs ?? 10_000;
    this.#state = new TrelloState(this.clock, { ...DEFAULT_LIMITS, ...options.limits });
    this.#perToken = new RateWindow(this.clock, options.perTokenLimit ?? 100, interval);
    this.#perKey = new RateWindow(this.clock, options.perKeyLimit ?? 300, interval);
    this.#rejections = new RateWindow(this.clock, KEY_BLOCK_AFTER, interval);
    this.reviewerId = this.#state.addMember('robin', 'Robin Reviewer').id;
  }

  /** A member (a person or a bot account); returns its id. */
  addMember(username: string, fullName: string): string {
    return this.#state.addMember(username, fullName).id;
  }

  /**
   * Accepts `key` + `token` as `memberId` (a bot member "Baton" is created when omitted).
   * @returns the member id the token acts as.
   */
  addCredentials(key: string, token: string, memberId?: string): string {
    const id = memberId ?? this.addMember('baton', 'Baton');
    if (!this.#state.members.has(id)) throw new Error(`Trello emulator: no member ${id}`);
    this.#keys.add(key);
    this.#tokens.set(token, { key, memberId: id });
    return id;
  }

  /** What a user revoking the app's access does: the token answers 401 `invalid token` from now on. */
  revokeToken(token: string): void {
    this.#tokens.delete(token);
  }

  createBoard(input: { name: string; lists: string[] }): { boardId: string; lists: Record<string, string> } {
    return person.createBoard(this.#state, input);
  }

  /** The reviewer adds a card to the list called `listName` (subject to the board's open-card limit); returns its id. */
  addCard(
    input: { boardId: string; listName: string; name: string; desc?: string },
    by: string = this.reviewerId,
  ): string {
    return person.addCard(this.#state, by, input);
  }

  /** The reviewer drags a card to the list called `listName` (an `updateCard` action with listBefore/listAfter). */
  moveCard(cardId: string, listName: string, by: string = this.reviewerId): void {
    person.moveCard(this.#state, by, cardId, listName);
  }

  /** The reviewer rewrites a card's description. */
  editDescription(cardId: string, text: string, by: string = this.reviewerId): void {
    person.editDescription(this.#state, by, cardId, text);
  }

  /** The reviewer comments on a card; returns the commentCard action id. */
  comment(cardId: string, text: string, by: string = this.reviewerId): string {
    return person.comment(this.#state, by, cardId, text);
  }

  /** The reviewer archives a card (it stays on the board as closed). */
  archiveCard(cardId: string, by: string = this.reviewerId): void {
    this.#state.updateCard(by, person.cardOrThrow(this.#state, cardId), { closed: true });
  }

  /** Every card (archived ones included), or those in lists called `listName`. */
  cards(listName?: string): person.CardView[] {
    return [...this.#state.cards.values()]
      .filter((c) => listName === undefined || this.#state.lists.get(c.idList)?.name === listName)
      .map((c) => person.cardView(this.#state, c));
  }

  card(id: string): person.CardView | undefined {
    const card = this.#state.card(id);
    return card && person.cardView(this.#state, card);
  }

  /** The open lists of a board with their open cards, top to bottom, for a page to draw. */
  boardView(boardId: string): person.BoardView {
    return person.boardView(this.#state, boardId);
  }

  handlers() {
    return [http.all(`${TRELLO_API}/*`, ({ request }) => this.serve(request, () => this.#handle(request)))];
  }

  protected errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
    if (status === 429) return rateLimited('token', headers);
    if (status === 401) return text(401, 'invalid token', headers);
    if (status === 404) return text(404, 'The requested resource was not found.', headers);
    return text(status, message, headers);
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const { key, token, memberId } = this.#authenticate(request, url);
    this.#throttle(key, token);
    const segments = url.pathname
      .replace(/^\/1\/?/, '')
      .split('/')
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    const found = matchRoute(ROUTES, request.method, segments);
    if (!found) return notFound();
    // Trello serves attachment downloads only to an `Authorization: OAuth …` header, not to key and
    // token in the query string (the refusal's wording is [unconfirmed]).
    if (segments.at(-2) === 'download' && !request.headers.get('authorization'))
      return text(401, 'unauthorized permission requested');
    const params = await Params.from(request);
    const response = found.route.handle({ state: this.#state, params, memberId, args: found.args });
    const lost = this.lostResponses.take(request.method, url.pathname + url.search);
    if (!lost) return response;
    return lost.status ? this.errorResponse(lost.status, 'Internal error encountered.') : droppedConnection();
  }

  #authenticate(request: Request, url: URL): { key: string; token: string; memberId: string } {
    const oauth = parseOAuthHeader(request.headers.get('authorization'));
    const key = url.searchParams.get('key') ?? oauth.key;
    const token = url.searchParams.get('token') ?? oauth.token;
    if (!key || !this.#keys.has(key)) throw text(401, 'invalid key');
    if (!token) throw text(401, 'unauthorized permission requested');
    const grant = this.#tokens.get(token);
    if (!grant || grant.key !== key) throw text(401, 'invalid token');
    return { key, token, memberId: grant.memberId };
  }

  /** @throws Trello's 429 body when the token's or the key's window is full. */
  #throttle(key: string, token: string): void {
    if (this.#rejections.retryAfterMs(key) > 0) throw rateLimited('key');
    if (!this.#perToken.take(token)) {
      this.#rejections.take(key);
      throw rateLimited('token');
    }
    if (!this.#perKey.take(key)) {
      this.#rejections.take(key);
      throw rateLimited('key');
    }
  }
}

function parseOAuthHeader(header: string | null): { key?: string; token?: string } {
  if (!header || !/^OAuth\s/i.test(header)) return {};
  const value = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(header)?.[1];
  const key = value('oauth_consumer_key');
  const token = value('oauth_token');
  return {
    ...(key ? { key: decodeURIComponent(key) } : {}),
    ...(token ? { token: decodeURIComponent(token) } : {}),
  };
}
