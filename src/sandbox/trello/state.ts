// The Trello emulator's data: members, boards, lists, cards, labels, and the action log every change writes.
import type { Clock } from '../../clock.ts';
import { compareIds, isObjectId, isShortLink, ObjectIds, shortLink } from './ids.ts';
import { DEFAULT_LIMITS, openCardLimitReached, type TrelloLimits } from './limits.ts';

export interface MemberRecord {
  id: string;
  username: string;
  fullName: string;
  initials: string;
}

export interface BoardRecord {
  id: string;
  name: string;
  shortLink: string;
  closed: boolean;
  /** The next card's board-local number (`idShort`). */
  nextIdShort: number;
}

export interface ListRecord {
  id: string;
  idBoard: string;
  name: string;
  closed: boolean;
  pos: number;
}

export interface CardRecord {
  id: string;
  idBoard: string;
  idList: string;
  name: string;
  desc: string;
  closed: boolean;
  pos: number;
  idLabels: string[];
  idShort: number;
  shortLink: string;
  dateLastActivity: string;
}

/** A file (or link) attached to a card. */
export interface AttachmentRecord {
  id: string;
  idCard: string;
  idMember: string;
  name: string;
  fileName: string | null;
  mimeType: string;
  bytes: Uint8Array | undefined;
  url: string;
  isUpload: boolean;
  date: string;
  pos: number;
}

export interface LabelRecord {
  id: string;
  idBoard: string;
  name: string;
  color: string | null;
}

/** One entry of a board's activity feed, as `GET /1/boards/{id}/actions` returns it. */
export interface ActionRecord {
  id: string;
  idBoard: string;
  idMemberCreator: string;
  type: string;
  date: string;
  data: Record<string, unknown>;
}

export type Position = number | 'top' | 'bottom';

export interface CardChanges {
  name?: string;
  desc?: string;
  idList?: string;
  closed?: boolean;
  idLabels?: string[];
  pos?: Position;
}

/** Trello's documented limits on card text. */
export const MAX_DESC = 16_384;
export const MAX_COMMENT = 16_384;
const POS_STEP = 65_536;

/**
 * Holds every object and writes the action log the way Trello does: each change made through
 * the API or by a "person" appends an action (createCard, updateCard, commentCard, ...) whose id
 * sorts after every earlier one.
 */
export class TrelloState {
  readonly members = new Map<string, MemberRecord>();
  readonly boards = new Map<string, BoardRecord>();
  readonly lists = new Map<string, ListRecord>();
  readonly cards = new Map<string, CardRecord>();
  readonly labels = new Map<string, LabelRecord>();
  /** Each card's attachments, oldest first, and the one shown as its cover. */
  readonly attachments = new Map<string, AttachmentRecord[]>();
  readonly covers = new Map<string, string>();
  /** Every action on every board, oldest first (ascending ids). */
  readonly actions: ActionRecord[] = [];
  readonly #ids = new ObjectIds();

  constructor(
    private readonly clock: Clock,
    readonly limits: TrelloLimits = DEFAULT_LIMITS,
  ) {}

  newId(): string {
    return this.#ids.next(this.clock.now());
  }

  addMember(username: string, fullName: string): MemberRecord {
    const initials = fullName
      .split(/\s+/)
      .map((w) => w[0] ?? '')
      .join('')
      .toUpperCase()
      .slice(0, 3);
    const member = { id: this.newId(), username, fullName, initials };
    this.members.set(member.id, member);
    return member;
  }

  addBoard(name: string): BoardRecord {
    const board = { id: this.newId(), name, shortLink: shortLink(), closed: false, nextIdShort: 1 };
    this.boards.set(board.id, board);
    return board;
  }

  addList(idBoard: string, name: string): ListRecord {
    const pos = Math.max(0, ...this.listsOf(idBoard).map((l) => l.pos)) + POS_STEP;
    const list = { id: this.newId(), idBoard, name, closed: false, pos };
    this.lists.set(list.id, list);
    return list;
  }

  addLabel(idBoard: string, name: string, color: string | null): LabelRecord {
    const label = { id: this.newId(), idBoard, name, color };
    this.labels.set(label.id, label);
    return label;
  }

