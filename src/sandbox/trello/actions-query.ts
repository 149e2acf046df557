// The action feed's query language: `filter` (types, `updateCard:idList`), `since`/`before` (id or date), `limit`.
import { compareIds, isObjectId } from './ids.ts';
import type { ActionRecord } from './state.ts';
import { invalidValue, type Params } from './wire.ts';

type Bound = { id: string } | { time: number };

export interface ActionQuery {
  /** Default type filter when the request names none. */
  filter: string;
  /** Default page size (Trello: 50). */
  limit: number;
  /** `actions` when actions are nested in a card or board (`actions=commentCard&actions_limit=10`). */
  nested?: boolean;
}

/**
 * Filters actions (newest first) the way `GET /1/boards/{id}/actions` does and keeps the newest `limit`.
 * @throws a 400 Response for a bad `limit`, `since` or `before`.
 */
export function queryActions(
  actions: readonly ActionRecord[],
  params: Params,
  query: ActionQuery,
): ActionRecord[] {
  const prefix = query.nested ? 'actions_' : '';
  const filter = (query.nested ? params.get('actions') : params.get('filter')) ?? query.filter;
  const since = bound(params, `${prefix}since`);
  const before = bound(params, `${prefix}before`);
  const limit = limitOf(params, `${prefix}limit`, query.limit);
  const matches = matcher(filter);
  return actions
    .filter((a) => matches(a) && (!since || isAfter(a, since)) && (!before || isBefore(a, before)))
    .slice(0, limit);
}

function matcher(filter: string): (action: ActionRecord) => boolean {
  const parts = filter
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.includes('all')) return () => true;
  if (parts.length === 0 || parts.includes('none')) return () => false;
  return (action) =>
    parts.some((part) => {
      const [type, field] = part.split(':');
      if (type !== action.type) return false;
      if (!field) return true;
      const old = action.data.old;
      return typeof old === 'object' && old !== null && field in old;
    });
}

function bound(params: Params, name: string): Bound | undefined {
  const value = params.get(name);
  if (value === undefined || value === '' || value === 'null') return undefined;
  if (isObjectId(value)) return { id: value };
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw invalidValue(name.replace(/^actions_/, ''));
  return { time };
}

function limitOf(params: Params, name: string, fallback: number): number {
  const value = params.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw invalidValue(name.replace(/^actions_/, ''));
  return n;
}

const isAfter = (action: ActionRecord, b: Bound): boolean =>
  'id' in b ? compareIds(action.id, b.id) > 0 : Date.parse(action.date) > b.time;

const isBefore = (action: ActionRecord, b: Bound): boolean =>
  'id' in b ? compareIds(action.id, b.id) < 0 : Date.parse(action.date) < b.time;
