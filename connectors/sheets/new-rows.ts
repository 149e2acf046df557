// The `newRows` trigger: rows with an empty Status are work; a claim writes Status and a token before any run.
import { type Clock, systemClock } from '../../src/clock.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import type { PollContext, PollResult, Trigger, TriggerItem } from '../../src/triggers/trigger.ts';
import { cellRange, rowRange } from './a1.ts';
import type { SheetsClient } from './client.ts';
import { ensureColumns, findClaimed, findUnclaimed, isRangeRejected } from './locate.ts';
import {
  holdsToken,
  newToken,
  QUEUED,
  runKey,
  type SheetLocation,
  type SheetRow,
  type SheetRowRef,
} from './row.ts';
import { CursorState, ItemBatch, readNewRows, reconcile, type ScanConfig } from './scan.ts';

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
  readonly #client: SheetsClient;
  readonly #scan: ScanConfig;
  readonly #reconcileEveryMs: number;
  readonly #settleMs: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  #state: CursorState | undefined;
  /** A header a claim extended while a poll may have been running, applied when that poll ends. */
  #claimedHeader: string[] | undefined;
  #reconciledHere = false;
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
    this.#scan = {
      location,
      windowRows: Math.max(1, options.windowRows ?? 200),
      inFlightStatuses: options.inFlightStatuses ?? [],
    };
    this.#reconcileEveryMs = options.reconcileEveryMs ?? 10 * 60_000;
    this.#settleMs = options.claimSettleMs ?? 1000;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.log ?? silentLogger).child({ trigger: this.id });
  }

  get paused(): boolean {
    return this.#client.paused;
  }

  /**
   * Finds new work. The first poll of each process, and every `reconcileEveryMs`, reconciles; other
   * polls read only past the last known row. The cursor advances only when the poll succeeds.
   * @throws the client's errors (NotFoundError for a wrong spreadsheet, tab or key column).
   */
  async poll(ctx: PollContext): Promise<PollResult<SheetRow>> {
    const batch = new ItemBatch();
    const saved = this.#state ?? CursorState.safeParse(await ctx.cursor.get()).data;
    let state = saved ? structuredClone(saved) : undefined;
    const now = ctx.now();
    if (!state || !this.#reconciledHere || now - state.reconciledAt >= this.#reconcileEveryMs) {
      state = await reconcile(this.#client, this.#scan, now, batch);
      ctx.log.debug({ trigger: this.id, found: batch.items.length }, 'reconciled sheet');
    }
    try {
      await readNewRows(this.#client, this.#scan, state, batch);
    } catch (err) {
      if (!isRangeRejected(err)) throw err;
      ctx.log.info({ trigger: this.id }, 'sheet shrank under the cursor: reconciling');
      state = await reconcile(this.#client, this.#scan, now, batch);
      await readNewRows(this.#client, this.#scan, state, batch);
    }
    if (this.#claimedHeader) state.header = this.#claimedHeader;
    this.#claimedHeader = undefined;
    this.#reconciledHere = true;
    this.#state = state;
    await ctx.cursor.set(state);
    return { items: batch.items };
  }

  /**
   * Claims the row: finds it by key (its hinted number first), checks its Status is still empty,
   * writes Status `Queued` and a fresh run key in one request, waits `claimSettleMs`, and reads it
   * back. Returns the item keyed `<rowKey>#<token>`, or undefined when the row is gone, changed, or
   * someone else's token is in it. Claims of one trigger run one at a time.
   */
  claim(item: TriggerItem<SheetRow>): Promise<TriggerItem<SheetRow> | undefined> {
    return this.#serial(() => this.#claim(item));
  }

  /** Writes `Skipped: <reason>` (as text) into the row's Status. Does nothing if the row is gone. */
  reject(item: TriggerItem<SheetRow>, reason: string): Promise<void> {
    return this.#serial(async () => {
      const row = item.payload;
      const found = row.token
        ? await findClaimed(this.#client, { ...row, token: row.token })
        : await findUnclaimed(this.#client, row, this.#scan.windowRows);
      if (!found) return;
      const loc = this.#scan.location;
      const { header, columns } = await ensureColumns(this.#client, loc, found.header, [loc.statusColumn]);
      this.#remember(header.names);
      const text = `Skipped: ${reason.replace(/\s+/g, ' ').trim()}`.slice(0, 500);
      await this.#client.write(loc.spreadsheetId, cellRange(loc.tab, found.rowNumber, columns[0]!), [[text]]);
    });
  }

  /** Clears Status and Run of a claim whose run never started, if the row still carries its token. */
  release(item: TriggerItem<SheetRow>): Promise<void> {
    return this.#serial(async () => {
      const { token } = item.payload;
      if (token) await this.#clearClaim({ ...item.payload, token });
    });
  }

  async #claim(item: TriggerItem<SheetRow>): Promise<TriggerItem<SheetRow> | undefined> {
    const row = item.payload;
    if (item.claimed || row.token) return item;
    const loc = this.#scan.location;
    const found = await findUnclaimed(this.#client, row, this.#scan.windowRows);
    if (!found) return undefined;
    const { header, columns } = await ensureColumns(this.#client, loc, found.header, [
      loc.statusColumn,
      loc.runColumn,
    ]);
    this.#remember(header.names);
    const [statusCol, runCol] = columns as [number, number];
    const token = newToken();
    const key = runKey(row.rowKey, token);
    const n = found.rowNumber;
    await this.#client.writeMany(loc.spreadsheetId, [
      { range: cellRange(loc.tab, n, statusCol), values: [[QUEUED]] },
      { range: cellRange(loc.tab, n, runCol), values: [[key]] },
    ]);
    if (this.#settleMs > 0) await this.#clock.sleep(this.#settleMs);
    const cells = (await this.#client.read(loc.spreadsheetId, rowRange(loc.tab, n))).values[0] ?? [];
    if (!holdsToken(cells[runCol], token)) {
      // Lost a race, or the row moved under the write: take our claim back from wherever it landed.
      this.#log.info({ rowKey: row.rowKey, rowNumber: n }, 'claim not confirmed; leaving the row');
      await this.#clearClaim({ rowKey: row.rowKey, rowNumber: n, token, sheet: loc });
      return undefined;
    }
    return {
      key,
      payload: { rowKey: row.rowKey, rowNumber: n, values: header.record(cells), token, sheet: loc },
    };
  }

  async #clearClaim(ref: SheetRowRef): Promise<void> {
    const found = await findClaimed(this.#client, ref);
    if (!found) return;
    const loc = this.#scan.location;
    const { columns } = await ensureColumns(this.#client, loc, found.header, [
      loc.statusColumn,
      loc.runColumn,
    ]);
    await this.#client.writeMany(
      loc.spreadsheetId,
      columns.map((col) => ({ range: cellRange(loc.tab, found.rowNumber, col), values: [['']] })),
    );
  }

  /** Keeps the cursor's header in step when a claim added the Status or Run column. */
  #remember(header: string[]): void {
    this.#claimedHeader = header;
    if (this.#state) this.#state.header = header;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }
}
