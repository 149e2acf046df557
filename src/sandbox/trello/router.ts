// Matches `/1/...` paths to the emulator's handlers and finds the objects they name (or answers 400/404).
import { isObjectId, isShortLink } from './ids.ts';
import type { BoardRecord, CardRecord, ListRecord, Position, TrelloState } from './state.ts';
import { invalidId, invalidObjectId, invalidValue, notFound, type Params } from './wire.ts';

export interface RouteContext {
  state: TrelloState;
  params: Params;
  /** The member the token belongs to. */
  memberId: string;
  /** The path's `:placeholders`, in order. */
  args: string[];
}

export interface Route {
  method: string;
  /** e.g. `boards/:id/actions`. */
  path: string;
  handle(ctx: RouteContext): Response;
}

/** @throws 400 `invalid id` for a malformed id, 404 when no such board. */
export function boardOr404(state: TrelloState, id: string): BoardRecord {
  if (!isObjectId(id) && !isShortLink(id)) throw invalidId();
  const board = state.board(id);
  if (!board) throw notFound();
  return board;
}

/** @throws 400 `invalid id` for a malformed id, 404 when no such card. */
export function cardOr404(state: TrelloState, id: string): CardRecord {
  if (!isObjectId(id) && !isShortLink(id)) throw invalidId();
  const card = state.card(id);
  if (!card) throw notFound();
  return card;
}

/** @throws 400 `invalid id` for a malformed id, 404 when no such list. */
export function listOr404(state: TrelloState, id: string): ListRecord {
  if (!isObjectId(id)) throw invalidId();
  const list = state.lists.get(id.toLowerCase());
  if (!list) throw notFound();
  return list;
}

/** A list named by a parameter (`idList`): malformed → 400 `invalid value for idList`, unknown → 404. */
export function listParam(state: TrelloState, value: string | undefined): ListRecord {
  if (!value || !isObjectId(value)) throw invalidValue('idList');
  const list = state.lists.get(value.toLowerCase());
  if (!list) throw notFound();
  return list;
}

/** Label ids for a card on `idBoard`: malformed ids get Trello's JSON `Invalid objectId`. */
export function labelIdsParam(state: TrelloState, params: Params, idBoard: string): string[] | undefined {
  const ids = params.list('idLabels');
  if (ids === undefined) return undefined;
  if (!ids.every(isObjectId)) throw invalidObjectId();
  const normalized = ids.map((id) => id.toLowerCase());
  if (!normalized.every((id) => state.labels.get(id)?.idBoard === idBoard)) throw invalidValue('idLabels');
  return [...new Set(normalized)];
}

export function positionParam(params: Params): Position | undefined {
  const value = params.get('pos');
  if (value === undefined) return undefined;
  if (value === 'top' || value === 'bottom') return value;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw invalidValue('pos');
  return n;
}

/** Text no longer than `max` characters. */
export function textParam(params: Params, name: string, max: number): string | undefined {
  const value = params.get(name);
  if (value !== undefined && value.length > max) throw invalidValue(name);
  return value;
}
