// The gmailReplies trigger: wakes runs waiting on a thread when new mail arrives in it.
import type { WaitOptions } from '../../src/engine/index.ts';
import type { PollContext, PollResult, Trigger, TriggerSignal } from '../../src/triggers/index.ts';
import { NotFoundError } from '../core/index.ts';
import type { GmailClient } from './client.ts';
import type { GmailReply } from './types.ts';

/** The signal key of a Gmail thread: what a run waiting for an answer in it listens for. */
export const gmailThreadKey = (threadId: string): string => `gmail:thread:${threadId}`;

/** What a signal carries: a hint only (it may be an out-of-office); `repliesIn` decides. */
export interface GmailThreadSignal {
  threadId: string;
  /** Gmail ids of the inbound messages seen in the thread by this poll. */
  messageIds: string[];
}

export interface GmailRepliesOptions {
  /** Names the trigger (and its cursor) when Baton watches several mailboxes: their addresses. */
  mailbox?: string;
  /** Poll interval; the runtime's default when absent. */
  intervalMs?: number;
  /** History pages read in one poll before the rest waits for the next (5). */
  maxPages?: number;
  /** History records per page (Gmail allows up to 500, the default). */
  pageSize?: number;
  /** Newest inbox messages whose threads are signalled after Gmail forgot our history id (100). */
  resyncDepth?: number;
}

/** What the trigger keeps in the store between polls. */
interface RepliesCursor {
  /** The mailbox history id up to which changes were read. */
  historyId: string;
}

/**
 * Watches the mailbox and emits signals (never items) keyed `gmail:thread:<threadId>` for threads
 * that received inbound mail (INBOX, not SENT: our own sends never signal), one per thread per poll.
 *
 * An idle poll is ONE request: users.history.list from the stored history id (2 quota units). The
 * first poll (no cursor, e.g. a lost data folder) starts from now (users.getProfile) and signals
 * nothing. When Gmail has forgotten the stored id (404: ids last about a week, sometimes hours), the
 * trigger resynchronises: it takes the current id and signals the threads of the newest
 * `resyncDepth` inbox messages (a few spurious signals are harmless, see below).
 *
 * Signals are hints, at least once, and may be lost: a run waits with `gmailReplyWait` (or its own
 * `accept: () => undefined` plus a `check` calling `repliesIn`), so a signal only wakes the run and
 * `repliesIn` decides; a lost signal is caught by the check when the wait times out.
 */
export function gmailReplies(gmail: GmailClient, options: GmailRepliesOptions = {}): Trigger<never> {
  const maxPages = options.maxPages ?? 5;
  const pageSize = options.pageSize ?? 500;
  const resyncDepth = options.resyncDepth ?? 100;

  /** Signals for the threads of the newest inbox mail, and the history id to go on from. */
  async function resync(ctx: PollContext, reason: string): Promise<PollResult<never>> {
    // The id first: mail arriving after it is read by the next poll, mail before it is listed now.
    const { historyId } = await gmail.changes.profile();
    const newest = reason === 'start' ? [] : await gmail.changes.newestInbox(resyncDepth);
    if (reason !== 'start') ctx.log.warn({ historyId }, `Gmail history ${reason}: resynchronised`);
    await ctx.cursor.set<RepliesCursor>({ historyId });
    return { signals: signalsFor(newest) };
  }

  return {
    id: options.mailbox ? `gmail:replies:${options.mailbox.toLowerCase()}` : 'gmail:replies',
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    get paused() {
      return gmail.paused;
    },
    async poll(ctx: PollContext): Promise<PollResult<never>> {
      const cursor = await ctx.cursor.get<RepliesCursor>();
      if (!cursor?.historyId) return resync(ctx, 'start');
      const arrivals: { id: string; threadId: string }[] = [];
      let next = cursor.historyId;
      let pageToken: string | undefined;
      try {
        for (let page = 0; page < maxPages; page++) {
          ctx.signal.throwIfAborted();
          const answer = await gmail.changes.inboxSince(cursor.historyId, pageToken, pageSize);
          arrivals.push(...answer.arrivals);
          pageToken = answer.nextPageToken;
          // Complete: resume from the mailbox's id. Cut short: from the last change read.
          next = pageToken ? (answer.lastRecordId ?? next) : answer.historyId;
          if (!pageToken) break;
        }
      } catch (err) {
        if (err instanceof NotFoundError) return resync(ctx, `id ${cursor.historyId} expired`);
        throw err;
      }
      if (next !== cursor.historyId) await ctx.cursor.set<RepliesCursor>({ historyId: next });
      return { signals: signalsFor(arrivals) };
    },
  };
}

/** One signal per thread, in order of first arrival. */
function signalsFor(arrivals: readonly { id: string; threadId: string }[]): TriggerSignal[] {
  const byThread = new Map<string, string[]>();
  for (const { id, threadId } of arrivals) {
    const ids = byThread.get(threadId) ?? [];
    if (!ids.includes(id)) ids.push(id);
    byThread.set(threadId, ids);
  }
  return [...byThread].map(([threadId, messageIds]) => ({
    key: gmailThreadKey(threadId),
    payload: { threadId, messageIds } satisfies GmailThreadSignal,
  }));
}

/**
 * The options for `ctx.waitFor` that wait for an answer in a thread: woken by gmailReplies' signal
 * (which alone never ends the wait), finished by `repliesIn` finding a reply — also at the timeout,
 * so a lost signal only delays. Resolves to the replies (oldest first), or null after `timeout`.
 * The replies come back from the journal as JSON: `at` is then an ISO string.
 */
export function gmailReplyWait(
  gmail: GmailClient,
  options: {
    threadId: string;
    after: Date | number;
    from?: string;
    timeout?: WaitOptions<unknown>['timeout'];
  },
): WaitOptions<GmailReply[]> {
  return {
    key: gmailThreadKey(options.threadId),
    timeout: options.timeout ?? '48h',
    accept: () => undefined,
    check: async () => {
      const replies = await gmail.repliesIn(options.threadId, {
        after: options.after,
        ...(options.from !== undefined ? { from: options.from } : {}),
      });
      return replies.length ? replies : undefined;
    },
  };
}
