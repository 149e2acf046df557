// The `newRows` trigger: rows with an empty Status are work; a claim writes Status and a token before any run.
import { type Clock, systemClock } from '../../src/clock.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import type { PollContext, PollResult, Trigger, TriggerItem } from '../../src/triggers/trigger.ts';
import { ServiceError } from '../core/index.ts';
import { cellRange } from './a1.ts';
import { writeClaimed } from './actions.ts';
import { type ClaimTarget, claimRows } from './claim.ts';
import type { SheetsClient } from './client.ts';
import { type SheetsInstanceHome, sheetsInstanceHome } from './instances.ts';
import { ensureColumns, findClaimed, findUnclaimed, isRangeRejected, locateUnclaimed } from './locate.ts';
import { Header, runKey, type SheetLocation, type SheetRow, type SheetRowRef } from './row.ts';
import {
  CursorState,
  extendsHeader,
  ItemBatch,
  type RowSighting,
  readNewRows,
  reconcile,
  type ScanConfig,
  sameHeader,
} from './scan.ts';
import { untagRows } from './tagged.ts';

export interface NewRowsOptions {
  spreadsheetId: string;
  tab: string;
  /** Column whose empty cell marks new work (default `Status`); created at the first claim if missing. */
  statusColumn?: string;
  /** Column identifying a row (e.g. `Email`); without it rows are identified by their content. */
  keyColumn?: string;
  /** Column where a claim writes its run key `<rowKey>#<token>` (default `Baton Run`). */
  runColumn?: string;
  /** Rows per read when looking past the last known row (default 200). */
  windowRows?: number;
  /** How often to re-check the whole tab for rows inserted above or re-queued (default 10 min). */
  reconcileEveryMs?: number;
  /**
   * Statuses meaning "a run is working on this row" (e.g. `['Queued', 'Drafting']`): at reconcile, such
   * rows with a Run cell are handed over as already claimed, so a process that lost its data folder
   * resumes them under the same run key instead of starting them again.
   */
  inFlightStatuses?: string[];
  intervalMs?: number;
  /**
   * Pause between writing a claim and reading it back (default 1000 ms), so that a competing
   * process's claim on the same row lands first and exactly one of them sees its own token.
   */
  claimSettleMs?: number;
  /**
   * How long after a poll read a new row a claim may trust that reading instead of reading the row
   * again before writing (default 2000 ms; 0 always reads first). The poll's read is as good as the
   * read a claim would make; rows sorted in between are caught before any cell is written (see
   * `claimAll`).
   */
  claimTrustsPollMs?: number;
  clock?: Clock;
  log?: Logger;
}

/**
 * Watches a tab for rows whose Status cell is empty. A poll reads only the rows after the last one
 * it knew (one request when idle); a periodic reconcile reads the key/Status/Run columns to find rows
 * inserted above, rows re-sorted, and Status cells cleared by the user. Items are keyed by `rowKey`;
 * a claim writes Status `Queued` and `<rowKey>#<token>` into the Run column and the claimed item's key
 * is that run key, so each time a user clears a Status the row runs again under a new key.
 *
 * Duplicate keys (the same Email on two rows, or two identical rows without a key column) are not
 * merged: the Status cell decides what is work, so each such row is claimed and run on its own (the
 * second item of a poll is keyed `<rowKey>~2`). A recipe that must not act twice for one key checks
 * that itself. Rows inserted above the last known row, or re-queued, are found by the next reconcile.
 */
export function newRows(client: SheetsClient, options: NewRowsOptions): Trigger<SheetRow> {
  return new NewRowsTrigger(client, options);
}

class NewRowsTrigger implements Trigger<SheetRow> {
  readonly id: string;
  readonly intervalMs: number | undefined;
  /** One Baton per spreadsheet: instances announce themselves in its developer metadata. */
  readonly instanceHome: SheetsInstanceHome;
  readonly #client: SheetsClient;
  readonly #scan: ScanConfig;
  readonly #reconcileEveryMs: number;
  readonly #settleMs: number;
  readonly #trustPollMs: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  #state: CursorState | undefined;
  /** A header a claim extended while a poll may have been running, applied when that poll ends. */
  #claimedHeader: string[] | undefined;
  #reconciledHere = false;
  /** Set when rows moved under a claim: the next poll reconciles, so the leads it missed are found. */
  #reconcileSoon = false;
  /** What the last poll saw: its header and its new rows, until claimed, rejected or the next poll. */
  #sighted: { header: string[]; rows: Map<number, RowSighting> } | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(client: SheetsClient, options: NewRowsOptions) {
    const location: SheetLocation = {
      spreadsheetId: options.spreadsheetId,
      tab: options.tab,
      statusColumn: options.statusColumn ?? 'Status',
      runColumn: options.runColumn ?? 'Baton Run',
      ...(options.keyColumn ? { keyColumn: options.keyColumn } : {}),
    };
    this.id = `sheets:${options.spreadsheetId}:${options.tab}`;
    this.intervalMs = options.intervalMs;
    this.#client = client;
    const home = sheetsInstanceHome(client, options.spreadsheetId);
    this.instanceHome = home;
    this.#scan = {
      location,
      windowRows: Math.max(1, options.windowRows ?? 200),
      inFlightStatuses: options.inFlightStatuses ?? [],
      instances: { self: () => home.self, liveOthers: () => home.liveOthers(this.#clock.now()) },
    };
    this.#reconcileEveryMs = options.reconcileEveryMs ?? 10 * 60_000;
    this.#settleMs = options.claimSettleMs ?? 1000;
    this.#trustPollMs = options.claimTrustsPollMs ?? 2000;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.log ?? silentLogger).child({ trigger: this.id });
  }