  /** Finds a board by id or short link. */
  board(idOrShortLink: string): BoardRecord | undefined {
    if (isObjectId(idOrShortLink)) return this.boards.get(idOrShortLink.toLowerCase());
    if (isShortLink(idOrShortLink))
      return [...this.boards.values()].find((b) => b.shortLink === idOrShortLink);
    return undefined;
  }

  /** Finds a card by id or short link. */
  card(idOrShortLink: string): CardRecord | undefined {
    if (isObjectId(idOrShortLink)) return this.cards.get(idOrShortLink.toLowerCase());
    if (isShortLink(idOrShortLink))
      return [...this.cards.values()].find((c) => c.shortLink === idOrShortLink);
    return undefined;
  }

  listsOf(idBoard: string): ListRecord[] {
    return [...this.lists.values()].filter((l) => l.idBoard === idBoard).sort((a, b) => a.pos - b.pos);
  }

  labelsOf(idBoard: string): LabelRecord[] {
    return [...this.labels.values()].filter((l) => l.idBoard === idBoard);
  }

  /** A list's cards in board order (top first). */
  cardsIn(idList: string): CardRecord[] {
    return [...this.cards.values()].filter((c) => c.idList === idList).sort((a, b) => a.pos - b.pos);
  }

  /** A board's cards, list by list, top to bottom. */
  cardsOf(idBoard: string): CardRecord[] {
    return this.listsOf(idBoard).flatMap((l) => this.cardsIn(l.id));
  }

  /** A board's actions, newest first. */
  actionsOf(idBoard: string): ActionRecord[] {
    return this.actions.filter((a) => a.idBoard === idBoard).sort((a, b) => compareIds(b.id, a.id));
  }

  /** How many open cards a board holds. */
  openCardCount(idBoard: string): number {
    let open = 0;
    for (const card of this.cards.values()) if (card.idBoard === idBoard && !card.closed) open++;
    return open;
  }

