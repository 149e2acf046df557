// defineRecipe: a recipe's name, triggers, input schema, flow control and its run function.
import type { ZodType } from 'zod';
import type { Trigger } from '../triggers/trigger.ts';
import type { RecipeContext } from './context.ts';
import type { SerializedError } from './errors.ts';

/** How failed steps are retried: exponential backoff with full jitter, capped. */
export interface RetryPolicy {
  /** Tries per step including the first (default 5). */
  maxAttempts: number;
  /** Delay before the first retry, before jitter (default 1 s). */
  initialDelayMs: number;
  /** Upper bound of any delay (default 10 min). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 10 * 60_000 };

export interface RecipeDefinition<I, O> {
  /** Lower-case letters, digits and dashes: it names runs, files and log lines. */
  name: string;
  /** Sources of work (new rows, records, schedules) and of signals (card moves, replies). */
  triggers?: Trigger[];
  /** Validates each item's payload; an item that fails is rejected with the reason, never run. */
  input: ZodType<I>;
  /** Runs of this recipe executing at once (default: no limit beyond the global one). */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  run(input: I, ctx: RecipeContext): Promise<O>;
  /**
   * Called once when a run ends failed, to tell the user where they look (e.g. the row's Status).
   * Best effort: its own errors are logged, never retried, and do not change the run.
   */
  onFailure?(failure: RunFailure<I>): Promise<void>;
}

export interface RunFailure<I> {
  input: I;
  runId: string;
  error: SerializedError;
}

export interface Recipe<I = unknown, O = unknown> {
  readonly name: string;
  readonly triggers: readonly Trigger[];
  readonly input: ZodType<I>;
  readonly concurrency: number | undefined;
  readonly retry: RetryPolicy;
  run(input: I, ctx: RecipeContext): Promise<O>;
  onFailure?(failure: RunFailure<I>): Promise<void>;
}

/** Declares a recipe. Throws at definition time for a name that cannot name files and runs. */
export function defineRecipe<I, O>(definition: RecipeDefinition<I, O>): Recipe<I, O> {
  if (!/^[a-z][a-z0-9-]{0,39}$/.test(definition.name)) {
    throw new Error(`Recipe name '${definition.name}' must be lower-case letters, digits and dashes`);
  }
  if (definition.concurrency !== undefined && !(definition.concurrency >= 1)) {
    throw new Error(`Recipe '${definition.name}': concurrency must be at least 1`);
  }
  return Object.freeze({
    name: definition.name,
    triggers: Object.freeze([...(definition.triggers ?? [])]),
    input: definition.input,
    concurrency: definition.concurrency,
    retry: { ...DEFAULT_RETRY, ...definition.retry },
    run: definition.run,
    ...(definition.onFailure ? { onFailure: definition.onFailure } : {}),
  });
}
