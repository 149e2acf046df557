// Emulates the Gmail v1 API (drafts, messages, threads) for the real @googleapis/gmail SDK.
import { delay, http } from 'msw';
import type { GoogleAuthEmulator } from '../google/auth.ts';
import { Emulator, type EmulatorOptions } from '../kit/index.ts';
import * as endpoints from './endpoints.ts';
import { gmailError, insufficientScopes, unauthenticated, userRateLimitExceeded } from './errors.ts';
import { type InboundOptions, type InboundReply, type PersonView, personView } from './person.ts';
import { type GmailMethod, METADATA_SCOPE, METHOD_SCOPES, METHOD_UNITS, UnitWindow } from './quota.ts';
import { MailStore } from './store.ts';

export const GMAIL_API = 'https://gmail.googleapis.com/gmail/v1/users/:userId';

export interface GmailEmulatorOptions extends EmulatorOptions {
  auth: GoogleAuthEmulator;
  /** Gmail's per-user quota (default 15,000 units per minute). */
  quotaUnitsPerMinute?: number;
  /** Largest raw message accepted, in bytes (default 35 MB, Gmail's documented message size limit). */
  maxRawBytes?: number;
  /** How long a fresh message stays invisible to searches (`q`), in ms (default 0). */
  searchLagMs?: number;
}

/** Which requests get injected faults after they were processed (see `faultsAfterHandling`). */
export interface FaultTarget {
  method?: string;
  path?: RegExp;
  /** Hold a matching request's answer this long after it was carried out (a process can die meanwhile). */
  holdMs?: number;
}

/**
 * A stateful Gmail: one mailbox per user the access token speaks for (`me`, or the user's own
 * address; another user's address is a 403 "Delegation denied", as Gmail answers; a service
 * account not impersonating anyone gets Gmail's 400 "Precondition check failed.").
 *
 * - Quota: charged per method in Gmail's units (METHOD_UNITS) over a sliding minute per user;
 *   over it, Gmail's 429 naming the retry moment in the message (no Retry-After header).
 * - Scopes: enforced per method when the token recorded scopes (an empty list allows all).
 * - Messages: a draft update and a send each create a new message id (the draft id stays); a
 *   missing Message-ID is added on create, missing From/Date on send, and a send replaces the
 *   Message-ID with one of Gmail's (a draft keeps the one its client wrote).
 * - Search lags: with `searchLagMs`, fresh messages are missing from `q` results for that long. Threading follows Gmail's
 *   rule: threadId + In-Reply-To/References naming a message of the thread + same subject.
 * - Sending: drafts.send and messages.send; messages.send with a threadId joins that thread only
 *   by the threading rule above (else a new thread, as Gmail does).
 * - History: users.history.list reports messages added and deleted since a startHistoryId; an id
 *   older than what the mailbox remembers (see `expireHistory`) or not yet issued is a 404.
 * - Search (`q`) supports SUPPORTED_OPERATORS and refuses anything else with a 400, so a client
 *   never relies on a search the emulator only pretends to run.
 * - A raw message over `maxRawBytes` (35 MB) is a 400 "Request payload size exceeds the limit".
 */
export class GmailEmulator extends Emulator {
  readonly quota: UnitWindow;
  readonly #auth: GoogleAuthEmulator;
  readonly #store: MailStore;
  /** Largest raw message accepted, in bytes; over it Gmail's 400 "Request payload size exceeds the limit". */
  maxRawBytes: number;
  /**
   * How long a new or changed message stays invisible to `q` searches (messages.list, drafts.list),
   * in ms of the emulator clock. Gmail's search index lags fresh writes (EmailEngine reports the
   * rfc822msgid index lagging a fresh upload); gets and listings without `q` see everything at once.
   */
  searchLagMs: number;
  readonly #person: PersonView;
  #afterHandling: FaultTarget | undefined;

  constructor(options: GmailEmulatorOptions) {
    super(options);
    this.#auth = options.auth;
    this.#store = new MailStore(this.clock);
    this.quota = new UnitWindow(this.clock, options.quotaUnitsPerMinute ?? 15_000, 60_000);
    this.maxRawBytes = options.maxRawBytes ?? 35 * 1024 * 1024;
    this.searchLagMs = options.searchLagMs ?? 0;
    this.#person = personView(this.#store, this.clock);
  }

  handlers() {
    const route =
      (method: GmailMethod, run: (ctx: endpoints.CallContext, id: string) => Promise<Response> | Response) =>
      ({
        request,
        params,
      }: {
        request: Request;
        params: Record<string, string | readonly string[] | undefined>;
      }) =>
        this.serve(request, () => {
          const ctx = this.#authorize(request, String(params.userId ?? ''), method);
          return run(ctx, decodeURIComponent(String(params.id ?? '')));
        });
    return [
      http.get(`${GMAIL_API}/profile`, route('getProfile', endpoints.getProfile)),
      http.get(`${GMAIL_API}/history`, route('history.list', endpoints.listHistory)),
      http.post(`${GMAIL_API}/messages/send`, route('messages.send', endpoints.sendMessage)),
      http.post(`${GMAIL_API}/drafts/send`, route('drafts.send', endpoints.sendDraft)),
      http.post(`${GMAIL_API}/drafts`, route('drafts.create', endpoints.createDraft)),
      http.get(`${GMAIL_API}/drafts`, route('drafts.list', endpoints.listDrafts)),
      http.get(`${GMAIL_API}/drafts/:id`, route('drafts.get', endpoints.getDraft)),
      http.put(`${GMAIL_API}/drafts/:id`, route('drafts.update', endpoints.updateDraft)),
      http.delete(`${GMAIL_API}/drafts/:id`, route('drafts.delete', endpoints.deleteDraft)),
      http.get(`${GMAIL_API}/messages`, route('messages.list', endpoints.listMessages)),
      http.get(`${GMAIL_API}/messages/:id`, route('messages.get', endpoints.getMessage)),
      http.get(`${GMAIL_API}/threads/:id`, route('threads.get', endpoints.getThread)),
    ];
  }

