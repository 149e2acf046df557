// What the page's forms do to the emulated world, as a person would do it in each service's own UI.
import type { Baton } from '../../runtime/index.ts';
import type { EmulatedWorld } from '../world.ts';
import { LEAD_COLUMNS } from '../world.ts';

/** A form the world refused (an unknown card, a description over Trello's limit): shown as a notice. */
export class ActionRefused extends Error {
  override readonly name = 'ActionRefused';
}

export interface ActionContext {
  world: EmulatedWorld;
  baton: Baton;
  tab: string;
}

/**
 * Applies one POSTed form and returns the page anchor to go back to. After every change the pollers
 * are woken, so a visitor sees Baton react without waiting for the interval (the reaction itself
 * still goes through the real pollers and SDKs).
 * @throws ActionRefused when the path is unknown or the world refuses the change.
 */
export function applyAction(path: string, form: URLSearchParams, ctx: ActionContext): string {
  const anchor = route(path, form, ctx);
  ctx.baton.pollSoon();
  return anchor;
}

function route(path: string, form: URLSearchParams, ctx: ActionContext): string {
  if (path === '/poll') return '';
  if (path === '/leads') {
    addLead(form, ctx);
    return 'sheet';
  }
  const card = /^\/cards\/([^/]+)\/(move|description|comments)$/.exec(path);
  if (!card) throw new ActionRefused(`Nothing answers ${path}`);
  const cardId = decodeURIComponent(card[1]!);
  if (!ctx.world.trello.card(cardId)) throw new ActionRefused('That card no longer exists');
  const trello = ctx.world.trello;
  try {
    if (card[2] === 'move') {
      const list = field(form, 'list');
      const lists = trello.boardView(ctx.world.boardId).lists.map((l) => l.name);
      if (!lists.includes(list)) throw new ActionRefused(`There is no list '${list}' on the board`);
      trello.moveCard(cardId, list);
    } else if (card[2] === 'description') {
      trello.editDescription(cardId, field(form, 'desc').replace(/\r\n/g, '\n'));
    } else {
      const text = field(form, 'text').trim();
      if (!text) throw new ActionRefused('A comment needs some text');
      trello.comment(cardId, text);
    }
  } catch (err) {
    if (err instanceof ActionRefused) throw err;
    throw new ActionRefused((err as Error).message.replace(/^Trello emulator: /, ''));
  }
  return 'board';
}

function addLead(form: URLSearchParams, ctx: ActionContext): void {
  const lead: Record<string, string> = {};
  for (const column of LEAD_COLUMNS) lead[column] = field(form, column).trim().slice(0, 4000);
  if (!lead.Name && !lead.Email) throw new ActionRefused('A lead needs at least a name and an email');
  ctx.world.sheets.addRow(ctx.world.spreadsheetId, ctx.tab, lead);
}

const field = (form: URLSearchParams, name: string): string => form.get(name) ?? '';
