// What a person does on a Trello board (make a board, drag a card, edit, comment) and what they see.
import { slug } from './ids.ts';
import type { CardRecord, TrelloState } from './state.ts';
import { MAX_COMMENT, MAX_DESC } from './state.ts';

/** A card as a person sees it on the board (and a test or the sandbox page checks it). */
export interface CardView {
  id: string;
  name: string;
  desc: string;
  boardId: string;
  listId: string;
  listName: string;
  closed: boolean;
  labels: string[];
  /** Newest first. */
  comments: { id: string; text: string; date: string; by: string }[];
  url: string;
  /** Oldest first, with the uploaded bytes. */
  attachments: { id: string; name: string; mimeType: string; bytes: Uint8Array | undefined; url: string }[];
  /** The attachment shown as the card's cover, if any. */
  coverId: string | undefined;
}

export interface BoardView {
  id: string;
  name: string;
  lists: { id: string; name: string; cards: CardView[] }[];
}

export function createBoard(state: TrelloState, input: { name: string; lists: string[] }) {
  const board = state.addBoard(input.name);
  const lists: Record<string, string> = {};
  for (const name of input.lists) lists[name] = state.addList(board.id, name).id;
  return { boardId: board.id, lists };
}

export function cardOrThrow(state: TrelloState, id: string): CardRecord {
  const card = state.card(id);
  if (!card) throw new Error(`Trello emulator: no card ${id}`);
  return card;
}

/** The open list called `name` on the card's board. */
export function listNamed(state: TrelloState, idBoard: string, name: string): string {
  const list = state.listsOf(idBoard).find((l) => l.name === name && !l.closed);
  if (!list) throw new Error(`Trello emulator: no list '${name}' on board ${idBoard}`);
  return list.id;
}

export function addCard(
  state: TrelloState,
  by: string,
  input: { boardId: string; listName: string; name: string; desc?: string },
): string {
  const idList = listNamed(state, input.boardId, input.listName);
  return state.addCard(by, { idList, name: input.name, desc: input.desc ?? '', idLabels: [], pos: 'bottom' })
    .id;
}

export function moveCard(state: TrelloState, by: string, cardId: string, listName: string): void {
  const card = cardOrThrow(state, cardId);
  state.updateCard(by, card, { idList: listNamed(state, card.idBoard, listName) });
}

export function editDescription(state: TrelloState, by: string, cardId: string, text: string): void {
  if (text.length > MAX_DESC) throw new Error(`Trello emulator: description over ${MAX_DESC} characters`);
  state.updateCard(by, cardOrThrow(state, cardId), { desc: text });
}

export function comment(state: TrelloState, by: string, cardId: string, text: string): string {
  if (!text || text.length > MAX_COMMENT)
    throw new Error('Trello emulator: comment must be 1–16,384 characters');
  return state.addComment(by, cardOrThrow(state, cardId), text).id;
}

export function cardView(state: TrelloState, card: CardRecord): CardView {
  return {
    id: card.id,
    name: card.name,
    desc: card.desc,
    boardId: card.idBoard,
    listId: card.idList,
    listName: state.lists.get(card.idList)?.name ?? '',
    closed: card.closed,
    labels: card.idLabels.map((id) => state.labels.get(id)?.name ?? ''),
    comments: state.commentsOn(card.id).map((a) => ({
      id: a.id,
      text: String(a.data.text ?? ''),
      date: a.date,
      by: state.members.get(a.idMemberCreator)?.fullName ?? '',
    })),
    url: `https://trello.com/c/${card.shortLink}/${card.idShort}-${slug(card.name)}`,
    attachments: (state.attachments.get(card.id) ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      mimeType: a.mimeType,
      bytes: a.bytes,
      url: a.url,
    })),
    coverId: state.covers.get(card.id),
  };
}

export function boardView(state: TrelloState, boardId: string): BoardView {
  const board = state.board(boardId);
  if (!board) throw new Error(`Trello emulator: no board ${boardId}`);
  return {
    id: board.id,
    name: board.name,
    lists: state
      .listsOf(board.id)
      .filter((l) => !l.closed)
      .map((l) => ({
        id: l.id,
        name: l.name,
        cards: state
          .cardsIn(l.id)
          .filter((c) => !c.closed)
          .map((c) => cardView(state, c)),
      })),
  };
}
