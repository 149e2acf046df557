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
   * Scale-out: the day's count, places held and last contacts shared by every process (src/scale
   * RedisSendBook). Default: sends.json in the data folder, for this process alone.
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
   * Every check, cheapest first. Returns when the email may go now.
   * @throws SendingPausedError (a SuspendUntilError) for the window's next opening or the next local midnight
   * @throws ContactCooldownError (a SendingPausedError) when another recipe emailed the address lately (unattended only)
   * @throws DoNotContactError when the address is on a do-not-contact list
   */
  async beforeSend(request: SendRequest): Promise<void> {
    // Already sent and counted (a replay after a crash): the Gmail client finds the earlier send.
    if (await this.#book.has(request.key)) return;
    const { zone, dailyLimit, window } = this.settings;
    const now = request.now ?? this.#options.clock.now();
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
      const last = await this.lastContact(request.to);
      if (cooldown > 0 && last && last.recipe !== request.recipe && now < last.at + cooldown)
        throw new ContactCooldownError(request.to, last, last.at + cooldown);
    }
    const day = localDay(now, zone);
    // Checked and held in one step, so concurrent sends (in any process of the book) cannot overshoot.
    const place = await this.#book.reserve(day, request.key, dailyLimit);
    if (place === 'sent') return;
    if (place === 'full') {
      const midnight = nextLocalMidnight(now, zone);
      throw new SendingPausedError(
        `GMAIL_DAILY_LIMIT reached: ${dailyLimit} emails sent on ${day} (${zone}); waits until ${iso(midnight)}`,
        midnight,
        'daily-limit',
      );
    }
    this.#held.set(request.key, day);
    try {
      await this.#checkDoNotContact(request.to);
    } catch (err) {
      await this.released(request.key);
      throw err;
    }
  }

  /** Records the email sent for `request` (once per key, however often it is called). */
  async sent(request: SendRequest, now = this.#options.clock.now()): Promise<void> {
    await this.#book.record(localDay(now, this.settings.zone), request.key, {
      address: normalAddress(request.to),
      recipe: request.recipe,
      at: now,
    });
    this.#held.delete(request.key);
  }

  /** The send under `key` did not happen (its Gmail call failed): it no longer holds a place. */
  async released(key: string): Promise<void> {
    const day = this.#held.get(key);
    if (day === undefined) return;
    this.#held.delete(key);
    await this.#book.release(day, key);
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
