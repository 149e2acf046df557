// Board, list, label and member endpoints of the Trello emulator.
import { queryActions } from './actions-query.ts';
import { checkResponseSize, pageCards, renderCardLimits } from './limits.ts';
import {
  pickFields,
  renderAction,
  renderBoard,
  renderCard,
  renderLabel,
  renderList,
  renderMember,
} from './render.ts';
import { boardOr404, listOr404, positionParam, type Route, type RouteContext } from './router.ts';
import type { CardRecord, ListRecord, TrelloState } from './state.ts';
import { invalidValue, json, text } from './wire.ts';

const COLORS = /^(green|yellow|orange|red|purple|blue|sky|lime|pink|black)(_dark|_light)?$/;

/** Cards of a board or list by Trello's card filter (`open`, `closed`, `all`, `visible`, `none`). */
function filterCards(state: TrelloState, cards: CardRecord[], filter: string): CardRecord[] {
  switch (filter) {
    case 'all':
      return cards;
    case 'open':
      return cards.filter((c) => !c.closed);
    case 'visible':
      return cards.filter((c) => !c.closed && !state.lists.get(c.idList)?.closed);
    case 'closed':
      return cards.filter((c) => c.closed);
    case 'none':
      return [];
    default:
      throw invalidValue('filter');
  }
}

function filterLists(lists: ListRecord[], filter: string): ListRecord[] {
  switch (filter) {
    case 'all':
      return lists;
    case 'open':
      return lists.filter((l) => !l.closed);
    case 'closed':
      return lists.filter((l) => l.closed);
    case 'none':
      return [];
    default:
      throw invalidValue('filter');
  }
}

function boardLists(
  { state, params }: RouteContext,
  idBoard: string,
  filter: string,
  options: { cards?: string; fieldsParam: string },
) {
  const cardFields = params.get('card_fields');
  const cardsParam = options.cards;
  const lists = filterLists(state.listsOf(idBoard), filter).map((list) => ({
    list,
    cards: cardsParam && cardsParam !== 'none' ? filterCards(state, state.cardsIn(list.id), cardsParam) : [],
  }));
  checkResponseSize(
    lists.reduce((sum, l) => sum + l.cards.length, 0),
    state.limits,
  );
  return lists.map(({ list, cards }) => {
    const rendered = pickFields(renderList(list), params.get(options.fieldsParam));
    if (!cardsParam || cardsParam === 'none') return rendered;
    return { ...rendered, cards: cards.map((c) => pickFields(renderCard(c, state), cardFields)) };
  });
}

function boardCards({ state, params }: RouteContext, idBoard: string, filter: string, nested = false) {
  const cards = filterCards(state, state.cardsOf(idBoard), filter);
  // Cards nested in a board (`cards=open`) take no paging parameters: the whole answer must fit.
  if (nested) checkResponseSize(cards.length, state.limits);
  const page = nested ? cards : pageCards(cards, params, state.limits);
  return page.map((c) => pickFields(renderCard(c, state), params.get(nested ? 'card_fields' : 'fields')));
}

function labelsOf({ state, params }: RouteContext, idBoard: string) {
  const limit = Number(params.get('limit') ?? 50);
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000) throw invalidValue('limit');
  const uses = (id: string) => [...state.cards.values()].filter((c) => c.idLabels.includes(id)).length;
  return state
    .labelsOf(idBoard)
    .slice(0, limit)
    .map((l) => pickFields(renderLabel(l, uses(l.id)), params.get('fields')));
}

function createLabel({ state, params }: RouteContext, idBoard: string): Response {
  const color = params.get('color');
  if (color !== undefined && color !== 'null' && color !== '' && !COLORS.test(color))
    throw invalidValue('color');
  const name = params.get('name') ?? '';
  if (name.length > 16_384) throw invalidValue('name');
  const label = state.addLabel(idBoard, name, color && color !== 'null' ? color : null);
  return json(renderLabel(label));
}

