// Baton's Trello client: lists by name, idempotent cards and comments, cards as a person sees them.
import { z } from 'zod';
import { NotFoundError, ServiceError } from '../core/index.ts';
import { TrelloApi } from './api.ts';
import { labelIds } from './labels.ts';
import { footerLength, hasMarker, markedText, markerOf, stripMarker } from './marker.ts';
import { ActionSchema, CardSchema, ListSchema, parse, type RawCard, type TrelloAction } from './schemas.ts';
import type {
  CardSummary,
  CardUpdate,
  CreateCardInput,
  ListName,
  TrelloCard,
  TrelloClientOptions,
  TrelloComment,
} from './types.ts';

/** Trello's limit on a card description and a comment. */
export const MAX_TEXT = 16_384;

const IdempotencyKey = z.string().min(1).max(200).regex(/^\S+$/, 'an idempotency key has no spaces');
const CreateCardInputSchema = z.object({
  listId: z.string().min(1),
  name: z.string().min(1).max(MAX_TEXT),
  desc: z.string().default(''),
  labels: z.array(z.string().min(1)).optional(),
  pos: z.enum(['top', 'bottom']).default('bottom'),
  idempotencyKey: IdempotencyKey,
  createdAfter: z.number().finite().optional(),
  noEarlierTry: z.boolean().optional(),
});

/** How far Trello's clock (which dates card ids) may be behind Baton's without a card being missed. */
const CLOCK_SKEW_MS = 3_600_000;

/**
 * One per Trello token. Every request goes through trello.js 1.2.8 (which has no retries of its own)
 * and one ServicePolicy: 100 requests per 10 s, retries on 429 (at least `rateLimitedDelayMs` apart:
 * Trello sends no Retry-After), 5xx and dropped connections with jittered backoff, and a breaker that
 * pauses calls while Trello is down. Errors are typed (AuthError, NotFoundError, ServiceError) and
 * never contain the key or token.
 */
export class TrelloClient {
  readonly #api: TrelloApi;
  readonly #boardOfList = new Map<string, string>();
  readonly #pageSize: number;
  readonly #recentCards: number;
  #me: { id: string; username: string } | undefined;

  constructor(options: TrelloClientOptions) {
    this.#api = new TrelloApi(options);
    this.#pageSize = options.cardsPageSize ?? 1000;
    this.#recentCards = options.recentCardsChecked ?? 100;
  }

  /** True while Trello keeps failing and calls are paused (pollers skip their turn). */
  get paused(): boolean {
    return this.#api.policy.paused;
  }

  get stats(): Readonly<{ calls: number; failures: number; rateLimited: number }> {
    return this.#api.policy.stats;
  }

  /**
   * List ids by role, e.g. `{ approved: { name: 'Approved', envVar: 'TRELLO_APPROVED_LIST' } }`.
   * Names match exactly first, then ignoring case and surrounding spaces. One request.
   * @throws NotFoundError naming the list and the variable to set when a list is missing or archived,
   *   or naming the board when it does not exist.
   */
  async findLists<R extends string>(boardId: string, names: Record<R, ListName>): Promise<Record<R, string>> {
    const lists = await this.#boardLists(boardId);
    const ids = {} as Record<R, string>;
    for (const role of Object.keys(names) as R[]) {
      const { name, envVar } = names[role];
      const same = lists.filter((l) => l.name.trim().toLowerCase() === name.trim().toLowerCase());
      const open = same.find((l) => !l.closed && l.name === name) ?? same.find((l) => !l.closed);
      if (!open) {
        const [what, fix] =
          same.length > 0 ? ['is archived on', 'restore it'] : ['not found on', 'create it'];
        throw new NotFoundError('trello', `Trello list '${name}' ${what} board ${boardId}`, {
          hint: `${fix} or set ${envVar}`,
        });
      }
      ids[role] = open.id;
      this.#boardOfList.set(open.id, open.idBoard);
    }
    return ids;
  }

