// The sending manners every send goes through, in every recipe: the mailbox's daily cap, the send
// window and the contact cooldown for unattended emails, and the do-not-contact check. Called inside the send step, right
// before the Gmail call, so a replay runs them again and the count is keyed by the step's key.
import type { AirtableClient, TableRef } from '../../../connectors/airtable/index.ts';
import { formula } from '../../../connectors/airtable/index.ts';
import type { Clock } from '../../../src/clock.ts';
import { NonRetriableError, SuspendUntilError } from '../../../src/engine/index.ts';
import type { SendingSettings } from './config.ts';
import { findDoNotContact, normalAddress, addDoNotContact as saveDoNotContact } from './do-not-contact.ts';
import { type LastContact, SendLedger } from './ledger.ts';
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
  readonly #ledger: SendLedger;
  /** Sends between their check and their record: counted, so concurrent runs cannot overshoot the cap. */
  readonly #pending = new Set<string>();
  /** Sends in this process from their first check to their record or their pause: the line waits for them. */
  readonly #inLine = new Set<string>();
  /** Held sends that did not come within the grace (their runs stopped or sleep on): nobody waits for them again. */
  readonly #absent = new Set<string>();
  /** Sends waiting for their turn, woken when the line moves. */
  #waiting: (() => void)[] = [];

  constructor(options: SendRulesOptions) {
    this.#options = options;
    this.settings = options.settings;
    this.#ledger = new SendLedger(options.dataDir);
  }

  /** Emails counted on the local day of `now`. */
  sentToday(now = this.#options.clock.now()): number {
    return this.#ledger.count(localDay(now, this.settings.zone));
  }

  /** Which recipe last emailed `address`, and when (for a review card: "last emailed by … on …"). */
  lastContact(address: string): LastContact | undefined {
    return this.#ledger.lastContact(normalAddress(address));
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
    if (this.#ledger.has(request.key)) return;
    this.#enter(request.key);
    try {
      for (;;) {
        const now = request.now ?? this.#options.clock.now();
        this.#checkTime(request, now);
        const ahead = this.#ahead(request.key, now);
        if (ahead.length === 0) break;
        // Emails the cap held back go first, in the order they were held (that is, due).
        if (!(await this.#lineMoved()))
          for (const key of ahead) if (!this.#inLine.has(key)) this.#absent.add(key);
      }
      await this.#checkDoNotContact(request.to);
    } catch (err) {
      // Never sent to that address: it does not hold a place in the cap's line either.
      if (err instanceof DoNotContactError) this.withdrawn(request.key);
      this.#leave(request.key);
      throw err;
    }
    this.#pending.add(request.key);
  }

  /**
   * The window, the cooldown and the cap, at `now`. A send the cap holds takes its place in line
   * (kept in the data folder) and wakes just after midnight in that order.
   * @throws SendingPausedError, ContactCooldownError
   */
  #checkTime(request: SendRequest, now: number): void {
    try {
      this.#checkTimeRules(request, now);
    } catch (err) {
      if (!(err instanceof SendingPausedError)) throw err;
      if (err.why !== 'daily-limit') {
        // Held by the cap, now by the window: its place in line stays, its wake moves.
        this.#ledger.postpone(request.key, err.until);
        throw err;
      }
      this.#ledger.hold(request.key, now, err.until);
      const place = this.#ledger.held(now).findIndex(([key]) => key === request.key);
      // A millisecond per place: the engine wakes the held sends one after the other, first held first.
      const until = err.until + Math.max(0, place);
      this.#ledger.postpone(request.key, until);
      this.#notify();
      throw new SendingPausedError(err.message, until, 'daily-limit');
    }
  }

  /** Held sends that came before `key` (or all, for a send never held) and are awake now. */
  #ahead(key: string, now: number): string[] {
    const line = this.#ledger.held(now);
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

  #checkTimeRules(request: SendRequest, now: number): void {
    const { zone, dailyLimit, window } = this.settings;
    if (request.unattended) {
      const opens = nextOpening(window, now, zone);
      if (opens !== undefined) {
        throw new SendingPausedError(
          `Outside SEND_WINDOW (${window.kind === 'weekly' ? window.text : ''}, ${zone}): waits until ${iso(opens)}`,
          opens,
          'send-window',
        );
      }
      const cooldown = this.settings.contactCooldownMs ?? 0;
      const last = this.lastContact(request.to);
      if (cooldown > 0 && last && last.recipe !== request.recipe && now < last.at + cooldown)
        throw new ContactCooldownError(request.to, last, last.at + cooldown);
    }
    const day = localDay(now, zone);
    const others = [...this.#pending].filter((k) => k !== request.key).length;
    if (this.#ledger.count(day) + others >= dailyLimit) {
      const midnight = nextLocalMidnight(now, zone);
      throw new SendingPausedError(
        `GMAIL_DAILY_LIMIT reached: ${dailyLimit} emails sent on ${day} (${zone}); waits until ${iso(midnight)}`,
        midnight,
        'daily-limit',
      );
    }
  }

  /** Records the email sent for `request` (once per key, however often it is called). */
  sent(request: SendRequest, now = this.#options.clock.now()): void {
    this.#ledger.add(localDay(now, this.settings.zone), request.key, {
      address: normalAddress(request.to),
      recipe: request.recipe,
      at: now,
    });
    this.#pending.delete(request.key);
    this.#leave(request.key);
  }

  /** The send under `key` did not happen (its Gmail call failed): it no longer holds a place. */
  released(key: string): void {
    this.#pending.delete(key);
    this.#leave(key);
  }

  /**
   * The email under `key` will not be sent after all (its run stopped: a reply, an unsubscribe): it
   * leaves the cap's line, so the emails behind it do not wait for it.
   */
  withdrawn(key: string): void {
    if (this.#ledger.forget(key)) this.#notify();
  }

  /** `beforeSend`, then `send()`, then `sent`: the whole guarded send, for a step's body. */
  async send<T>(request: SendRequest, send: () => Promise<T>): Promise<T> {
    await this.beforeSend(request);
    try {
      const result = await send();
      this.sent(request);
      return result;
    } finally {
      this.released(request.key);
    }
  }

  /** Puts `address` on the local do-not-contact list (an unsubscribe reply). Needs the data folder. */
  addDoNotContact(address: string, why: string): void {
    const { dataDir, clock } = this.#options;
    if (!dataDir) throw new Error('addDoNotContact needs the data folder (BATON_DATA_DIR)');
    saveDoNotContact(dataDir, address, why, new Date(clock.now()));
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
    const { dataDir, unsubscribedTables = [], airtable } = this.#options;
    if (dataDir) {
      const entry = findDoNotContact(dataDir, to);
      if (entry) throw new DoNotContactError(to, 'do-not-contact.json', entry.why);
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
