// The Trello requests the connector makes: trello.js calls behind one ServicePolicy, answers checked by zod.
import { createHash } from 'node:crypto';
import { TrelloClient as TrelloSdk } from 'trello.js';
import { z } from 'zod';
import { ServicePolicy } from '../core/index.ts';
import { classifyTrello, describeTrello } from './failures.ts';
import {
  ActionSchema,
  AttachmentSchema,
  CardSchema,
  CardWithCommentsSchema,
  LabelSchema,
  ListSchema,
  ListWithCardsSchema,
  MemberSchema,
  parse,
} from './schemas.ts';
import type { TrelloClientOptions } from './types.ts';

/** The card fields Baton reads. */
const CARD_FIELDS = 'id,name,desc,idList,idBoard,closed,url,idLabels,labels';
const CARD_FIELDS_WITH_ACTIVITY = `${CARD_FIELDS},dateLastActivity`;

/**
 * One method per request. Reads and idempotent writes are retried by the policy; creates go through
 * `createOnce`. Text travels in a JSON body (trello.js would put it in the query string, where long
 * descriptions meet URL length limits); trello.js 1.2.8 still adds the key and token and sends it.
 */
export class TrelloApi {
  readonly #sdk: TrelloSdk;
  readonly #policy: ServicePolicy;
  readonly #oauth: string;

