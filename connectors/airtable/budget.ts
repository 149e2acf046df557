// AirtableCallBudget: counts every request Baton sends a workspace this month and paces its polls to fit the plan.
import ms from 'ms';
import { type Clock, systemClock } from '../../src/clock.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import type { AirtablePlan } from './budget-config.ts';
import type { CallLedger } from './budget-ledger.ts';
import { DEFAULT_RESERVE, type Pace, pace, projectCalls, utcMonth } from './budget-math.ts';

export interface AirtableCallBudgetOptions {
  /** The ledger key: the workspace id when configured, else the base id. */
  workspace: string;
  plan: AirtablePlan;
  /** Calls a month; Infinity for no cap. */
  monthlyCalls: number;
  /** AIRTABLE_POLL_INTERVAL: the fastest the pollers go. */
  pollIntervalMs: number;
  ledger: CallLedger;
  clock?: Clock;
  log?: Logger;
  /** Told (once per change) when polls slow down, stop, or go back to normal; e.g. a Slack message. */
  notify?: (text: string) => Promise<void>;
  /** Share of the remaining calls kept for claims, writes and setup (default 0.2). */
  reserve?: number;
  /** Requests one idle poll makes (default 1: the records trigger's one listing). */
  callsPerPoll?: number;
  /**
   * Scale-out: the month's count shared by every process calling the workspace (src/scale
   * RedisCallCount), so pacing and the stop see the group's calls. The file keeps a copy for status.
   */
  shared?: SharedCallCount;
}

/** A workspace's calls in a UTC month, added to and read by every process of a scale-out group. */
export interface SharedCallCount {
  /** Adds `calls` (atomically); returns the group's new total for the month. */
  add(workspace: string, month: string, calls: number): Promise<number>;
  /** The group's total for the month. */
  get(workspace: string, month: string): Promise<number>;
}

/** How often a process that makes no calls itself reads the group's count (for pacing). */
const SHARED_REFRESH_MS = 5_000;

/** The month so far, as `baton status` shows it. */
export interface AirtableBudgetUsage {
  workspace: string;
  bases: string[];
  plan: AirtablePlan;
  /** Calls a month; Infinity for no cap. */
  limit: number;
  month: string;
  calls: number;
  projected: number;
  configuredIntervalMs: number;
  intervalMs: number;
  paced: boolean;
  stopped: boolean;
  /** When the count starts again (the next UTC month). */
  resetsAt: number;
}

/** A change of pace is announced when the interval moves by this factor or more. */
const MATERIAL = 1.25;

/**
 * One workspace's Airtable calls this UTC month. `count` is called for every request that goes out
 * (retries included: Airtable counts what it receives), whoever makes it: polls, claims, writes,
 * setup. The count lives in the data folder, so a restart does not reset it, and starts again at 0
 * when the UTC month changes.
 *
 * Pacing: `pollIntervalFor` spreads what is left of the month's calls (less a 20% reserve for claims
 * and writes) over what is left of the month; never faster than AIRTABLE_POLL_INTERVAL. Once the month's
 * calls are spent, `pollsStopped` is true until the month rolls over; writes are never refused (a run in
 * progress finishes; Airtable may refuse them, Baton does not). Each change of pace is said once: one
 * log line and one `notify`.
 */
export class AirtableCallBudget {
  readonly workspace: string;
  readonly plan: AirtablePlan;
  readonly limit: number;
  readonly configuredIntervalMs: number;
  readonly #options: AirtableCallBudgetOptions;
  readonly #ledger: CallLedger;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #pollers = new Set<string>();
  readonly #bases = new Set<string>();
  #month: string;
  #calls: number;
  /** The pace last announced (or the configured one, unannounced, at start). */
  #announced: Pace;
  /** Scale-out: calls counted here and not yet added to the shared count, and the sync in progress. */
  #unshared = 0;
  #syncing: Promise<void> | undefined;
  #syncedAt = Number.NEGATIVE_INFINITY;
  #syncFailing = false;

