// Card endpoints of the Trello emulator: create, read, update, delete, comment, label.
import { queryActions } from './actions-query.ts';
import { isObjectId } from './ids.ts';
import { pickFields, renderAction, renderBoard, renderCard, renderList } from './render.ts';
import {
  cardOr404,
  labelIdsParam,
  listParam,
  positionParam,
  type Route,
  type RouteContext,
  textParam,
} from './router.ts';
import { type ActionRecord, type CardChanges, MAX_COMMENT, MAX_DESC, type TrelloState } from './state.ts';
import { invalidValue, json, text } from './wire.ts';

function cardBody({ state, params }: RouteContext, id: string): Record<string, unknown> {
  const card = cardOr404(state, id);
  const body: Record<string, unknown> = pickFields(renderCard(card, state), params.get('fields'));
  if (params.has('actions')) {
    body.actions = queryActions(actionsOn(state, card.id, card.idBoard), params, {
      filter: 'all',
      limit: 50,
      nested: true,
    }).map((a) => renderAction(a, state));
  }
  if (params.bool('list')) body.list = renderList(state.lists.get(card.idList)!);
  if (params.bool('board')) body.board = renderBoard(state.boards.get(card.idBoard)!);
  return body;
}

/** A card's actions, newest first. */
function actionsOn(state: TrelloState, idCard: string, idBoard: string): ActionRecord[] {
  return state.actionsOf(idBoard).filter((a) => (a.data.card as { id?: string } | undefined)?.id === idCard);
}

const nameParam = (ctx: RouteContext): string | undefined => textParam(ctx.params, 'name', 16_384);

export const cardRoutes: Route[] = [
  {
    method: 'POST',
    path: 'cards',
    handle(ctx) {
      const { state, params, memberId } = ctx;
      const list = listParam(state, params.get('idList'));
      const card = state.addCard(memberId, {
        idList: list.id,
        name: nameParam(ctx) ?? '',
        desc: textParam(params, 'desc', MAX_DESC) ?? '',
        idLabels: labelIdsParam(state, params, list.idBoard) ?? [],
        pos: positionParam(params) ?? 'bottom',
      });
      return json(renderCard(card, state));
    },
  },
  {
    method: 'GET',
    path: 'cards/:id',
    handle(ctx) {
      return json(cardBody(ctx, ctx.args[0]!));
    },
  },
  {
    method: 'PUT',
    path: 'cards/:id',
    handle(ctx) {
      const { state, params, memberId } = ctx;
      const card = cardOr404(state, ctx.args[0]!);
      const changes: CardChanges = {};
      const name = nameParam(ctx);
      if (name !== undefined) {
        if (name === '') throw invalidValue('name');
        changes.name = name;
      }
      const desc = textParam(params, 'desc', MAX_DESC);
      if (desc !== undefined) changes.desc = desc;
      const closed = params.bool('closed');
      if (closed !== undefined) changes.closed = closed;
      const pos = positionParam(params);
      if (pos !== undefined) changes.pos = pos;
      let idBoard = card.idBoard;
      if (params.has('idList')) {
        const list = listParam(state, params.get('idList'));
        changes.idList = list.id;
        idBoard = list.idBoard;
      }
      const idLabels = labelIdsParam(state, params, idBoard);
      if (idLabels !== undefined) changes.idLabels = idLabels;
      const cover = params.get('idAttachmentCover');
      if (cover !== undefined) {
        if (cover === '' || cover === 'null') state.covers.delete(card.id);
        else if (
          state.attachments
            .get(card.id)
            ?.some((a) => a.id === cover.toLowerCase() && a.mimeType.startsWith('image/'))
        )
          state.covers.set(card.id, cover.toLowerCase());
        else throw invalidValue('idAttachmentCover');
      }
      state.updateCard(memberId, card, changes);
      return json(renderCard(card, state));
    },
  },
  {
    method: 'DELETE',
    path: 'cards/:id',
    handle({ state, args, memberId }) {
      state.deleteCard(memberId, cardOr404(state, args[0]!));
      return json({ limits: {} });
    },
  },
  {
    method: 'GET',
    path: 'cards/:id/list',
    handle({ state, params, args }) {
      const card = cardOr404(state, args[0]!);
      return json(pickFields(renderList(state.lists.get(card.idList)!), params.get('fields')));
    },
  },
  {
    method: 'GET',
    path: 'cards/:id/actions',
    handle({ state, params, args }) {
      const card = cardOr404(state, args[0]!);
      const actions = queryActions(actionsOn(state, card.id, card.idBoard), params, {
        filter: 'commentCard,updateCard:idList',
        limit: 50,
      });
      return json(actions.map((a) => renderAction(a, state)));
    },
  },
  {
    method: 'POST',
    path: 'cards/:id/actions/comments',
    handle({ state, params, args, memberId }) {
      const card = cardOr404(state, args[0]!);
      const comment = textParam(params, 'text', MAX_COMMENT);
      if (!comment) throw invalidValue('text');
      return json(renderAction(state.addComment(memberId, card, comment), state));
    },
  },
  {
    method: 'POST',
    path: 'cards/:id/idLabels',
    handle({ state, params, args, memberId }) {
      const card = cardOr404(state, args[0]!);
      const value = params.get('value') ?? '';
      if (!isObjectId(value)) throw invalidValue('value');
      const label = state.labels.get(value.toLowerCase());
      if (!label || label.idBoard !== card.idBoard) throw invalidValue('value');
      if (card.idLabels.includes(label.id)) throw text(400, 'that label is already on the card');
      state.addLabelToCard(memberId, card, label.id);
      return json([...card.idLabels]);
    },
  },
];
