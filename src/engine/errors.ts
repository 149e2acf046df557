// The engine's error hierarchy: what a step or recipe throws to steer retries, and what the engine
// throws when a run's journal and its code disagree.

/** Base of every error Baton defines; `hint` is what the user can do about it. */
export class BatonError extends Error {
  override readonly name: string = 'BatonError';
  readonly hint: string | undefined;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(options.hint ? `${message} — ${options.hint}` : message, { cause: options.cause });
    this.hint = options.hint;
  }
}

/** Thrown from a step: do not try this step again; the run fails now (and can be retried by hand). */
export class NonRetriableError extends BatonError {
  override readonly name: string = 'NonRetriableError';
}

/** Thrown from a step: try again, but not before `retryAfterMs` (e.g. a service's Retry-After). */
export class RetryAfterError extends BatonError {
  override readonly name = 'RetryAfterError';
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/**
 * Thrown from a step: it cannot run before `until` (epoch ms), and trying again sooner is pointless
 * (a daily budget is spent, a service said it is closed until a time). The run waits until then
 * (a durable wait, no slot held) and the try does not count as one of the step's attempts, so a
 * step can be put off any number of times without ever failing for it.
 */
export class SuspendUntilError extends BatonError {
  override readonly name: string = 'SuspendUntilError';
  readonly until: number;
  constructor(message: string, until: number, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.until = until;
  }
}

/**
 * The recipe's code and the run's journal disagree: a step id used twice in one run, or a replay
 * meeting steps in another order than recorded (the recipe changed while runs were in flight).
 * Never retried automatically: silently re-keying steps could repeat a side effect.
 */
export class JournalMismatchError extends NonRetriableError {
  override readonly name = 'JournalMismatchError';
}

/** A step failed for good (non-retriable, or out of attempts); the run is marked failed. */
export class StepFailedError extends BatonError {
  override readonly name = 'StepFailedError';
  readonly stepId: string;
  readonly attempts: number;
  constructor(stepId: string, attempts: number, cause: unknown) {
    super(`Step '${stepId}' failed after ${attempts} attempt(s): ${errorMessage(cause)}`, { cause });
    this.stepId = stepId;
    this.attempts = attempts;
  }
}

/** Another Baton process holds the data folder. */
export class DataFolderLockedError extends BatonError {
  override readonly name = 'DataFolderLockedError';
}

/** An error as stored in a run's journal: plain data, safe to print. */
export interface SerializedError {
  name: string;
  message: string;
  hint?: string;
  retryable?: boolean;
  stack?: string;
}

/** Turns anything thrown into an Error (strings, plain objects and undefined included). */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(thrown)}`);
  } catch {
    return new Error(`Non-error thrown: ${String(thrown)}`);
  }
}

export function errorMessage(thrown: unknown): string {
  return toError(thrown).message;
}

export function serializeError(thrown: unknown): SerializedError {
  const err = toError(thrown);
  const extra = err as { hint?: unknown; retryable?: unknown };
  return {
    name: err.name,
    message: err.message,
    ...(typeof extra.hint === 'string' ? { hint: extra.hint } : {}),
    ...(typeof extra.retryable === 'boolean' ? { retryable: extra.retryable } : {}),
    ...(err.stack ? { stack: err.stack.split('\n').slice(0, 8).join('\n') } : {}),
  };
}