  /**
   * The board's lists, archived ones included (`closed`), in board order. One request.
   * @throws NotFoundError naming the board when it does not exist or the token's user cannot see it.
   */
  async lists(boardId: string): Promise<{ id: string; name: string; closed: boolean }[]> {
    const lists = await this.#boardLists(boardId);
    return lists.map(({ id, name, closed }) => ({ id, name, closed }));
  }

  /**
   * Adds an open list named `name` at the bottom of the board. Before every retry Baton looks for an
   * open list of that name, so a lost answer does not make a second one (call `lists` first to skip
   * names that exist: a create on its own always adds a list).
   * @returns the new list's id
   */
  async createList(boardId: string, name: string): Promise<string> {
    const find = async () =>
      (await this.#api.boardLists(boardId)).find((l) => !l.closed && l.name === name) ?? undefined;
    const list = parse(
      ListSchema,
      await this.#api.createOnce('createList', find, () => this.#api.createList(boardId, name)),
      'createList',
    );
    this.#boardOfList.set(list.id, list.idBoard);
    return list.id;
  }

  #boardLists(boardId: string) {
    return this.#api.boardLists(boardId).catch((err: unknown) => {
      if (!(err instanceof ServiceError) || (!(err instanceof NotFoundError) && err.status !== 400))
        throw err;
      throw new NotFoundError('trello', `Trello board ${boardId} not found`, {
        ...(err.status !== undefined ? { status: err.status } : {}),
        hint: "check the board id (or the 8-character code in the board's URL) and that the token's user can see the board",
      });
    });
  }

  /**
   * Creates a card, idempotent by `idempotencyKey`: the description ends with Baton's footer line
   * (`baton:<key>`), and before the create and before every retry of it Baton looks for that line, so
   * neither a crash nor a lost answer makes a second card. With `createdAfter` (a run's start) it
   * looks on every card of the board created since then, less an hour for clock skew, open or
   * archived, wherever moved: the cost grows with the cards made since, not with the board. Without
   * it, on the target list's cards (open and archived, page by page) and on the board's newest cards
   * (100 by default: an earlier attempt's card that someone has moved meanwhile). (A card a person
   * deleted or removed the footer line from is not found; nor, without `createdAfter`, one moved
   * after 100 newer cards were made.)
   * @returns the card; `created` is false when a card with this key already existed.
   * @throws ServiceError when the description with the footer exceeds 16,384 characters or the input
   *   is invalid; NotFoundError when the list does not exist; AuthError for refused credentials.
   */
  async createCard(input: CreateCardInput): Promise<{ cardId: string; url: string; created: boolean }> {
    const card = checked(CreateCardInputSchema, input, 'createCard');
    const desc = withFooter(card.desc, card.idempotencyKey, 'card description');
    const boardId = await this.#boardOf(card.listId);
    const find = () =>
      card.createdAfter !== undefined
        ? this.#cardWithKeySince(boardId, card.idempotencyKey, card.createdAfter - CLOCK_SKEW_MS)
        : this.#cardWithKey(boardId, card.listId, card.idempotencyKey);
    const existing = card.noEarlierTry ? undefined : await find();
    if (existing) return { cardId: existing.id, url: existing.url, created: false };
    const idLabels = card.labels?.length ? await labelIds(this.#api, boardId, card.labels) : [];
    const data = { idList: card.listId, name: card.name, desc, pos: card.pos, idLabels: idLabels.join(',') };
    const raw = await this.#api.createOnce('createCard', find, () => this.#api.createCard(data));
    const created = parse(CardSchema, raw, 'createCard');
    return { cardId: created.id, url: created.url, created: true };
  }

  /**
   * The card `createCard` made with `idempotencyKey`, looked for as it does (the list's cards, then
   * the board's newest ones), without creating anything: a run adopting its cards again after its
   * data folder was lost. Undefined when there is none.
   */
  async findCard(listId: string, idempotencyKey: string): Promise<TrelloCard | undefined> {
    const key = checked(IdempotencyKey, idempotencyKey, 'findCard');
    const found = await this.#cardWithKey(await this.#boardOf(listId), listId, key);
    return found ? this.getCard(found.id) : undefined;
  }

  /**
   * Changes a card; safe to repeat (it sets values). A new description keeps Baton's footer when the
   * card had one, so the card stays findable by its idempotency key.
   * @throws NotFoundError when the card or list does not exist.
   */
  async updateCard(cardId: string, update: CardUpdate): Promise<CardSummary> {
    const data: Record<string, unknown> = {};
    if (update.name !== undefined) data.name = update.name;
    if (update.listId !== undefined) data.idList = update.listId;
    if (update.closed !== undefined) data.closed = update.closed;
    if (update.desc !== undefined || update.labels !== undefined) {
      const current = await this.#api.cardBasics(cardId);
      if (update.desc !== undefined) {
        data.desc = withFooter(update.desc, markerOf(current.desc), 'card description', { allowEmpty: true });
      }
      if (update.labels !== undefined) {
        data.idLabels = (await labelIds(this.#api, current.idBoard, update.labels)).join(',');
      }
    }
    return summary(await this.#api.updateCard(cardId, data));
  }

  /** Moves a card to a list (nothing changes when it is already there). @throws NotFoundError. */
  async moveCard(cardId: string, listId: string): Promise<CardSummary> {
    return this.updateCard(cardId, { listId });
  }

  /**
   * Attaches an image as the card's cover, once: when the card already has an attachment called
   * `name` (an earlier attempt, a crash, a retry after a lost answer), that one is made the cover
   * (if it is not already) instead of uploading again. `bytes` must be a Buffer (trello.js 1.2.8
   * accepts nothing else); Trello's Free plan takes files up to 10 MB.
   * @returns the attachment's id; `created` is false when it was already there.
   * @throws ServiceError for a non-image mimeType or an empty file; NotFoundError when the card is gone.
   */
  async attachCover(
    cardId: string,
    image: { name: string; bytes: Buffer; mimeType: string },
  ): Promise<{ attachmentId: string; created: boolean }> {
    if (!image.mimeType.startsWith('image/') || image.bytes.byteLength === 0 || !image.name.trim()) {
      throw new ServiceError('trello', 'attachCover: a cover is a named, non-empty image file', {
        hint: `got ${image.mimeType || 'no type'}, ${image.bytes.byteLength} bytes`,
      });
    }
    const find = async () => {
      const { list, coverId } = await this.#api.attachments(cardId);
      const same = list.find((a) => a.name === image.name && a.isUpload !== false);
      return same && { id: same.id, isCover: same.id === coverId };
    };
    const existing = await find();
    if (existing) {
      if (!existing.isCover) await this.#api.setCover(cardId, existing.id);
      return { attachmentId: existing.id, created: false };
    }
    const raw = await this.#api.createOnce('attachCover', find, () =>
      this.#api.createAttachment(cardId, image.bytes, image.name, image.mimeType, true),
    );
    const created = parse(z.object({ id: z.string(), isCover: z.boolean().optional() }), raw, 'attachCover');
    // A retry that found the first attempt's attachment: make sure it is the cover.
    if (created.isCover === false) await this.#api.setCover(cardId, created.id);
    return { attachmentId: created.id, created: true };
  }

  /** The card's cover, when it is an uploaded file (a link or a colour is not): its attachment id and name. */
  async cover(cardId: string): Promise<{ attachmentId: string; name: string } | undefined> {
    const { list, coverId } = await this.#api.attachments(cardId);
    const cover = list.find((a) => a.id === coverId && a.isUpload !== false);
    return cover && { attachmentId: cover.id, name: cover.name };
  }

  /**
   * The bytes of the card's cover (the image a reviewer saw), or undefined when it has none: e.g. to
   * publish that very picture after the local copy was lost. @throws NotFoundError when the card is gone.
   */
  async downloadCover(cardId: string): Promise<{ name: string; bytes: Buffer } | undefined> {
    const { list, coverId } = await this.#api.attachments(cardId);
    const cover = list.find((a) => a.id === coverId && a.isUpload !== false);
    if (!cover) return undefined;
    const fileName = decodeURIComponent(cover.url.split('/').at(-1) ?? cover.name);
    return { name: cover.name, bytes: await this.#api.download(cardId, cover.id, fileName) };
  }

  /**
   * Comments on a card. With an `idempotencyKey` the comment ends with Baton's footer and the card's
   * 50 newest comments are searched for it before posting and before every retry (exactly once);
   * without one, a retry after a lost answer may post the comment twice.
   * @throws ServiceError for an empty or over-long comment; NotFoundError when the card is gone.
   */
  async commentOnCard(
    cardId: string,
    text: string,
    options: { idempotencyKey?: string } = {},
  ): Promise<{ commentId: string; created: boolean }> {
    const key = options.idempotencyKey && checked(IdempotencyKey, options.idempotencyKey, 'commentOnCard');
    const body = withFooter(text, key || undefined, 'comment');
    const find = async () =>
      key ? (await this.#api.comments(cardId)).find((a) => hasMarker(a.data.text ?? '', key)) : undefined;
    const existing = await find();
    if (existing) return { commentId: existing.id, created: false };
    const raw = await this.#api.createOnce('commentOnCard', find, () =>
      this.#api.createComment(cardId, body),
    );
    return { commentId: parse(ActionSchema, raw, 'commentOnCard').id, created: true };
  }

  /**
   * The card as it is now: name, description (human edits included, Baton's footer removed), list,
   * labels and its 50 newest comments, newest first. One request.
   * @throws NotFoundError when the card was deleted.
   */
  async getCard(cardId: string): Promise<TrelloCard> {
    const card = await this.#api.card(cardId);
    const key = markerOf(card.desc);
    return {
      id: card.id,
      name: card.name,
      desc: stripMarker(card.desc),
      ...(key ? { idempotencyKey: key } : {}),
      boardId: card.idBoard,
      listId: card.idList,
      listName: card.list?.name ?? '',
      closed: card.closed,
      labels: (card.labels ?? []).map((l) => l.name),
      comments: (card.actions ?? []).filter((a) => a.type === 'commentCard').map(toComment),
      url: card.url,
    };
  }

  /** Adds a label by name (created on the board if missing). Idempotent: a label already on the card is fine. */
  async addLabel(cardId: string, labelName: string): Promise<void> {
    const card = await this.#api.cardBasics(cardId);
    const [labelId] = await labelIds(this.#api, card.idBoard, [labelName]);
    if (!labelId || card.idLabels.includes(labelId)) return;
    await this.#api.addCardLabel(cardId, labelId).catch((err: unknown) => {
      // Added meanwhile (e.g. by a retry whose answer was lost): what we wanted.
      if (!(err instanceof ServiceError && err.status === 400 && /already/.test(err.message))) throw err;
    });
  }

  /** The member the token acts as (cached): compare with a signal's `memberCreatorId` to spot Baton's own moves. */
  async whoAmI(): Promise<{ id: string; username: string }> {
    this.#me ??= await this.#api.me();
    return { id: this.#me.id, username: this.#me.username };
  }

  /** One page of a board's action feed, newest first (`since`/`before`: an action id or an ISO date). */
  boardActions(
    boardId: string,
    query: { filter: string; since?: string; before?: string; limit: number },
  ): Promise<TrelloAction[]> {
    return this.#api.boardActions(boardId, query);
  }

  /**
   * Archives (`closed=true`) Baton's finished cards: the open cards of `listIds` that carry Baton's
   * footer and had no activity (`dateLastActivity`) for `olderThanDays`. Pass only lists whose cards
   * are decided (Approved, Rejected): a card whose run still waits must stay open. Cards a person made
   * without Baton's footer are left alone. At most `max` cards per call (default 100, about one 10 s
   * request window); `more` says some were left for the next call. An archived card stays on the board
   * (open and searchable from the board menu) and no longer counts against Trello's open-card limit.
   * @throws ServiceError / NotFoundError from the requests (cards archived before a failure stay so).
   */
  async archiveFinishedCards(options: {
    listIds: readonly string[];
    olderThanDays: number;
    now?: number;
    max?: number;
  }): Promise<{ archived: string[]; more: boolean }> {
    const cutoff = (options.now ?? Date.now()) - options.olderThanDays * 86_400_000;
    const max = options.max ?? 100;
    const archived: string[] = [];
    for (const listId of options.listIds) {
      const due: string[] = [];
      for await (const page of this.#listPages(listId, 'open')) {
        for (const card of page) {
          const last = card.dateLastActivity ? Date.parse(card.dateLastActivity) : Number.NaN;
          if (markerOf(card.desc) && last < cutoff) due.push(card.id);
        }
      }
      for (const cardId of due) {
        if (archived.length >= max) return { archived, more: true };
        await this.#api.updateCard(cardId, { closed: true });
        archived.push(cardId);
      }
    }
    return { archived, more: false };
  }

  /** A board's open lists, each with its open cards (`id`, `name`, `idList`), in one request. */
  openListsWithCards(boardId: string) {
    return this.#api.openListsWithCards(boardId);
  }

  async #boardOf(listId: string): Promise<string> {
    const known = this.#boardOfList.get(listId);
    if (known) return known;
    const { idBoard } = await this.#api.list(listId);
    this.#boardOfList.set(listId, idBoard);
    return idBoard;
  }

  /**
   * The card whose description carries `baton:<key>` (open preferred, else archived): in the list the
   * card was made in, then among the board's newest cards.
   */
  async #cardWithKey(boardId: string, listId: string, key: string): Promise<RawCard | undefined> {
    const pick = (cards: RawCard[]) => {
      const matches = cards.filter((c) => hasMarker(c.desc, key));
      return matches.find((c) => !c.closed) ?? matches[0];
    };
    const inList: RawCard[] = [];
    for await (const page of this.#listPages(listId, 'all')) inList.push(...page);
    return pick(inList) ?? pick(await this.#api.newestBoardCards(boardId, this.#recentCards));
  }

  /**
   * The card whose description carries `baton:<key>` (open preferred, else archived) among the board's
   * cards created after `since`: wherever it was moved, in requests that grow with the cards made
   * since, not with the board.
   */
  async #cardWithKeySince(boardId: string, key: string, since: number): Promise<RawCard | undefined> {
    const matches: RawCard[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await this.#api.boardCardsSince(boardId, {
        since: new Date(since).toISOString(),
        limit: this.#pageSize,
        ...(before ? { before } : {}),
      });
      matches.push(...page.filter((c) => hasMarker(c.desc, key)));
      if (page.length < this.#pageSize) break;
      before = page.at(-1)!.id;
    }
    return matches.find((c) => !c.closed) ?? matches[0];
  }

  /**
   * The cards of every list on the board named `listName`, archived or not (Baton's own bookkeeping,
   * e.g. instance heartbeats): one read, and one per such list; no list, no cards. Every list, not the
   * first: two processes adding the first card at once may each create the list (Trello allows two
   * lists of one name), and a card in the second must not go unseen.
   */
  async hiddenCards(
    boardId: string,
    listName: string,
  ): Promise<{ id: string; name: string; desc: string }[]> {
    const lists = (await this.#api.boardLists(boardId)).filter((l) => l.name === listName);
    const cards: { id: string; name: string; desc: string }[] = [];
    for (const list of lists) {
      for (const c of await this.#api.listCards(list.id, { filter: 'all', limit: 1000 }))
        cards.push({ id: c.id, name: c.name, desc: c.desc });
    }
    return cards;
  }

  /**
   * Adds a card to the board's archived list `listName` (created at the bottom if missing). The list
   * is restored for the create and archived again, so no card is ever added to an archived list and
   * the list stays out of everyone's view. Returns the card's id.
   */
  async addHiddenCard(boardId: string, listName: string, name: string, desc: string): Promise<string> {
    const findList = async () => (await this.#api.boardLists(boardId)).find((l) => l.name === listName);
    const list =
      (await findList()) ??
      parse(
        z.object({ id: z.string(), closed: z.boolean() }),
        await this.#api.createOnce('createList', findList, () => this.#api.createList(boardId, listName)),
        'createList',
      );
    if (list.closed) await this.#api.setListClosed(list.id, false);
    const findCard = async () =>
      (await this.#api.listCards(list.id, { filter: 'all', limit: 1000 })).find(
        (c) => c.name === name && c.desc === desc,
      );
    const raw = await this.#api.createOnce('createCard', findCard, () =>
      this.#api.createCard({ idList: list.id, name, desc, pos: 'bottom' }),
    );
    await this.#api.setListClosed(list.id, true);
    return parse(z.object({ id: z.string() }), raw, 'createCard').id;
  }

  /** Replaces a card's description as is (no footer): false when the card is gone. */
  async setCardText(cardId: string, desc: string): Promise<boolean> {
    try {
      await this.#api.updateCard(cardId, { desc });
      return true;
    } catch (err) {
      if (err instanceof NotFoundError) return false;
      throw err;
    }
  }

  /** Deletes a card for good; a card already gone is fine. */
  async deleteCard(cardId: string): Promise<void> {
    await this.#api.deleteCard(cardId).catch((err: unknown) => {
      if (!(err instanceof NotFoundError)) throw err;
    });
  }

  /** A list's cards, page by page (newest first), so no answer passes Trello's cards-per-response limit. */
  async *#listPages(listId: string, filter: 'open' | 'all'): AsyncGenerator<RawCard[]> {
    let before: string | undefined;
    for (;;) {
      const page = await this.#api.listCards(listId, {
        filter,
        limit: this.#pageSize,
        ...(before ? { before } : {}),
      });
      if (page.length > 0) yield page;
      if (page.length < this.#pageSize) return;
      before = page.at(-1)!.id;
    }
  }
}

