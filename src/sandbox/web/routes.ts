// What the page's forms do to the emulated world, as a person would do it in each service's own UI.
import cronParser from 'cron-parser';
import { DEFAULT_NEWSLETTER_CRON } from '../../../recipes/newsletter/config.ts';
import type { Baton } from '../../runtime/index.ts';
import { uploadDemoVideo } from '../demo-video.ts';
import type { TravelClock } from '../travel-clock.ts';
import type { EmulatedWorld } from '../world.ts';
import { AIRTABLE_CONTACT_FIELDS, AIRTABLE_LEAD_FIELDS, LEAD_COLUMNS } from '../world.ts';

/** A form the world refused (an unknown card, a description over Trello's limit): shown as a notice. */
export class ActionRefused extends Error {
  override readonly name = 'ActionRefused';
}

export interface ActionContext {
  world: EmulatedWorld;
  baton: Baton;
  /** The clock the world and Baton share: "Advance the clock 48 h" moves it. */
  clock: TravelClock;
  tab: string;
  /** The demo video's bytes, made at start (absent or rejected: the upload button says why). */
  demoVideo?: () => Promise<Buffer>;
}

/** What "Advance the clock 48 h" skips: the leads recipe's default LEADS_FOLLOW_UP_AFTER. */
export const CLOCK_JUMP_MS = 48 * 3_600_000;

/**
 * Applies one POSTed form and returns where on the page to go back to (`#sheet`, `/?view=Hot#airtable`).
 * After every change the pollers are woken, so a visitor sees Baton react without waiting for the
 * interval (the reaction itself still goes through the real pollers and SDKs).
 * @throws ActionRefused when the path is unknown or the world refuses the change.
 */
export async function applyAction(path: string, form: URLSearchParams, ctx: ActionContext): Promise<string> {
  const back = await route(path, form, ctx);
  ctx.baton.pollSoon();
  return back;
}