  /** @throws Trello's refusal when one more open card would pass the board's `openPerBoard`. */
  #assertRoomForOpenCard(idBoard: string): void {
    if (this.openCardCount(idBoard) >= this.limits.openCardsPerBoard)
      throw openCardLimitReached(this.boards.get(idBoard)?.name ?? idBoard);
  }

  addCard(
    by: string,
    fields: { idList: string; name: string; desc: string; idLabels: string[]; pos: Position },
  ): CardRecord {
    const list = this.#list(fields.idList);
    const board = this.boards.get(list.idBoard)!;
    this.#assertRoomForOpenCard(board.id);
    const card: CardRecord = {
      id: this.newId(),
      idBoard: board.id,
      idList: list.id,
      name: fields.name,
      desc: fields.desc,
      closed: false,
      pos: this.#position(list.id, fields.pos),
      idLabels: [...fields.idLabels],
      idShort: board.nextIdShort++,
      shortLink: shortLink(),
      dateLastActivity: this.#now(),
    };
    this.cards.set(card.id, card);
    this.#record(by, card, 'createCard', { list: listRef(list) });
    return card;
  }

  /** Applies changes and logs one action per changed field, as Trello's activity feed shows them. */
  updateCard(by: string, card: CardRecord, changes: CardChanges): CardRecord {
    const target = changes.idList !== undefined ? this.#list(changes.idList).idBoard : card.idBoard;
    const staysOpen = changes.closed === undefined ? !card.closed : !changes.closed;
    if (staysOpen && (card.closed || target !== card.idBoard)) this.#assertRoomForOpenCard(target);
    if (changes.idList !== undefined && changes.idList !== card.idList) {
      const before = this.#list(card.idList);
      const after = this.#list(changes.idList);
      card.idList = after.id;
      card.idBoard = after.idBoard;
      card.pos = this.#position(after.id, changes.pos ?? 'bottom');
      this.#record(by, card, 'updateCard', {
        card: { ...cardRef(card), idList: after.id },
        old: { idList: before.id },
        listBefore: listRef(before),
        listAfter: listRef(after),
      });
    } else if (changes.pos !== undefined) {
      const old = card.pos;
      card.pos = this.#position(card.idList, changes.pos);
      if (card.pos !== old) this.#recordField(by, card, 'pos', old);
    }
    if (changes.name !== undefined && changes.name !== card.name) {
      const old = card.name;
      card.name = changes.name;
      this.#recordField(by, card, 'name', old);
    }
    if (changes.desc !== undefined && changes.desc !== card.desc) {
      const old = card.desc;
      card.desc = changes.desc;
      this.#recordField(by, card, 'desc', old);
    }
    if (changes.closed !== undefined && changes.closed !== card.closed) {
      card.closed = changes.closed;
      this.#recordField(by, card, 'closed', !changes.closed);
    }
    if (changes.idLabels !== undefined) {
      for (const id of changes.idLabels.filter((l) => !card.idLabels.includes(l)))
        this.addLabelToCard(by, card, id);
      for (const id of card.idLabels.filter((l) => !changes.idLabels!.includes(l))) {
        card.idLabels = card.idLabels.filter((l) => l !== id);
        this.#record(by, card, 'removeLabelFromCard', { label: this.#labelRef(id) });
      }
    }
    return card;
  }

  addLabelToCard(by: string, card: CardRecord, idLabel: string): void {
    if (card.idLabels.includes(idLabel)) return;
    card.idLabels.push(idLabel);
    this.#record(by, card, 'addLabelToCard', { label: this.#labelRef(idLabel) });
  }

  deleteCard(by: string, card: CardRecord): void {
    this.cards.delete(card.id);
    this.#record(by, card, 'deleteCard', {
      card: { id: card.id, idShort: card.idShort },
      list: listRef(this.#list(card.idList)),
    });
  }

  addComment(by: string, card: CardRecord, text: string): ActionRecord {
    return this.#record(by, card, 'commentCard', { text, list: listRef(this.#list(card.idList)) });
  }

  /** The comments on a card, newest first. */
  commentsOn(idCard: string): ActionRecord[] {
    return this.actions
      .filter((a) => a.type === 'commentCard' && (a.data.card as { id?: string } | undefined)?.id === idCard)
      .reverse();
  }

  #recordField(by: string, card: CardRecord, field: 'name' | 'desc' | 'closed' | 'pos', old: unknown): void {
    this.#record(by, card, 'updateCard', {
      card: { ...cardRef(card), [field]: card[field] },
      old: { [field]: old },
      list: listRef(this.#list(card.idList)),
    });
  }

  #record(by: string, card: CardRecord, type: string, data: Record<string, unknown>): ActionRecord {
    const board = this.boards.get(card.idBoard)!;
    card.dateLastActivity = this.#now();
    const action: ActionRecord = {
      id: this.newId(),
      idBoard: board.id,
      idMemberCreator: by,
      type,
      date: this.#now(),
      data: {
        card: cardRef(card),
        board: { id: board.id, name: board.name, shortLink: board.shortLink },
        ...data,
      },
    };
    this.actions.push(action);
    return action;
  }

  #list(id: string): ListRecord {
    const list = this.lists.get(id);
    if (!list) throw new Error(`no list ${id}`);
    return list;
  }

  #labelRef(id: string): Record<string, unknown> {
    const label = this.labels.get(id);
    return { id, name: label?.name ?? '', color: label?.color ?? null };
  }

  #position(idList: string, pos: Position): number {
    const positions = this.cardsIn(idList).map((c) => c.pos);
    if (pos === 'top') return positions.length ? Math.min(...positions) / 2 : POS_STEP;
    if (pos === 'bottom') return (positions.length ? Math.max(...positions) : 0) + POS_STEP;
    return pos;
  }

  #now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** The clock's time as Trello writes dates. */
  nowIso(): string {
    return this.#now();
  }
}

const cardRef = (card: CardRecord) => ({
  id: card.id,
  name: card.name,
  idShort: card.idShort,
  shortLink: card.shortLink,
});

const listRef = (list: ListRecord) => ({ id: list.id, name: list.name });
