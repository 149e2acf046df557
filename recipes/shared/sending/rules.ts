// The sending manners every send goes through, in every recipe: the mailbox's daily cap, the send
// window and the contact cooldown for unattended emails, and the do-not-contact check. Called inside the send step, right
// before the Gmail call, so a replay runs them again and the count is keyed by the step's key.
import type { AirtableClient, TableRef } from '../../../connectors/airtable/index.ts';
import { formula } from '../../../connectors/airtable/index.ts';
import type { Clock } from '../../../src/clock.ts';
import { NonRetriableError, SuspendUntilError } from '../../../src/engine/index.ts';
import { type DoNotContactList, FileDoNotContact, LocalSendBook, type SendBook } from './book.ts';
import type { SendingSettings } from './config.ts';
import { normalAddress } from './do-not-contact.ts';
import type { LastContact } from './ledger.ts';
import { nextOpening } from './window.ts';
import { localDay, nextLocalMidnight } from './zone.ts';

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** A table whose `Unsubscribed` checkbox marks people who asked not to be written to. */
export interface UnsubscribedTable extends TableRef {
  /** The field holding the address (default `Email`). */
  emailField?: string;
}

/** The checkbox every checked table has (created by `baton setup`). */
export const UNSUBSCRIBED_FIELD = 'Unsubscribed';

export interface SendRulesOptions {
  settings: SendingSettings;
  clock: Clock;
  /** The data folder: the day's count and the local do-not-contact list live there. */
  dataDir?: string;
  /** Made on first use: a process without Airtable tables never builds a client. */
  airtable?: () => AirtableClient;
  unsubscribedTables?: readonly UnsubscribedTable[];
  /**
   * How long a send waits for an email the cap held back before it to come (its run woke but has not
   * reached its send yet) before going past it (default 10 s; one whose run stopped never comes).
   */
  lineGraceMs?: number;
  /**
   * Scale-out: the day's count, places held, the cap's line and last contacts shared by every
   * process (src/scale RedisSendBook). Default: sends.json in the data folder, for this process alone.
   */
  book?: SendBook;
  /**
   * Scale-out: a do-not-contact list every process reads and extends (src/scale
   * RedisDoNotContact), checked besides the data folder's do-not-contact.json, which still counts.
   */
  doNotContact?: DoNotContactList;
}

export interface SendRequest {
  to: string;
  /** The recipe sending it (`ctx.recipe`): CONTACT_COOLDOWN keeps other recipes' unattended mail away. */
  recipe: string;
  /** The send step's idempotency key: what is counted, once. */
  key: string;
  /** No person approved this email: it waits for SEND_WINDOW. */
  unattended: boolean;
  /** Epoch ms (the clock's by default). */
  now?: number;
}

/** The send waits: the day's cap is reached, or (unattended) the window is closed. */
export class SendingPausedError extends SuspendUntilError {
  override readonly name: string = 'SendingPausedError';
  readonly why: 'daily-limit' | 'send-window' | 'contact-cooldown';
  constructor(message: string, until: number, why: 'daily-limit' | 'send-window' | 'contact-cooldown') {
    super(message, until);
    this.why = why;
  }
}

/**
 * Another recipe emailed the address within CONTACT_COOLDOWN: an unattended email waits until the
 * cooldown ends (or the recipe skips it: a newsletter issue is not worth a late delivery).
 */
export class ContactCooldownError extends SendingPausedError {
  override readonly name = 'ContactCooldownError';
  readonly last: LastContact;
  constructor(address: string, last: LastContact, until: number) {
    super(
      `${address} was emailed by ${last.recipe} at ${iso(last.at)}; CONTACT_COOLDOWN holds other recipes' unattended mail until ${iso(until)}`,
      until,
      'contact-cooldown',
    );
    this.last = last;
  }
}

/** The address asked not to be contacted: the email is never sent. */
export class DoNotContactError extends NonRetriableError {
  override readonly name = 'DoNotContactError';
  readonly address: string;
  /** Where it was found: `do-not-contact.json`, or the Airtable table's name. */
  readonly source: string;
  constructor(address: string, source: string, why?: string) {
    super(`${address} asked not to be contacted (${source}${why ? `: ${why}` : ''})`);
    this.address = address;
    this.source = source;
  }
}

export class SendRules {
  readonly settings: SendingSettings;
  readonly #options: SendRulesOptions;
  readonly #book: SendBook;
  /** The lists checked before a send: the data folder's file and, in scale-out, the shared one. */
  readonly #doNotContact: DoNotContactList[];
  /** The day each place this process holds was taken on, to free it. */
  readonly #held = new Map<string, string>();
  /** Sends in this process from their first check to their record or their pause: the line waits for them. */
  readonly #inLine = new Set<string>();
  /** Held sends that did not come within the grace (their runs stopped or sleep on): nobody waits for them again. */
  readonly #absent = new Set<string>();
  /** Sends waiting for their turn, woken when the line moves. */
  #waiting: (() => void)[] = [];

