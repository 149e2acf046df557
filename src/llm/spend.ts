// LlmSpend: the process-wide ledger of model calls (tokens and estimated cost per recipe and UTC
// day) and the daily budget (BATON_LLM_DAILY_BUDGET) checked before each call.
import { readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { type Clock, systemClock } from '../clock.ts';
import { type Logger, silentLogger } from '../log.ts';
import { LlmBudgetReachedError } from './errors.ts';
import {
  addTally,
  emptyTally,
  formatUsd,
  nextUtcMidnight,
  pruneDays,
  type SpendFile,
  SpendFileSchema,
  type SpendSummary,
  summarizeSpend,
  type Tally,
  utcDay,
} from './spend-file.ts';
import type { LlmUsage } from './types.ts';

export interface LlmSpendOptions {
  /** The ledger's file (`<data folder>/llm-spend.json`); in memory only when absent. */
  file?: string;
  /** USD per UTC day (BATON_LLM_DAILY_BUDGET); no cap when undefined. */
  budgetUsd?: number;
  clock?: Clock;
  log?: Logger;
  /** Told once per UTC day when the budget is reached (a Slack message). Best effort. */
  notify?: (text: string) => Promise<void>;
  /**
   * Scale-out: the day's spend counted across every process sharing it (src/scale RedisLlmSpend),
   * so the budget caps them together. The file still keeps this process's own calls for status.
   */
  shared?: SharedSpend;
}

/** The day's estimated spend, added to and read by every process of a scale-out group. */
export interface SharedSpend {
  /**
   * Adds one call of `recipe` to `day`'s total and to the group's per-recipe totals of the day and
   * its month (atomically); returns the day's new total in USD.
   */
  add(day: string, recipe: string, call: Tally): Promise<number>;
  /** `day`'s total so far. */
  spent(day: string): Promise<number>;
  /** True for exactly one caller per `day`, across processes: that one announces the reached budget. */
  firstToAnnounce(day: string): Promise<boolean>;
}

/**
 * One per process (the data folder's owner). Every Llm built with it (see `meteredLlm`) checks the
 * budget before a call and records the call's usage after. The file is rewritten atomically after
 * each record, one write at a time (records that come meanwhile are coalesced into the next), so
 * `baton status` can read it from another process and a restart (or the next cron cycle) resumes
 * the day's count. Estimated spend: calls in flight when the budget is reached still finish.
 */
export class LlmSpend {
  readonly budgetUsd: number | undefined;
  readonly #file: string | undefined;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #notify: ((text: string) => Promise<void>) | undefined;
  readonly #shared: SharedSpend | undefined;
  readonly #data: SpendFile;
  #dirty = false;
  #writing: Promise<void> | undefined;
  #writeFailed = false;
  readonly #notifying = new Set<Promise<void>>();

  constructor(options: LlmSpendOptions = {}) {
    this.budgetUsd = options.budgetUsd;
    this.#file = options.file;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.#notify = options.notify;
    this.#shared = options.shared;
    this.#data = this.#load();
  }

  /**
   * Resolves when a model call may be made now.
   * @throws LlmBudgetReachedError when today's estimated spend has reached the budget.
   */
  async checkBudget(): Promise<void> {
    if (this.budgetUsd === undefined) return;
    const now = this.#clock.now();
    const day = utcDay(now);
    const spent = this.#shared ? await this.#shared.spent(day) : this.#spentOn(day);
    if (spent < this.budgetUsd) return;
    await this.#announce(now, spent);
    throw new LlmBudgetReachedError(spent, this.budgetUsd, nextUtcMidnight(now));
  }

  /** Counts a call's (or a failed answer's) tokens and estimated cost for `recipe` today. */
  async record(recipe: string, usage: LlmUsage): Promise<void> {
    const now = this.#clock.now();
    const day = utcDay(now);
    const recipes = this.#data.days[day] ?? {};
    const tally = recipes[recipe] ?? emptyTally();
    recipes[recipe] = tally;
    this.#data.days[day] = recipes;
    const call: Tally = {
      calls: 1,
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
      costUsd: usage.costUsd ?? 0,
      unpriced: usage.costUsd === undefined ? 1 : 0,
    };
    addTally(tally, call);
    this.#save();
    const spent = this.#shared ? await this.#shared.add(day, recipe, call) : this.#spentOn(day);
    if (this.budgetUsd !== undefined && spent >= this.budgetUsd) await this.#announce(now, spent);
  }

  /** Today's and this month's totals and the budget's state, as `baton status` shows them. */
  summary(): SpendSummary {
    return summarizeSpend(this.#snapshot(), this.#clock.now());
  }

  /** Resolves once the ledger is on disk and budget messages are sent (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.#writing || this.#notifying.size > 0) {
      await this.#writing;
      await Promise.allSettled([...this.#notifying]);
    }
  }

  #spentOn(day: string): number {
    return Object.values(this.#data.days[day] ?? {}).reduce((sum, t) => sum + t.costUsd, 0);
  }

  /** Once per UTC day (kept in the file, so a restart or the next cron cycle does not repeat it). */
  async #announce(now: number, spent: number): Promise<void> {
    const day = utcDay(now);
    if (this.#data.announcedOn === day || this.budgetUsd === undefined) return;
    this.#data.announcedOn = day;
    this.#save();
    // In a group, one process of all says it, once a day.
    if (this.#shared && !(await this.#shared.firstToAnnounce(day))) return;
    const budget = formatUsd(this.budgetUsd);
    this.#log.warn(
      { spentUsd: spent, budgetUsd: this.budgetUsd, resumeAt: new Date(nextUtcMidnight(now)).toISOString() },
      'LLM budget reached: model steps wait until 00:00 UTC (BATON_LLM_DAILY_BUDGET)',
    );
    if (!this.#notify) return;
    const text = `LLM budget reached: ${formatUsd(spent)} of ${budget} today. Model steps wait until 00:00 UTC; work that needs no model goes on. (BATON_LLM_DAILY_BUDGET sets the budget.)`;
    const sent = this.#notify(text).catch((err: unknown) =>
      this.#log.warn({ err: (err as Error).message }, 'could not send the LLM budget message'),
    );
    this.#notifying.add(sent);
    await sent.finally(() => this.#notifying.delete(sent));
  }

  /** The ledger with this process's budget (the file's may be from an earlier setting). */
  #snapshot(): SpendFile {
    const { budgetUsd: _earlier, ...rest } = this.#data;
    return this.budgetUsd !== undefined ? { ...rest, budgetUsd: this.budgetUsd } : rest;
  }

  #load(): SpendFile {
    const empty: SpendFile = { version: 1, days: {}, writtenAt: 0 };
    if (!this.#file) return empty;
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.#log.warn(
          { err: (err as Error).message, file: this.#file },
          'could not read the LLM spend file',
        );
      return empty;
    }
    try {
      const parsed = SpendFileSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // reported below
    }
    this.#log.warn({ file: this.#file }, "the LLM spend file is damaged: today's spend counts from zero");
    return empty;
  }

  #save(): void {
    if (!this.#file) return;
    this.#dirty = true;
    this.#writing ??= this.#drain(this.#file);
  }

  async #drain(file: string): Promise<void> {
    while (this.#dirty) {
      this.#dirty = false;
      const now = this.#clock.now();
      pruneDays(this.#data, now);
      this.#data.writtenAt = now;
      try {
        await writeFileAtomic(file, JSON.stringify(this.#snapshot(), null, 2));
        this.#writeFailed = false;
      } catch (err) {
        // Logged once until a write works again: the next record tries again.
        if (!this.#writeFailed)
          this.#log.warn({ err: (err as Error).message, file }, 'could not write the LLM spend file');
        this.#writeFailed = true;
      }
    }
    this.#writing = undefined;
  }
}