/** @throws ServiceError (not retryable) describing what is wrong with a caller's input. */
function checked<S extends z.ZodType>(schema: S, input: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ServiceError('trello', `Trello ${operation}: invalid input`, {
    hint: z.prettifyError(result.error).replace(/\n+/g, '; '),
  });
}

/**
 * `text` with Baton's footer for `key` (when given).
 * @throws ServiceError when the result is empty or longer than Trello's 16,384 characters.
 */
function withFooter(
  text: string,
  key: string | undefined,
  what: string,
  options: { allowEmpty?: boolean } = {},
): string {
  const marked = key ? markedText(text, key) : text;
  if (marked.length <= MAX_TEXT && (options.allowEmpty || marked.trim())) return marked;
  const room = MAX_TEXT - (key ? footerLength(key) : 0);
  throw new ServiceError(
    'trello',
    `The ${what} is ${text.length} characters; Trello takes 1 to ${room} here`,
    {
      hint: `shorten the text (Trello allows ${MAX_TEXT} characters, including Baton's footer line)`,
    },
  );
}

function summary(card: RawCard): CardSummary {
  return {
    id: card.id,
    name: card.name,
    desc: stripMarker(card.desc),
    boardId: card.idBoard,
    listId: card.idList,
    closed: card.closed,
    labelIds: card.idLabels,
    url: card.url,
  };
}

/** A commentCard action as a comment, Baton's footer removed. */
export function toComment(action: TrelloAction): TrelloComment {
  const creator = action.memberCreator;
  return {
    id: action.id,
    text: stripMarker(action.data.text ?? ''),
    date: action.date,
    memberCreator: {
      id: action.idMemberCreator,
      ...(creator?.username ? { username: creator.username } : {}),
      ...(creator?.fullName ? { fullName: creator.fullName } : {}),
    },
  };
}
