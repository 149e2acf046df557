import type { SharedSpend, Tally } from '../llm/index.ts';
import { type RedisOptions, RedisPiece } from './connection.ts';

/** Costs are rounded to 1e-8 USD (src/llm): counted as whole units of that, so INCRBY stays exact. */
const UNITS_PER_USD = 1e8;
/** Kept past the day, for a process whose clock is a little behind. */
const KEEP_MS = 2 * 24 * 3600_000;
/** A month's detail outlives the month, for `baton status` on its last day and a clock behind. */
const KEEP_MONTH_MS = 40 * 24 * 3600_000;

/** A tally's fields in the per-recipe hashes, each counted in whole units (cost in 1e-8 USD). */
const MEASURES = ['calls', 'promptTokens', 'completionTokens', 'costUsd', 'unpriced'] as const;

/**
 * Under `<prefix>` (BATON_REDIS_PREFIX, default `baton:`): `llm-spend:<day>` (the day's total, an
 * integer of 1e-8 USD, which the budget checks), `llm-spend:<day>:announced`, and the hashes
 * `llm-spend:by-recipe:<day>` and `llm-spend:by-recipe:<month>` (field `<measure>:<recipe>`).
 */
export class RedisLlmSpend extends RedisPiece implements SharedSpend {
  constructor(options: RedisOptions) {
    super(options);
  }

  async add(day: string, recipe: string, call: Tally): Promise<number> {
    const total = this.#totalKey(day);
    // One transaction: the day's total and the detail never disagree after a crash.
    const tx = this.redis
      .multi()
      .incrby(total, Math.round(call.costUsd * UNITS_PER_USD))
      .pexpire(total, KEEP_MS);
    for (const [period, keepMs] of [
      [day, KEEP_MS],
      [day.slice(0, 7), KEEP_MONTH_MS],
    ] as const) {
      const key = this.#detailKey(period);
      for (const measure of MEASURES) {
        const units = measure === 'costUsd' ? Math.round(call.costUsd * UNITS_PER_USD) : call[measure];
        if (units !== 0) tx.hincrby(key, `${measure}:${recipe}`, units);
      }
      tx.pexpire(key, keepMs);
    }
    const [[, sum] = []] = (await tx.exec()) ?? [];
    return Number(sum) / UNITS_PER_USD;
  }

  async spent(day: string): Promise<number> {
    return Number((await this.redis.get(this.#totalKey(day))) ?? 0) / UNITS_PER_USD;
  }

  /**
   * What every process of the group counted per recipe in `period`: a UTC day (`2026-01-05`) or
   * month (`2026-01`). Empty before the first call (or for spend counted before the detail was kept).
   */
  async byRecipe(period: string): Promise<Record<string, Tally>> {
    const recipes: Record<string, Tally> = {};
    for (const [field, value] of Object.entries(await this.redis.hgetall(this.#detailKey(period)))) {
      const at = field.indexOf(':');
      const measure = MEASURES.find((m) => m === field.slice(0, at));
      if (at < 0 || !measure) continue;
      const recipe = field.slice(at + 1);
      const tally = recipes[recipe] ?? {
        calls: 0,
        promptTokens: 0,
        completionTokens: 0,
        costUsd: 0,
        unpriced: 0,
      };
      recipes[recipe] = tally;
      tally[measure] = measure === 'costUsd' ? Number(value) / UNITS_PER_USD : Number(value);
    }
    return recipes;
  }

  async firstToAnnounce(day: string): Promise<boolean> {
    return (await this.redis.set(`${this.#totalKey(day)}:announced`, '1', 'PX', KEEP_MS, 'NX')) === 'OK';
  }

  #totalKey(day: string): string {
    return `${this.prefix}llm-spend:${day}`;
  }

  #detailKey(period: string): string {
    return `${this.prefix}llm-spend:by-recipe:${period}`;
  }
}