export const boardRoutes: Route[] = [
  {
    method: 'GET',
    path: 'boards/:id',
    handle(ctx) {
      const { state, params } = ctx;
      const board = boardOr404(state, ctx.args[0]!);
      const body: Record<string, unknown> = pickFields(renderBoard(board), params.get('fields'));
      const fields = params.get('fields')?.split(',') ?? [];
      if (fields.includes('limits') || fields.includes('all')) {
        const total = [...state.cards.values()].filter((c) => c.idBoard === board.id).length;
        body.limits = renderCardLimits(state.limits, state.openCardCount(board.id), total);
      }
      const lists = params.get('lists');
      if (lists && lists !== 'none')
        body.lists = boardLists(ctx, board.id, lists, { fieldsParam: 'list_fields' });
      const labels = params.get('labels');
      if (labels && labels !== 'none') body.labels = labelsOf(ctx, board.id);
      const cards = params.get('cards');
      if (cards && cards !== 'none') body.cards = boardCards(ctx, board.id, cards, true);
      if (params.has('actions')) {
        body.actions = queryActions(state.actionsOf(board.id), params, {
          filter: 'all',
          limit: 50,
          nested: true,
        }).map((a) => renderAction(a, state));
      }
      return json(body);
    },
  },
  {
    method: 'GET',
    path: 'boards/:id/lists',
    handle(ctx) {
      const board = boardOr404(ctx.state, ctx.args[0]!);
      const filter = ctx.params.get('filter') ?? 'open';
      return json(
        boardLists(ctx, board.id, filter, { cards: ctx.params.get('cards'), fieldsParam: 'fields' }),
      );
    },
  },
  {
    method: 'GET',
    path: 'boards/:id/lists/:filter',
    handle(ctx) {
      const board = boardOr404(ctx.state, ctx.args[0]!);
      return json(boardLists(ctx, board.id, ctx.args[1]!, { fieldsParam: 'fields' }));
    },
  },
  {
    method: 'POST',
    path: 'boards/:id/lists',
    handle({ state, params, args }) {
      const board = boardOr404(state, args[0]!);
      const name = params.get('name');
      if (!name) throw invalidValue('name');
      const list = state.addList(board.id, name);
      const pos = positionParam(params);
      if (typeof pos === 'number') list.pos = pos;
      return json(renderList(list));
    },
  },
  {
    method: 'GET',
    path: 'boards/:id/cards',
    handle(ctx) {
      const board = boardOr404(ctx.state, ctx.args[0]!);
      return json(boardCards(ctx, board.id, ctx.params.get('filter') ?? 'open'));
    },
  },
  {
    method: 'GET',
    path: 'boards/:id/cards/:filter',
    handle(ctx) {
      const board = boardOr404(ctx.state, ctx.args[0]!);
      return json(boardCards(ctx, board.id, ctx.args[1]!));
    },
  },
  {
    method: 'GET',
    path: 'boards/:id/labels',
    handle(ctx) {
      return json(labelsOf(ctx, boardOr404(ctx.state, ctx.args[0]!).id));
    },
  },
  {
    method: 'POST',
    path: 'boards/:id/labels',
    handle(ctx) {
      return createLabel(ctx, boardOr404(ctx.state, ctx.args[0]!).id);
    },
  },
  {
    method: 'POST',
    path: 'labels',
    handle(ctx) {
      const idBoard = ctx.params.get('idBoard');
      if (!idBoard) throw invalidValue('idBoard');
      return createLabel(ctx, boardOr404(ctx.state, idBoard).id);
    },
  },
  {
    method: 'GET',
    path: 'boards/:id/actions',
    handle({ state, params, args }) {
      const board = boardOr404(state, args[0]!);
      const actions = queryActions(state.actionsOf(board.id), params, { filter: 'all', limit: 50 });
      return json(actions.map((a) => pickFields(renderAction(a, state), params.get('fields'))));
    },
  },
  {
    method: 'GET',
    path: 'lists/:id',
    handle({ state, params, args }) {
      return json(pickFields(renderList(listOr404(state, args[0]!)), params.get('fields')));
    },
  },
  {
    // Archiving and renaming a list (reference: PUT /1/lists/{id}, `closed`, `name`).
    method: 'PUT',
    path: 'lists/:id',
    handle({ state, params, args }) {
      const list = listOr404(state, args[0]!);
      const closed = params.get('closed');
      if (closed !== undefined) {
        if (closed !== 'true' && closed !== 'false') throw invalidValue('closed');
        list.closed = closed === 'true';
      }
      const name = params.get('name');
      if (name !== undefined) {
        if (name.trim() === '') throw invalidValue('name');
        list.name = name;
      }
      return json(renderList(list));
    },
  },
  {
    method: 'GET',
    path: 'lists/:id/cards',
    handle({ state, params, args }) {
      const list = listOr404(state, args[0]!);
      const cards = filterCards(state, state.cardsIn(list.id), params.get('filter') ?? 'open');
      const page = pageCards(cards, params, state.limits);
      return json(page.map((c) => pickFields(renderCard(c, state), params.get('fields'))));
    },
  },
  {
    method: 'GET',
    path: 'members/:id',
    handle({ state, params, args, memberId }) {
      const id = args[0]!;
      const member =
        id === 'me'
          ? state.members.get(memberId)
          : (state.members.get(id.toLowerCase()) ??
            [...state.members.values()].find((m) => m.username === id));
      if (!member) throw text(404, 'model not found');
      return json(pickFields(renderMember(member), params.get('fields')));
    },
  },
];