  get paused(): boolean {
    return this.#client.paused;
  }

  /**
   * Finds new work. The first poll of each process, and every `reconcileEveryMs`, reconciles; other
   * polls read only past the last known row (with the header row, in one request). A poll that finds
   * the header changed or the grid shrunk under its cursor reconciles at once. The cursor advances
   * only when the poll succeeds.
   * @throws the client's errors (NotFoundError for a wrong spreadsheet, tab or key column);
   *   ServiceError when the tab changes again while it is being reconciled.
   */
  async poll(ctx: PollContext): Promise<PollResult<SheetRow>> {
    this.#sighted = undefined;
    const saved = this.#state ?? CursorState.safeParse(await ctx.cursor.get()).data;
    let state = saved ? structuredClone(saved) : undefined;
    const now = ctx.now();
    let batch = new ItemBatch(() => this.#clock.now());
    if (
      !state ||
      !this.#reconciledHere ||
      this.#reconcileSoon ||
      now - state.reconciledAt >= this.#reconcileEveryMs
    ) {
      this.#reconcileSoon = false;
      state = await reconcile(this.#client, this.#scan, now, batch);
      ctx.log.debug({ trigger: this.id, found: batch.items.length }, 'reconciled sheet');
      if (batch.leftToOthers > 0) {
        ctx.log.warn(
          { trigger: this.id, rows: batch.leftToOthers },
          'in-flight rows claimed by another live Baton instance: left to it',
        );
      }
    }
    const mismatch = await this.#readNew(state, batch);
    if (mismatch) {
      ctx.log.info({ trigger: this.id }, `${mismatch}: reconciling`);
      batch = new ItemBatch(() => this.#clock.now());
      state = await reconcile(this.#client, this.#scan, now, batch);
      const again = await this.#readNew(state, batch);
      if (again) {
        throw new ServiceError(
          'sheets',
          `Tab '${this.#scan.location.tab}' changed while it was read (${again})`,
          {
            hint: 'nothing to do if someone is editing it: the next poll reads it again',
          },
        );
      }
    }
    if (this.#claimedHeader && extendsHeader(this.#claimedHeader, state.header))
      state.header = this.#claimedHeader;
    this.#claimedHeader = undefined;
    this.#reconciledHere = true;
    this.#state = state;
    await ctx.cursor.set(state);
    this.#sighted = { header: state.header, rows: batch.seen };
    return { items: batch.items };
  }

  /** Claims one row: `claimAll` of one item. */
  async claim(item: TriggerItem<SheetRow>): Promise<TriggerItem<SheetRow> | undefined> {
    return (await this.claimAll([item]))[0];
  }

  /**
   * Claims rows in one go (see `claimRows`): each row tagged with a fresh token, the tagged rows read
   * back, Status `Queued` and the run key `<rowKey>#<token>` written through the tags of the rows
   * verified, one `claimSettleMs` wait, one read-back: two writes and two reads whatever the number
   * of rows. Before tagging, rows the last poll read less than `claimTrustsPollMs` ago are trusted
   * to be where it saw them, unclaimed; otherwise the rows and the header are read again in one
   * request (a row no longer at its number is searched for by key). Returns the items won, keyed by
   * their run keys, in the order given; rows gone, changed, or holding another claimer's token are
   * left out. Items already claimed come back as they are. A row whose tag landed on another row
   * (rows sorted since that read) is left out with that other row untouched, and the next poll
   * reconciles so it is found again. Claims of one trigger run one at a time.
   * @throws the client's errors; claims written before the failure stay in the sheet, unstarted
   *   (a reconcile with `inFlightStatuses` hands them over).
   */
  claimAll(items: TriggerItem<SheetRow>[]): Promise<TriggerItem<SheetRow>[]> {
    return this.#serial(() => this.#claimAll(items));
  }

  /** Writes `Skipped: <reason>` (as text) into the row's Status. Does nothing if the row is gone. */
  reject(item: TriggerItem<SheetRow>, reason: string): Promise<void> {
    return this.#serial(async () => {
      const row = item.payload;
      this.#sighted?.rows.delete(row.rowNumber);
      const ref = row.token ? { ...row, token: row.token } : undefined;
      const claimed = ref ? await findClaimed(this.#client, ref) : undefined;
      const found = ref ? claimed : await findUnclaimed(this.#client, row, this.#scan.windowRows);
      if (!found) return;
      const loc = this.#scan.location;
      const { header, columns } = await ensureColumns(this.#client, loc, found.header, [loc.statusColumn]);
      this.#remember(found.header, header);
      const text = `Skipped: ${reason.replace(/\s+/g, ' ').trim()}`.slice(0, 500);
      const col = columns[0]!;
      if (ref && claimed) await writeClaimed(this.#client, ref, claimed, [[col, text]]);
      else await this.#client.write(loc.spreadsheetId, cellRange(loc.tab, found.rowNumber, col), [[text]]);
    });
  }

  /** Clears Status and Run of a claim whose run never started, if the row still carries its token. */
  release(item: TriggerItem<SheetRow>): Promise<void> {
    return this.#serial(async () => {
      const { token } = item.payload;
      if (token) await this.#clearClaim({ ...item.payload, token });
    });
  }

  async #claimAll(items: TriggerItem<SheetRow>[]): Promise<TriggerItem<SheetRow>[]> {
    const open = items.filter((i) => !i.claimed && !i.payload.token).map((i) => i.payload);
    if (open.length === 0) return items;
    const trusted = this.#sighted && open.every((row) => this.#fresh(row));
    for (const row of open) this.#sighted?.rows.delete(row.rowNumber);
    let header: Header;
    let targets: ClaimTarget[];
    if (trusted && this.#sighted) {
      header = new Header(this.#sighted.header);
      targets = open.map((row) => ({ row, rowNumber: row.rowNumber }));
    } else {
      const located = await locateUnclaimed(this.#client, this.#scan.location, open, this.#scan.windowRows);
      header = located.header;
      targets = open.flatMap((row, i) => {
        const at = located.found[i];
        return at ? [{ row, rowNumber: at.rowNumber }] : [];
      });
    }
    if (targets.length === 0) return items.filter((i) => i.claimed || i.payload.token);
    const loc = this.#scan.location;
    const sheetId = this.#state?.sheetId ?? (await this.#client.tab(loc.spreadsheetId, loc.tab)).sheetId;
    const result = await claimRows(this.#client, loc, header, targets, {
      sheetId,
      settle: () => this.#clock.sleep(this.#settleMs),
      log: this.#log,
      ...(this.instanceHome.self ? { owner: this.instanceHome.self } : {}),
    }).catch((err: unknown) => {
      // The tab may have been replaced (its grid id is gone): learn it again.
      if (isRangeRejected(err)) this.#reconcileSoon = true;
      throw err;
    });
    if (result.moved > 0) this.#reconcileSoon = true;
    this.#remember(header, result.header);
    const won = new Map<SheetRow, SheetRow>();
    result.won.forEach((row, i) => {
      if (row) won.set(targets[i]!.row, row);
    });
    return items.flatMap((item) => {
      if (item.claimed || item.payload.token) return [item];
      const row = won.get(item.payload);
      return row?.token ? [{ key: runKey(row.rowKey, row.token), payload: row }] : [];
    });
  }

  /** True when the last poll read this row, unclaimed and with this key, less than `claimTrustsPollMs` ago. */
  #fresh(row: SheetRow): boolean {
    const seen = this.#sighted?.rows.get(row.rowNumber);
    if (!seen || seen.rowKey !== row.rowKey || this.#trustPollMs <= 0) return false;
    return this.#clock.now() - seen.readAt <= this.#trustPollMs;
  }

  /** Reads past the last known row; says why the cursor no longer fits the tab, or undefined. */
  async #readNew(state: CursorState, batch: ItemBatch): Promise<string | undefined> {
    try {
      const outcome = await readNewRows(this.#client, this.#scan, state, batch);
      if (outcome === 'header-changed') return 'header row changed';
      return outcome === 'grid-shrank' ? 'sheet shrank under the cursor' : undefined;
    } catch (err) {
      if (!isRangeRejected(err)) throw err;
      return 'sheet shrank under the cursor';
    }
  }

  async #clearClaim(ref: SheetRowRef): Promise<void> {
    const found = await findClaimed(this.#client, ref);
    if (!found) return;
    const loc = this.#scan.location;
    const { columns } = await ensureColumns(this.#client, loc, found.header, [
      loc.statusColumn,
      loc.runColumn,
    ]);
    await writeClaimed(
      this.#client,
      ref,
      found,
      columns.map((col) => [col, '']),
    );
    if (found.tagged) await untagRows(this.#client, loc, [ref.token]);
  }

  /** Keeps the cursor's header in step when a claim added the Status or Run column. */
  #remember(before: Header, after: Header): void {
    if (sameHeader(before.names, after.names)) return;
    this.#claimedHeader = after.names;
    if (this.#state) this.#state.header = after.names;
    if (this.#sighted) this.#sighted.header = after.names;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