  constructor(options: AirtableCallBudgetOptions) {
    this.#options = options;
    this.workspace = options.workspace;
    this.plan = options.plan;
    this.limit = options.monthlyCalls;
    this.configuredIntervalMs = options.pollIntervalMs;
    this.#ledger = options.ledger;
    this.#clock = options.clock ?? systemClock;
    this.#log = (options.log ?? silentLogger).child({ airtableWorkspace: options.workspace });
    const saved = options.ledger.get(options.workspace);
    const month = utcMonth(this.#clock.now()).key;
    this.#month = month;
    this.#calls = saved?.month === month ? saved.calls : 0;
    for (const base of saved?.bases ?? []) this.#bases.add(base);
    // The pace said before a restart this month is not said again.
    const same = saved?.month === month && saved.configuredIntervalMs === options.pollIntervalMs;
    this.#announced =
      same && saved && (saved.limit ?? Number.POSITIVE_INFINITY) === options.monthlyCalls
        ? {
            intervalMs: saved.intervalMs,
            paced: saved.intervalMs > options.pollIntervalMs,
            stopped: saved.stopped,
          }
        : { intervalMs: options.pollIntervalMs, paced: false, stopped: false };
  }

  /** Counts one request (or `calls`) sent to `base`. Cheap: the file is written at most every 2 s. */
  count(base: string, calls = 1): void {
    this.#rollover(this.#clock.now());
    this.#calls += calls;
    this.#bases.add(base);
    this.#save(this.#clock.now());
    if (this.#options.shared) {
      this.#unshared += calls;
      this.#sync();
    }
  }

  /**
   * Scale-out: adds this process's new calls to the shared count and takes the group's total (in the
   * background; `flush` waits for it). Counting stays synchronous: a request never waits for Redis.
   */
  #sync(): void {
    const shared = this.#options.shared;
    if (!shared || this.#syncing) return;
    this.#syncing = (async () => {
      do {
        const month = this.#month;
        const delta = this.#unshared;
        this.#unshared = 0;
        try {
          const total =
            delta > 0
              ? await shared.add(this.workspace, month, delta)
              : await shared.get(this.workspace, month);
          this.#syncedAt = this.#clock.now();
          if (this.#syncFailing) this.#log.info('airtable call count shared again');
          this.#syncFailing = false;
          if (month === this.#month) this.#calls = Math.max(this.#calls, total + this.#unshared);
        } catch (err) {
          if (month === this.#month) this.#unshared += delta; // added at the next sync
          if (!this.#syncFailing)
            this.#log.warn(
              { err: (err as Error).message },
              'cannot share the airtable call count; counting here meanwhile',
            );
          this.#syncFailing = true;
          return;
        }
      } while (this.#unshared > 0);
    })().finally(() => {
      this.#syncing = undefined;
    });
  }

  /** An Airtable trigger that polls against this budget (the interval is shared out between them). */
  addPoller(id: string): void {
    this.#pollers.add(id);
  }

  /** Calls counted this month. */
  get calls(): number {
    this.#rollover(this.#clock.now());
    return this.#calls;
  }

  /**
   * How long a poller should wait before its next poll: AIRTABLE_POLL_INTERVAL (or `floorMs`, when a
   * trigger sets its own), or longer when that would not fit the month's budget.
   */
  pollIntervalFor(now: number = this.#clock.now(), floorMs: number = this.configuredIntervalMs): number {
    return Math.max(floorMs, this.#review(now).intervalMs);
  }

  /** True once the month's calls are spent: pollers skip their turn until the month rolls over. */
  pollsStopped(now: number = this.#clock.now()): boolean {
    return this.#review(now).stopped;
  }

  usage(now: number = this.#clock.now()): AirtableBudgetUsage {
    const current = this.#review(now);
    return {
      workspace: this.workspace,
      bases: [...this.#bases],
      plan: this.plan,
      limit: this.limit,
      month: this.#month,
      calls: this.#calls,
      projected: projectCalls({ calls: this.#calls, ...this.#shape(), ...current }, now),
      configuredIntervalMs: this.configuredIntervalMs,
      intervalMs: current.intervalMs,
      paced: current.paced,
      stopped: current.stopped,
      resetsAt: utcMonth(now).end,
    };
  }

  /** Writes the count now (on shutdown; with a shared count, after taking the group's total). */
  async flush(): Promise<void> {
    if (this.#options.shared) {
      await this.#syncing;
      this.#sync();
      await this.#syncing;
    }
    this.#save(this.#clock.now());
    await this.#ledger.flush();
  }

  #shape() {
    return { pollers: Math.max(1, this.#pollers.size), callsPerPoll: this.#options.callsPerPoll ?? 1 };
  }

  #rollover(now: number): void {
    const month = utcMonth(now).key;
    if (month === this.#month) return;
    this.#month = month;
    this.#calls = 0;
    this.#log.info({ month }, 'new month: airtable call count starts again');
    this.#save(now);
  }

  /** The pace now; says so (once) when it changed materially since last said. */
  #review(now: number): Pace {
    this.#rollover(now);
    // Other processes' calls count too: read the group's total now and then (in the background).
    if (this.#options.shared && now - this.#syncedAt >= SHARED_REFRESH_MS) this.#sync();
    const current = pace(
      {
        limit: this.limit,
        calls: this.#calls,
        ...this.#shape(),
        configuredMs: this.configuredIntervalMs,
        reserve: this.#options.reserve ?? DEFAULT_RESERVE,
      },
      now,
    );
    if (changed(this.#announced, current)) {
      this.#announced = current;
      this.#announce(current, now);
      this.#save(now);
    }
    return current;
  }

  #announce(p: Pace, now: number): void {
    const limit = Number.isFinite(this.limit) ? this.limit.toLocaleString('en-US') : 'unlimited';
    const what = `Airtable (${this.workspace}): ${this.#calls.toLocaleString('en-US')} of ${limit} API calls used this month (${this.plan} plan)`;
    const until = new Date(utcMonth(now).end).toISOString().slice(0, 10);
    const text = p.stopped
      ? `${what}: the budget is spent, so Baton stops polling Airtable until ${until} (UTC). Runs in progress still write. Raise AIRTABLE_PLAN or AIRTABLE_MONTHLY_CALLS if your plan allows more.`
      : p.paced
        ? `${what}: polling every ${ms(p.intervalMs)} instead of ${ms(this.configuredIntervalMs)} so the month's calls last until ${until}.`
        : `${what}: polling every ${ms(p.intervalMs)} again.`;
    const fields = { intervalMs: p.intervalMs, calls: this.#calls, stopped: p.stopped };
    if (p.paced) this.#log.warn(fields, text);
    else this.#log.info(fields, text);
    const notify = this.#options.notify;
    if (notify) {
      notify(text).catch((err: unknown) =>
        this.#log.warn({ err: (err as Error)?.message }, 'could not send the airtable budget notice'),
      );
    }
  }

  #save(now: number): void {
    const a = this.#announced;
    this.#ledger.set(this.workspace, {
      month: this.#month,
      calls: this.#calls,
      bases: [...this.#bases],
      plan: this.plan,
      limit: Number.isFinite(this.limit) ? this.limit : null,
      configuredIntervalMs: this.configuredIntervalMs,
      intervalMs: a.intervalMs,
      ...this.#shape(),
      stopped: a.stopped,
      updatedAt: now,
    });
  }
}

function changed(before: Pace, now: Pace): boolean {
  if (before.stopped !== now.stopped || before.paced !== now.paced) return true;
  if (!now.paced || now.stopped) return false;
  const ratio = now.intervalMs / before.intervalMs;
  return ratio >= MATERIAL || ratio <= 1 / MATERIAL;
}