  /**
   * Makes injected faults (`faults.failNext`, `faults.dropNext`) land AFTER the emulator processed a
   * matching request: the change is stored and only the answer is lost, which is what a timeout or
   * a 502 after a successful POST looks like to a client. Other requests pass untouched (and consume
   * no faults) while a target is set; `undefined` restores the default (faults before handling).
   */
  faultsAfterHandling(target: FaultTarget | undefined): void {
    this.#afterHandling = target;
  }

  /** The mailbox the person-style helpers use when none is named (otherwise: the first caller's). */
  setMailbox(email: string): void {
    this.#person.setDefault(email);
  }

  /** Drafts in a mailbox, parsed, newest first. */
  drafts(mailbox?: string) {
    return this.#person.drafts(mailbox);
  }

  /** Messages with the SENT label, newest first. */
  sent(mailbox?: string) {
    return this.#person.withLabel('SENT', mailbox);
  }

  /** Messages with the INBOX label, newest first. */
  inbox(mailbox?: string) {
    return this.#person.withLabel('INBOX', mailbox);
  }

  /** Every message of a thread, oldest first. */
  thread(threadId: string, mailbox?: string) {
    return this.#person.thread(threadId, mailbox);
  }

  /**
   * Someone answers: adds an inbound message (INBOX, UNREAD) to the thread, replying to its latest
   * sent or received message with proper In-Reply-To/References. `target` is a thread id or the
   * Message-ID of a message in it. Throws when the thread holds nothing that was sent or received.
   */
  receiveReply(target: string, reply: InboundReply) {
    return this.#person.receiveReply(target, reply);
  }

  /**
   * Inbound mail (INBOX, UNREAD): in `threadId` when given (answering its latest message), in the
   * thread of `inReplyTo` when Gmail's rule allows, else a new thread. `headers` adds e.g.
   * `Auto-Submitted: auto-replied` for an out-of-office answer.
   */
  receive(mail: InboundOptions) {
    return this.#person.receive(mail);
  }

  /**
   * Gmail forgets the mailbox's history (it keeps it about a week, sometimes only hours): every
   * startHistoryId issued before now gets users.history.list's 404.
   */
  expireHistory(mailbox?: string): void {
    this.#store.mailbox(mailbox ?? this.#person.defaultMailbox()).expireHistory();
  }

  /** Empties every mailbox and the quota window. */
  reset(): void {
    this.#store.reset();
    this.quota.reset();
  }

  protected errorResponse(status: number, message: string, headers?: Record<string, string>): Response {
    return gmailError(status, message, {}, headers);
  }

  protected override async serve(
    request: Request,
    handle: () => Promise<Response> | Response,
  ): Promise<Response> {
    const target = this.#afterHandling;
    if (!target) return super.serve(request, handle);
    let response: Response;
    try {
      response = await handle();
    } catch (err) {
      if (!(err instanceof Response)) throw err;
      response = err;
    }
    const url = new URL(request.url);
    const path = url.pathname + url.search;
    const matches =
      (!target.method || target.method.toUpperCase() === request.method.toUpperCase()) &&
      (!target.path || target.path.test(path));
    if (matches) {
      if (target.holdMs) await delay(target.holdMs);
      return super.serve(request, () => response);
    }
    if (this.faults.latencyMs > 0) await delay(this.faults.latencyMs);
    const bytes = (await response.clone().arrayBuffer()).byteLength;
    this.requests.add({ method: request.method, path, status: response.status, bytes, at: this.clock.now() });
    return response;
  }

  /** Token → principal → mailbox, then scope and quota; throws Gmail's answer when any check fails. */
  #authorize(request: Request, userId: string, method: GmailMethod): endpoints.CallContext {
    const principal = this.#auth.verify(request);
    if (!principal) throw unauthenticated();
    const email = principal.email.toLowerCase();
    const requested = decodeURIComponent(userId).toLowerCase();
    if (requested !== 'me' && requested !== email) {
      throw gmailError(403, `Delegation denied for ${principal.email}`, { reason: 'forbidden' });
    }
    if (!principal.impersonating && email.endsWith('.gserviceaccount.com')) {
      // A service account has no mailbox of its own: Gmail needs domain-wide delegation (`sub`).
      throw gmailError(400, 'Precondition check failed.', {
        reason: 'failedPrecondition',
        status: 'FAILED_PRECONDITION',
      });
    }
    // An empty scope list means "not recorded" (a refresh token registered without scopes): allow.
    const granted = principal.scopes;
    const allowed = METHOD_SCOPES[method].filter((s) => granted.includes(s));
    if (granted.length > 0 && allowed.length === 0) throw insufficientScopes();
    const units = METHOD_UNITS[method];
    if (!this.quota.take(email, units)) {
      throw userRateLimitExceeded(new Date(this.clock.now() + this.quota.retryAfterMs(email, units)));
    }
    this.#person.noticeCaller(email);
    const url = new URL(request.url);
    return {
      store: this.#store,
      mailbox: this.#store.mailbox(email),
      request,
      url,
      metadataOnly: granted.length > 0 && allowed.length === 1 && allowed[0] === METADATA_SCOPE,
      maxRawBytes: this.maxRawBytes,
      indexedUntil: this.clock.now() - this.searchLagMs,
    };
  }
}