  constructor(options: TrelloClientOptions) {
    const secrets = [options.key, options.token];
    this.#oauth = `OAuth oauth_consumer_key="${options.key}", oauth_token="${options.token}"`;
    const rateLimitedDelayMs = options.rateLimitedDelayMs ?? 5_000;
    this.#sdk = new TrelloSdk({
      key: options.key,
      token: options.token,
      baseRequestConfig: { timeout: options.timeoutMs ?? 30_000 },
    });
    this.#policy = new ServicePolicy({
      service: 'trello',
      // 90 of Trello's 100 per 10 s: a request let through at the end of one window can reach Trello
      // in the next (a busy process, three workers sharing the count); at exactly 100, the scale-out
      // crash test met Trello's 429 on a loaded machine.
      limits: options.limits ?? { request: { limit: 90, intervalMs: 10_000 } },
      // Trello counts 100 per 10 s per token: a shared limiter counts per token (hashed, never the token).
      limitScope: createHash('sha256').update(options.token).digest('hex').slice(0, 16),
      classify: (err) => classifyTrello(err, rateLimitedDelayMs),
      describe: (err, operation) => describeTrello(err, operation, secrets),
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.initialDelayMs !== undefined ? { initialDelayMs: options.initialDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
      ...(options.breakAfter !== undefined ? { breakAfter: options.breakAfter } : {}),
      ...(options.pauseMs !== undefined ? { pauseMs: options.pauseMs } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.sharedLimiter ? { sharedLimiter: options.sharedLimiter } : {}),
    });
  }

  get policy(): ServicePolicy {
    return this.#policy;
  }

  /**
   * A create Trello cannot deduplicate, under the policy. `find` looks for what the create makes and
   * runs before every retry, so an attempt whose answer was lost is found instead of repeated.
   * @returns the create's answer, or what `find` found on a retry (unchecked: parse it).
   */
  createOnce(
    operation: string,
    find: () => Promise<unknown>,
    create: () => Promise<unknown>,
  ): Promise<unknown> {
    let attempts = 0;
    return this.#policy.call(operation, async () => {
      if (attempts++ > 0) {
        const found = await find();
        if (found !== undefined) return found;
      }
      return create();
    });
  }

  boardLists(boardId: string) {
    return this.#call(
      'getBoardLists',
      () => this.#sdk.boards.getBoardLists({ id: boardId, filter: 'all' }),
      z.array(ListSchema),
    );
  }

  /** A board's open lists, each with its open cards, in one request. */
  openListsWithCards(boardId: string) {
    return this.#call(
      'getBoardLists',
      () => this.#sdk.boards.getBoardLists({ id: boardId, cards: ['open'], cardFields: 'id,name,idList' }),
      z.array(ListWithCardsSchema),
    );
  }

  list(listId: string) {
    return this.#call(
      'getList',
      () => this.#sdk.lists.getList({ id: listId, fields: 'idBoard' }),
      z.object({ idBoard: z.string() }),
    );
  }

  /**
   * One page of a list's cards (`open`, `closed` or `all`), newest first: `limit` at most 1000, then
   * `before` the last card's id for the next page. Trello refuses unpaged answers that hold too many
   * cards (API_TOO_MANY_CARDS_REQUESTED), so the connector always pages.
   */
  listCards(listId: string, query: { filter: 'open' | 'all'; limit: number; before?: string }) {
    const params = {
      filter: query.filter,
      fields: CARD_FIELDS_WITH_ACTIVITY,
      limit: query.limit,
      before: query.before,
    };
    return this.#call(
      'getListCards',
      () => this.#sdk.sendRequest({ url: `/lists/${listId}/cards`, method: 'GET', params }),
      z.array(CardSchema),
    );
  }

  /** The board's newest cards, archived ones included: one page of at most `limit`. */
  newestBoardCards(boardId: string, limit: number) {
    return this.#call(
      'getBoardCards',
      () =>
        this.#sdk.sendRequest({
          url: `/boards/${boardId}/cards/all`,
          method: 'GET',
          params: { fields: CARD_FIELDS, limit },
        }),
      z.array(CardSchema),
    );
  }

  /**
   * One page of the board's cards (archived ones included) created after `since` (an ISO date),
   * newest first: `before` the last card's id for the next page.
   */
  boardCardsSince(boardId: string, query: { since: string; limit: number; before?: string }) {
    const params = { fields: CARD_FIELDS, filter: 'all', ...query };
    return this.#call(
      'getBoardCards',
      () => this.#sdk.sendRequest({ url: `/boards/${boardId}/cards/all`, method: 'GET', params }),
      z.array(CardSchema),
    );
  }

  boardLabels(boardId: string) {
    return this.#call(
      'getBoardLabels',
      () => this.#sdk.boards.getBoardLabels({ id: boardId, fields: ['id', 'name', 'color'], limit: 1000 }),
      z.array(LabelSchema),
    );
  }

  /** Not idempotent: call through `createOnce`. */
  createLabel(boardId: string, name: string, color: string): Promise<unknown> {
    return this.#sdk.boards.createBoardLabel({ id: boardId, name, color });
  }

  /** Not idempotent: call through `createOnce`. At the bottom of the board, after the lists already there. */
  createList(boardId: string, name: string): Promise<unknown> {
    return this.#sdk.boards.createBoardList({ id: boardId, name, pos: 'bottom' });
  }

  /** Archives or restores a list (idempotent). */
  setListClosed(listId: string, closed: boolean) {
    return this.#call(
      'updateList',
      () => this.#sdk.sendRequest({ url: `/lists/${listId}`, method: 'PUT', data: { closed } }),
      ListSchema,
    );
  }

  /** Deletes a card for good (idempotent but for the 404 of a card already gone). */
  deleteCard(cardId: string): Promise<unknown> {
    return this.#policy.call('deleteCard', () =>
      this.#sdk.sendRequest({ url: `/cards/${cardId}`, method: 'DELETE' }),
    );
  }

  /** Not idempotent: call through `createOnce`. */
  createCard(data: Record<string, unknown>): Promise<unknown> {
    return this.#sdk.sendRequest({ url: '/cards', method: 'POST', data });
  }

  /** Not idempotent: call through `createOnce`. */
  createComment(cardId: string, text: string): Promise<unknown> {
    return this.#sdk.sendRequest({
      url: `/cards/${cardId}/actions/comments`,
      method: 'POST',
      data: { text },
    });
  }

  updateCard(cardId: string, data: Record<string, unknown>) {
    return this.#call(
      'updateCard',
      () => this.#sdk.sendRequest({ url: `/cards/${cardId}`, method: 'PUT', data }),
      CardSchema,
    );
  }

  /** The card with its list and its 50 newest comments. */
  card(cardId: string) {
    return this.#call(
      'getCard',
      () => this.#sdk.cards.getCard({ id: cardId, fields: CARD_FIELDS, actions: 'commentCard', list: true }),
      CardWithCommentsSchema,
    );
  }

  /** The fields an update needs, without the comments. */
  cardBasics(cardId: string) {
    return this.#call(
      'getCard',
      () => this.#sdk.cards.getCard({ id: cardId, fields: 'desc,idBoard,idLabels' }),
      z.object({ desc: z.string(), idBoard: z.string(), idLabels: z.array(z.string()) }),
    );
  }

  /** The card's 50 newest comments. */
  comments(cardId: string) {
    return this.#call(
      'getCardActions',
      () => this.#sdk.cards.getCardActions({ id: cardId, filter: 'commentCard' }),
      z.array(ActionSchema),
    );
  }

  /** A card's attachments with the fields the cover needs, and the card's current cover. */
  async attachments(cardId: string) {
    const list = await this.#call(
      'getCardAttachments',
      () => this.#sdk.cards.getCardAttachments({ id: cardId }),
      z.array(AttachmentSchema),
    );
    const { idAttachmentCover } = await this.#call(
      'getCard',
      () => this.#sdk.cards.getCard({ id: cardId, fields: 'idAttachmentCover' }),
      z.object({ idAttachmentCover: z.string().nullable().optional() }),
    );
    return { list, coverId: idAttachmentCover ?? undefined };
  }

  /**
   * An uploaded attachment's bytes. Trello serves downloads only with the key and token in an
   * `Authorization: OAuth …` header (never in the query string); trello.js has no call for it.
   */
  download(cardId: string, attachmentId: string, fileName: string): Promise<Buffer> {
    const url = `https://api.trello.com/1/cards/${cardId}/attachments/${attachmentId}/download/${encodeURIComponent(fileName)}`;
    return this.#policy.call('downloadAttachment', async () => {
      const response = await fetch(url, { headers: { Authorization: this.#oauth } });
      if (!response.ok) {
        // Shaped like trello.js's errors, so the policy classifies and describes it the same way.
        throw Object.assign(new Error(`HTTP ${response.status}`), {
          response: { status: response.status, data: await response.text() },
        });
      }
      return Buffer.from(await response.arrayBuffer());
    });
  }

  /**
   * Not idempotent: call through `createOnce`. trello.js 1.2.8 sends the file as multipart with the
   * `form-data` package, which takes a Buffer only (a stream or a Blob throws).
   */
  createAttachment(
    cardId: string,
    file: Buffer,
    name: string,
    mimeType: string,
    setCover: boolean,
  ): Promise<unknown> {
    return this.#sdk.cards.createCardAttachment({ id: cardId, file, name, mimeType, setCover });
  }

  /** Makes an image attachment the card's cover (idempotent). */
  setCover(cardId: string, attachmentId: string): Promise<unknown> {
    return this.#policy.call('setCover', () =>
      this.#sdk.sendRequest({
        url: `/cards/${cardId}`,
        method: 'PUT',
        data: { idAttachmentCover: attachmentId },
      }),
    );
  }

  addCardLabel(cardId: string, labelId: string): Promise<unknown> {
    return this.#policy.call('addLabel', () => this.#sdk.cards.addCardLabel({ id: cardId, value: labelId }));
  }

  me() {
    return this.#call(
      'getMember',
      () => this.#sdk.members.getMember({ id: 'me', fields: ['id', 'username', 'fullName'] }),
      MemberSchema,
    );
  }

  /** One page of the feed, newest first (trello.js 1.2.8's getBoardActions forwards only `filter`). */
  boardActions(boardId: string, query: { filter: string; since?: string; before?: string; limit: number }) {
    const params = { filter: query.filter, since: query.since, before: query.before, limit: query.limit };
    return this.#call(
      'getBoardActions',
      () => this.#sdk.sendRequest({ url: `/boards/${boardId}/actions`, method: 'GET', params }),
      z.array(ActionSchema),
    );
  }

  async #call<S extends z.ZodType>(
    operation: string,
    send: () => Promise<unknown>,
    schema: S,
  ): Promise<z.infer<S>> {
    return parse(schema, await this.#policy.call(operation, send), operation);
  }
}
