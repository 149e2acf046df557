// The Gmail v1 methods the emulator serves: request parsing, paging and response shapes.
import { HttpResponse } from 'msw';
import { badRequest, gmailError, invalidArgument, notFound } from './errors.ts';
import type { Mailbox, StoredMessage } from './mailbox.ts';
import { compileQuery, type MessageFilter, UnsupportedQueryError } from './query.ts';
import { MESSAGE_FORMATS, type MessageFormat, messageRef, renderMessage, snippetOf } from './resource.ts';
import type { MailStore } from './store.ts';

/** What every method gets: the caller's mailbox, the request, and whether only gmail.metadata was granted. */
export interface CallContext {
  store: MailStore;
  mailbox: Mailbox;
  request: Request;
  url: URL;
  metadataOnly: boolean;
  maxRawBytes: number;
  /** Messages that entered the mailbox after this moment (epoch ms) are not in the search index yet. */
  indexedUntil: number;
}

type Method = (ctx: CallContext, id: string) => Promise<Response> | Response;

export const getProfile: Method = ({ mailbox }) =>
  HttpResponse.json({
    emailAddress: mailbox.email,
    messagesTotal: mailbox.messages.size,
    threadsTotal: new Set([...mailbox.messages.values()].map((m) => m.threadId)).size,
    historyId: String(mailbox.historyId),
  });

export const createDraft: Method = async (ctx) => {
  const { raw, threadId } = await draftBody(ctx, 'draft');
  const { draftId, message } = await ctx.store.createDraft(ctx.mailbox, raw, threadId);
  return HttpResponse.json(draftRef(draftId, message));
};

export const updateDraft: Method = async (ctx, draftId) => {
  if (!ctx.mailbox.draft(draftId)) throw notFound();
  const { raw, threadId } = await draftBody(ctx, 'draft');
  const message = await ctx.store.updateDraft(ctx.mailbox, draftId, raw, threadId);
  return HttpResponse.json(draftRef(draftId, message));
};

export const sendDraft: Method = async (ctx) => {
  const body = await jsonBody(ctx.request);
  const draftId = typeof body.id === 'string' ? body.id : undefined;
  if (!draftId) throw invalidArgument('Missing draft ID');
  if (!ctx.mailbox.draft(draftId)) throw notFound();
  if (isRecord(body.message) && body.message.raw !== undefined) {
    const { raw, threadId } = await draftBody(ctx, 'draft', body);
    await ctx.store.updateDraft(ctx.mailbox, draftId, raw, threadId);
  }
  const sent = ctx.store.send(ctx.mailbox, draftId);
  return HttpResponse.json({ ...messageRef(sent), labelIds: [...sent.labelIds] });
};

/** messages.send: JSON `{raw, threadId?}` (the SDK's non-upload form). */
export const sendMessage: Method = async (ctx) => {
  const body = await jsonBody(ctx.request);
  const { raw, threadId } = await rawMessage(ctx, body);
  const sent = await ctx.store.sendMessage(ctx.mailbox, raw, threadId);
  return HttpResponse.json({ ...messageRef(sent), labelIds: [...sent.labelIds] });
};

const HISTORY_TYPES = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

/**
 * users.history.list: changes after `startHistoryId`, oldest first, paged by maxResults (default
 * 100, at most 500). `labelId` keeps changes to messages carrying that label; `historyTypes` the
 * kinds asked for. An id older than the mailbox remembers, or never issued, is Gmail's 404.
 */
export const listHistory: Method = (ctx) => {
  const params = ctx.url.searchParams;
  const rawStart = params.get('startHistoryId');
  if (rawStart === null) throw invalidArgument('Missing required parameter: startHistoryId');
  if (!/^\d+$/.test(rawStart))
    throw invalidArgument(`Invalid value at 'start_history_id' (TYPE_UINT64), "${rawStart}"`);
  const start = Number(rawStart);
  const box = ctx.mailbox;
  if (start < box.historyFloor || start > box.historyId) throw notFound();
  const types = params.getAll('historyTypes');
  for (const t of types) {
    if (!HISTORY_TYPES.includes(t)) throw invalidArgument(`Invalid value at 'history_types', "${t}"`);
  }
  const label = params.get('labelId');
  const matching = box.history.filter(
    (r) =>
      r.id > start &&
      (types.length === 0 || types.includes(r.type)) &&
      (label === null || r.message.labelIds.includes(label)),
  );
  const { items, nextPageToken } = page(matching, ctx.url);
  const history = items.map((r) => {
    const message = { id: r.message.id, threadId: r.message.threadId };
    const change = { message: { ...message, labelIds: [...r.message.labelIds] } };
    return {
      id: String(r.id),
      messages: [message],
      ...(r.type === 'messageAdded' ? { messagesAdded: [change] } : { messagesDeleted: [change] }),
    };
  });
  return HttpResponse.json({
    ...(history.length ? { history } : {}),
    ...(nextPageToken ? { nextPageToken } : {}),
    historyId: String(box.historyId),
  });
};

export const deleteDraft: Method = (ctx, draftId) => {
  if (!ctx.store.deleteDraft(ctx.mailbox, draftId)) throw notFound();
  return new HttpResponse(null, { status: 204 });
};

export const getDraft: Method = (ctx, draftId) => {
  const message = ctx.mailbox.draft(draftId);
  if (!message) throw notFound();
  const format = formatOf(ctx);
  return HttpResponse.json({ id: draftId, message: renderMessage(message, format, metadataHeaders(ctx)) });
};