async function route(path: string, form: URLSearchParams, ctx: ActionContext): Promise<string> {
  if (path === '/poll') return '';
  if (path === '/leads') {
    addLead(form, ctx);
    return '#sheet';
  }
  if (path === '/airtable/leads') {
    addAirtableLead(form, ctx);
    return '#airtable';
  }
  if (path === '/airtable/contacts') {
    addContact(form, ctx);
    return '#contacts';
  }
  const contactTier = /^\/airtable\/contacts\/([^/]+)\/tier$/.exec(path);
  if (contactTier) {
    setContactTier(decodeURIComponent(contactTier[1]!), field(form, 'Tier'), ctx);
    return '?contacts=Needs%20review#contacts';
  }
  if (path === '/clock/advance') {
    // The sandbox (run.ts) listens: waits due by the new time start at once.
    ctx.clock.advance(CLOCK_JUMP_MS);
    return '';
  }
  if (path === '/clock/newsletter') {
    ctx.clock.advance(untilNextNewsletter(ctx));
    return '#newsletter';
  }
  if (path === '/drive/demo-video') {
    await uploadDemo(ctx);
    return '#content';
  }
  const tier = /^\/airtable\/records\/([^/]+)\/tier$/.exec(path);
  if (tier) {
    setTier(decodeURIComponent(tier[1]!), field(form, 'Tier'), ctx);
    return '?view=Needs%20review#airtable';
  }
  const reply = /^\/mail\/([^/]+)\/reply$/.exec(path);
  if (reply) {
    await replyAsLead(decodeURIComponent(reply[1]!), field(form, 'text'), ctx);
    return '#gmail';
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
  return '#board';
}

function addLead(form: URLSearchParams, ctx: ActionContext): void {
  const lead: Record<string, string> = {};
  for (const column of LEAD_COLUMNS) lead[column] = field(form, column).trim().slice(0, 4000);
  if (!lead.Name && !lead.Email) throw new ActionRefused('A lead needs at least a name and an email');
  ctx.world.sheets.addRow(ctx.world.spreadsheetId, ctx.tab, lead);
}

function addAirtableLead(form: URLSearchParams, ctx: ActionContext): void {
  const lead: Record<string, string> = {};
  for (const name of AIRTABLE_LEAD_FIELDS) {
    const value = field(form, name).trim().slice(0, 4000);
    // Airtable leaves an empty cell out of the record (an empty url or email field is no value).
    if (value) lead[name] = value;
  }
  if (!lead.Name || !lead.Email) throw new ActionRefused('A lead needs at least a name and an email');
  try {
    ctx.world.addAirtableLead(lead);
  } catch (err) {
    throw new ActionRefused((err as Error).message.replace(/^Airtable emulator: /, ''));
  }
}

/** A person picks the tier of a lead in Needs review: the Tier cell is the decision. */
function setTier(recordId: string, tier: string, ctx: ActionContext): void {
  if (tier !== 'Hot' && tier !== 'Nurture') throw new ActionRefused('Tier is Hot or Nurture');
  const { airtable, airtableBaseId } = ctx.world;
  if (!airtable.record(airtableBaseId, 'Leads', recordId))
    throw new ActionRefused('That record no longer exists');
  airtable.updateRecord(airtableBaseId, 'Leads', recordId, { Tier: tier });
}

function addContact(form: URLSearchParams, ctx: ActionContext): void {
  const contact: Record<string, string | number> = { Source: 'sandbox form' };
  for (const name of AIRTABLE_CONTACT_FIELDS) {
    const value = field(form, name).trim().slice(0, 4000);
    if (!value || name === 'Source') continue;
    if (name === 'Value') {
      const n = Number(value.replace(/[,\s]/g, ''));
      if (!Number.isFinite(n)) throw new ActionRefused('Value is a number (a deal or order size)');
      contact.Value = n;
    } else contact[name] = value;
  }
  if (!contact.Email) throw new ActionRefused('A contact needs at least an email');
  try {
    ctx.world.addContact(contact);
  } catch (err) {
    throw new ActionRefused((err as Error).message.replace(/^Airtable emulator: /, ''));
  }
}

/** A person picks the tier of a contact in Needs review: the Tier cell is the decision. */
function setContactTier(recordId: string, tier: string, ctx: ActionContext): void {
  if (tier !== 'VIP' && tier !== 'Standard' && tier !== 'Spam')
    throw new ActionRefused('Tier is VIP, Standard or Spam');
  const { airtable, airtableBaseId } = ctx.world;
  if (!airtable.record(airtableBaseId, 'Contacts', recordId))
    throw new ActionRefused('That record no longer exists');
  airtable.updateRecord(airtableBaseId, 'Contacts', recordId, { Tier: tier });
}

/** The recipient of a sent mail answers in its thread. */
async function replyAsLead(messageId: string, text: string, ctx: ActionContext): Promise<void> {
  const sent = ctx.world.gmail.sent().find((m) => m.id === messageId);
  if (!sent) throw new ActionRefused('That mail was not sent from this mailbox');
  const body = text.replace(/\r\n/g, '\n').trim().slice(0, 4000);
  if (!body) throw new ActionRefused('A reply needs some text');
  await ctx.world.gmail.receive({
    from: sent.to.split(',')[0]!.trim(),
    subject: `Re: ${sent.subject.replace(/^re:\s*/i, '')}`,
    text: body,
    threadId: sent.threadId,
  });
}

/** A phone uploads the demo video to the Drive folder the content recipe watches. */
async function uploadDemo(ctx: ActionContext): Promise<void> {
  if (!ctx.demoVideo) throw new ActionRefused('This sandbox has no demo video');
  let bytes: Buffer;
  try {
    bytes = await ctx.demoVideo();
  } catch (err) {
    throw new ActionRefused(`The demo video could not be made: ${(err as Error).message}`);
  }
  uploadDemoVideo(ctx.world, bytes, new Date(ctx.clock.now()));
}

/** How far the clock moves so the newsletter's next occurrence (NEWSLETTER_CRON in TZ) is due, plus a second. */
export function untilNextNewsletter(ctx: ActionContext): number {
  const env = ctx.world.env;
  const now = ctx.clock.now();
  const next = cronParser
    .parseExpression(env.NEWSLETTER_CRON?.trim() || DEFAULT_NEWSLETTER_CRON, {
      currentDate: new Date(now),
      tz: env.TZ?.trim() || 'UTC',
    })
    .next()
    .getTime();
  return next - now + 1000;
}

const field = (form: URLSearchParams, name: string): string => form.get(name) ?? '';