  constructor(options: SendRulesOptions) {
    this.#options = options;
    this.settings = options.settings;
    this.#book = options.book ?? new LocalSendBook(options.dataDir);
    this.#doNotContact = [
      ...(options.dataDir ? [new FileDoNotContact(options.dataDir)] : []),
      ...(options.doNotContact ? [options.doNotContact] : []),
    ];
  }

  /** Emails counted on the local day of `now`. */
  sentToday(now = this.#options.clock.now()): Promise<number> {
    return this.#book.count(localDay(now, this.settings.zone));
  }

  /** Which recipe last emailed `address`, and when (for a review card: "last emailed by … on …"). */
  lastContact(address: string): Promise<LastContact | undefined> {
    return this.#book.lastContact(normalAddress(address));
  }

  /**
   * Every check, cheapest first. Returns when the email may go now: emails the cap held back on an
   * earlier day go first, in the order they were held (a send waits for those whose runs are awake).
   * Call `sent` or `released` after it.
   * @throws SendingPausedError (a SuspendUntilError) for the window's next opening or the next local midnight
   * @throws ContactCooldownError (a SendingPausedError) when another recipe emailed the address lately (unattended only)
   * @throws DoNotContactError when the address is on a do-not-contact list
   */
  async beforeSend(request: SendRequest): Promise<void> {
    // Already sent and counted (a replay after a crash): the Gmail client finds the earlier send.
    if (await this.#book.has(request.key)) return;
    this.#enter(request.key);
    const { zone, dailyLimit } = this.settings;
    try {
      let now: number;
      for (;;) {
        now = request.now ?? this.#options.clock.now();
        await this.#checkTime(request, now);
        // A day already full: held at once, without waiting for the line.
        if ((await this.#book.count(localDay(now, zone))) >= dailyLimit) await this.#holdForCap(request, now);
        const ahead = await this.#ahead(request.key, now);
        if (ahead.length === 0) break;
        // Emails the cap held back go first, in the order they were held (that is, due).
        if (!(await this.#lineMoved()))
          for (const key of ahead) if (!this.#inLine.has(key)) this.#absent.add(key);
      }
      const day = localDay(now, zone);
      // Checked and held in one step, so concurrent sends (in any process of the book) cannot overshoot.
      const place = await this.#book.reserve(day, request.key, dailyLimit);
      if (place === 'sent') return this.#leave(request.key);
      if (place === 'full') await this.#holdForCap(request, now);
      this.#held.set(request.key, day);
      await this.#checkDoNotContact(request.to);
    } catch (err) {
      // Never sent to that address: it does not hold a place in the cap's line either.
      if (err instanceof DoNotContactError) await this.withdrawn(request.key);
      await this.released(request.key);
      throw err;
    }
  }

  /**
   * The window and the cooldown at `now` (unattended sends only). A send the cap held that now meets a
   * closed window keeps its place in the cap's line; its wake moves.
   * @throws SendingPausedError, ContactCooldownError
   */
  async #checkTime(request: SendRequest, now: number): Promise<void> {
    if (!request.unattended) return;
    const { zone, window } = this.settings;
    const opens = nextOpening(window, now, zone);
    let paused: SendingPausedError | undefined;
    if (opens !== undefined) {
      paused = new SendingPausedError(
        `Outside SEND_WINDOW (${window.kind === 'weekly' ? window.text : ''}, ${zone}): waits until ${iso(opens)}`,
        opens,
        'send-window',
      );
    } else {
      const cooldown = this.settings.contactCooldownMs ?? 0;
      const last = await this.lastContact(request.to);
      if (cooldown > 0 && last && last.recipe !== request.recipe && now < last.at + cooldown)
        paused = new ContactCooldownError(request.to, last, last.at + cooldown);
    }
    if (!paused) return;
    await this.#book.postponeInLine(request.key, paused.until);
    throw paused;
  }

  /**
   * The day's cap is reached: the send takes its place in the cap's line (kept in the book) and wakes
   * just after the next local midnight, a millisecond per place, so the engine wakes the held sends
   * one after the other, first held first.
   * @throws SendingPausedError always
   */
  async #holdForCap(request: SendRequest, now: number): Promise<never> {
    const { zone, dailyLimit } = this.settings;
    const midnight = nextLocalMidnight(now, zone);
    await this.#book.holdInLine(request.key, now, midnight);
    const place = (await this.#book.capLine(now)).findIndex(([key]) => key === request.key);
    const until = midnight + Math.max(0, place);
    await this.#book.postponeInLine(request.key, until);
    this.#notify();
    throw new SendingPausedError(
      `GMAIL_DAILY_LIMIT reached: ${dailyLimit} emails sent on ${localDay(now, zone)} (${zone}); waits until ${iso(until)}`,
      until,
      'daily-limit',
    );
  }

  /** Held sends that came before `key` (or all, for a send never held) and are awake now. */
  async #ahead(key: string, now: number): Promise<string[]> {
    const line = await this.#book.capLine(now);
    const mine = line.find(([k]) => k === key)?.[1].since ?? Number.POSITIVE_INFINITY;
    return line
      .filter(([k, held]) => k !== key && held.since < mine && held.until <= now && !this.#absent.has(k))
      .map(([k]) => k);
  }

  /** True when the line moved (a send came, went or was held), false after `lineGraceMs` without a move. */
  #lineMoved(): Promise<boolean> {
    return new Promise((resolve) => {
      const moved = () => {
        clearTimeout(timer);
        resolve(true);
      };
      // Real time, not the clock: how long a woken run takes to reach its send, not a business delay.
      const timer = setTimeout(() => {
        this.#waiting = this.#waiting.filter((w) => w !== moved);
        resolve(false);
      }, this.#options.lineGraceMs ?? 10_000);
      this.#waiting.push(moved);
    });
  }

  #enter(key: string): void {
    this.#inLine.add(key);
    this.#absent.delete(key);
    this.#notify();
  }

  #leave(key: string): void {
    if (this.#inLine.delete(key)) this.#notify();
  }

  #notify(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const wake of waiting) wake();
  }

  /** Records the email sent for `request` (once per key, however often it is called). */
  async sent(request: SendRequest, now = this.#options.clock.now()): Promise<void> {
    await this.#book.record(localDay(now, this.settings.zone), request.key, {
      address: normalAddress(request.to),
      recipe: request.recipe,
      at: now,
    });
    this.#held.delete(request.key);
    this.#leave(request.key);
  }

  /** The send under `key` did not happen (its Gmail call failed): it no longer holds a place. */
  async released(key: string): Promise<void> {
    this.#leave(key);
    const day = this.#held.get(key);
    if (day === undefined) return;
    this.#held.delete(key);
    await this.#book.release(day, key);
  }

  /**
   * The email under `key` will not be sent after all (its run stopped: a reply, an unsubscribe): it
   * leaves the cap's line, so the emails behind it do not wait for it.
   */
  async withdrawn(key: string): Promise<void> {
    if (await this.#book.leaveLine(key)) this.#notify();
  }

  /** `beforeSend`, then `send()`, then `sent`: the whole guarded send, for a step's body. */
  async send<T>(request: SendRequest, send: () => Promise<T>): Promise<T> {
    await this.beforeSend(request);
    try {
      const result = await send();
      await this.sent(request);
      return result;
    } finally {
      await this.released(request.key);
    }
  }

  /**
   * Puts `address` on the do-not-contact list (an unsubscribe reply): the shared one in scale-out,
   * else the data folder's. Needs one of them.
   */
  async addDoNotContact(address: string, why: string): Promise<void> {
    const { dataDir, clock, doNotContact } = this.#options;
    const list = doNotContact ?? (dataDir ? new FileDoNotContact(dataDir) : undefined);
    if (!list) throw new Error('addDoNotContact needs the data folder (BATON_DATA_DIR)');
    await list.add(address, why, new Date(clock.now()));
  }

  /** A table without the checkbox (set up before it existed) stops the send with what to do. */
  async #missingFieldError(
    airtable: AirtableClient,
    table: UnsubscribedTable,
    emailField: string,
  ): Promise<NonRetriableError | undefined> {
    const missing = await airtable
      .missingFields(table, [UNSUBSCRIBED_FIELD, emailField])
      .catch(() => [] as string[]);
    if (missing.length === 0) return undefined;
    return new NonRetriableError(
      `Airtable table '${table.table}' has no ${missing.map((m) => `'${m}'`).join(' or ')} field, so Baton cannot check who asked not to be contacted and sends nothing`,
      {
        hint: `run \`baton setup leads\` (it adds the ${UNSUBSCRIBED_FIELD} checkbox), then \`baton retry\` the run`,
      },
    );
  }

  async #checkDoNotContact(to: string): Promise<void> {
    const { unsubscribedTables = [], airtable } = this.#options;
    for (const list of this.#doNotContact) {
      const entry = await list.find(to);
      if (entry)
        throw new DoNotContactError(
          to,
          list instanceof FileDoNotContact ? 'do-not-contact.json' : 'the shared do-not-contact list',
          entry.why,
        );
    }
    if (!airtable) return;
    for (const table of unsubscribedTables) {
      const emailField = table.emailField ?? 'Email';
      // One small request per send (never per poll): the monthly Airtable budget barely notices.
      const page = await airtable()
        .listPage(
          { base: table.base, table: table.table },
          {
            filterByFormula: formula.and(
              formula.field(UNSUBSCRIBED_FIELD),
              `LOWER(TRIM(${formula.field(emailField)})) = ${formula.text(normalAddress(to))}`,
            ),
            fields: [emailField],
            pageSize: 1,
            maxRecords: 1,
          },
        )
        .catch(async (err: unknown) => {
          throw (await this.#missingFieldError(airtable(), table, emailField)) ?? err;
        });
      if (page.records.length > 0)
        throw new DoNotContactError(to, `${UNSUBSCRIBED_FIELD} in Airtable table '${table.table}'`);
    }
  }
}