export const listDrafts: Method = (ctx) => {
  const filter = queryOf(ctx);
  const matching = ctx.mailbox.draftIds().filter((id) => {
    const message = ctx.mailbox.draft(id);
    return message !== undefined && filter(message);
  });
  const { items, nextPageToken } = page(matching, ctx.url);
  const drafts = items.map((id) => ({ id, message: messageRef(ctx.mailbox.draft(id)!) }));
  return HttpResponse.json({
    ...(drafts.length ? { drafts } : {}),
    ...(nextPageToken ? { nextPageToken } : {}),
    resultSizeEstimate: matching.length,
  });
};

export const listMessages: Method = (ctx) => {
  const filter = queryOf(ctx);
  const labels = ctx.url.searchParams.getAll('labelIds');
  const matching = ctx.mailbox
    .newestFirst()
    .filter((m) => labels.every((l) => m.labelIds.includes(l)) && filter(m));
  const { items, nextPageToken } = page(matching, ctx.url);
  return HttpResponse.json({
    ...(items.length ? { messages: items.map(messageRef) } : {}),
    ...(nextPageToken ? { nextPageToken } : {}),
    resultSizeEstimate: matching.length,
  });
};

export const getMessage: Method = (ctx, id) => {
  const message = ctx.mailbox.messages.get(id);
  if (!message) throw notFound();
  return HttpResponse.json(renderMessage(message, formatOf(ctx), metadataHeaders(ctx)));
};

export const getThread: Method = (ctx, id) => {
  const messages = ctx.mailbox.thread(id);
  if (messages.length === 0) throw notFound();
  const format = formatOf(ctx);
  const last = messages[messages.length - 1]!;
  return HttpResponse.json({
    id,
    snippet: snippetOf(last),
    historyId: String(Math.max(...messages.map((m) => m.historyId))),
    messages: messages.map((m) => renderMessage(m, format, metadataHeaders(ctx))),
  });
};

/** The `{raw, threadId?}` of a messages.send body, decoded and size-checked. */
function rawMessage(
  ctx: CallContext,
  body: Record<string, unknown>,
): Promise<{ raw: Buffer; threadId?: string }> {
  return draftBody(ctx, 'message', { message: body }, 'message.');
}

function draftRef(draftId: string, message: StoredMessage) {
  return { id: draftId, message: { ...messageRef(message), labelIds: [...message.labelIds] } };
}

/** The `{message:{raw, threadId?}}` of a draft request, decoded and size-checked. */
async function draftBody(
  ctx: CallContext,
  field: string,
  parsed?: Record<string, unknown>,
  prefix = `${field}.message.`,
): Promise<{ raw: Buffer; threadId?: string }> {
  const body = parsed ?? (await jsonBody(ctx.request));
  const message = body.message;
  if (!isRecord(message)) throw invalidArgument('Missing draft message');
  if (typeof message.raw !== 'string' || message.raw === '') {
    throw badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
  }
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(message.raw)) {
    throw invalidArgument(`Invalid value at '${prefix}raw' (TYPE_BYTES), Base64 decoding failed`);
  }
  const raw = Buffer.from(message.raw, 'base64url');
  if (raw.length > ctx.maxRawBytes) {
    throw badRequest(`Request payload size exceeds the limit: ${ctx.maxRawBytes} bytes.`);
  }
  const threadId = typeof message.threadId === 'string' && message.threadId ? message.threadId : undefined;
  return { raw, ...(threadId ? { threadId } : {}) };
}

async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  try {
    const body: unknown = await request.json();
    if (isRecord(body)) return body;
  } catch {
    // fall through to the error below
  }
  throw badRequest('Invalid JSON payload received.');
}

function formatOf(ctx: CallContext): MessageFormat {
  const value = (ctx.url.searchParams.get('format') ?? 'full').toLowerCase();
  if (!MESSAGE_FORMATS.includes(value as MessageFormat)) {
    throw invalidArgument(
      `Invalid value at 'format' (type.googleapis.com/caribou.api.proto.MessageFormat), "${value}"`,
    );
  }
  const format = value as MessageFormat;
  if (ctx.metadataOnly && (format === 'full' || format === 'raw')) {
    throw gmailError(403, `Metadata scope doesn't allow format ${format.toUpperCase()}`, {
      reason: 'forbidden',
    });
  }
  return format;
}

const metadataHeaders = (ctx: CallContext): string[] => ctx.url.searchParams.getAll('metadataHeaders');

function queryOf(ctx: CallContext): MessageFilter {
  const q = ctx.url.searchParams.get('q');
  if (q && ctx.metadataOnly) {
    throw gmailError(403, "Metadata scope does not support 'q' parameter", { reason: 'forbidden' });
  }
  try {
    const filter = compileQuery(q);
    // Only `q` goes through Gmail's search index, which lags fresh writes; plain listings do not.
    return q ? (m) => m.internalDate <= ctx.indexedUntil && filter(m) : filter;
  } catch (err) {
    if (err instanceof UnsupportedQueryError) throw badRequest(err.message);
    throw err;
  }
}

/** One page of `items`: maxResults (default 100, at most 500) from the offset the pageToken names. */
function page<T>(items: T[], url: URL): { items: T[]; nextPageToken?: string } {
  const rawMax = url.searchParams.get('maxResults');
  const max = rawMax === null ? 100 : Number(rawMax);
  if (!Number.isInteger(max) || max < 1)
    throw invalidArgument(`Invalid value at 'max_results' (TYPE_UINT32), "${rawMax}"`);
  const token = url.searchParams.get('pageToken');
  let offset = 0;
  if (token) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!decoded) throw invalidArgument('Invalid pageToken');
    offset = Number(decoded[1]);
  }
  const size = Math.min(max, 500);
  const end = offset + size;
  return {
    items: items.slice(offset, end),
    ...(end < items.length ? { nextPageToken: Buffer.from(`o${end}`).toString('base64url') } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
