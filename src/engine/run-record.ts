// A run as it is stored: its input, status, wake-up condition and the journal of finished work.
import { z } from 'zod';

export const RUN_STATUSES = ['queued', 'running', 'waiting', 'done', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses a run can leave again; the others are final. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running', 'waiting'];

const SerializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  retryable: z.boolean().optional(),
  stack: z.string().optional(),
});

/**
 * One journaled call. `step` entries hold a step's result; `now`/`random` hold the values the
 * deterministic helpers returned; `sleep`/`wait` hold a wait's deadline and, once over, its outcome.
 * `pending` means started but not finished: a step between retries, or a wait not yet over.
 */
export const JournalEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(['step', 'now', 'random', 'sleep', 'wait']),
  status: z.enum(['pending', 'done', 'failed']),
  value: z.unknown().optional(),
  error: SerializedErrorSchema.optional(),
  attempts: z.number().int().nonnegative(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  /** When a pending step may be tried again, or when a wait times out. */
  dueAt: z.number().optional(),
  /** Why a pending step's `dueAt` holds it back when not for a retry: a SuspendUntilError's message. */
  pausedFor: z.string().optional(),
  /** The signal key a `wait` entry listens for (several joined by spaces). */
  waitKey: z.string().optional(),
  /** Extra facts a step recorded about itself, e.g. LLM token usage and cost. */
  annotations: z.record(z.string(), z.unknown()).optional(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

/**
 * Why a suspended run sleeps and what wakes it. `paused`: a step threw SuspendUntilError (e.g. the
 * day's LLM budget is spent); unlike `retry`, a cron cycle does not stay up waiting for it.
 */
export const WakeSchema = z.object({
  reason: z.enum(['sleep', 'signal', 'retry', 'paused']),
  stepId: z.string(),
  /** Wake at this time (a sleep's end, a retry's backoff, a wait's timeout). */
  at: z.number().optional(),
  /** Or when a signal with this key arrives. */
  key: z.string().optional(),
  /** Every key that wakes it, when a wait listens for more than one (`key` is the first of them). */
  keys: z.array(z.string()).optional(),
  /** For a pause: why, in words (the SuspendUntilError's message). */
  note: z.string().optional(),
  /**
   * Scale-out only: when the signal wait was last entered (its `check` ran). Signals held while the
   * run executed are handed to the wait if they arrived at or after this.
   */
  since: z.number().optional(),
});
export type Wake = z.infer<typeof WakeSchema>;

/** The signal keys that wake a suspended run (none for a sleep or a retry). */
export function wakeKeys(wake: Wake | undefined): readonly string[] {
  if (!wake) return [];
  return wake.keys ?? (wake.key !== undefined ? [wake.key] : []);
}

export const InboxSignalSchema = z.object({
  key: z.string(),
  payload: z.unknown().optional(),
  at: z.number(),
  /**
   * The wait it was delivered to. Only that wait may consume it; any other wait on the same key
   * entered later treats it as stale (its `check` reads the state now instead).
   */
  waitId: z.string().optional(),
});
export type InboxSignal = z.infer<typeof InboxSignalSchema>;

export const RunRecordSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  recipe: z.string(),
  itemKey: z.string(),
  input: z.unknown(),
  status: z.enum(RUN_STATUSES),
  createdAt: z.number(),
  updatedAt: z.number(),
  /**
   * Created for an item an earlier process had claimed (a data folder lost mid-run): what the run's
   * first life made may be older than `createdAt`.
   */
  resumed: z.boolean().optional(),
  /** How many times the run's function has been entered (first run plus replays). */
  executions: z.number().int().nonnegative(),
  journal: z.array(JournalEntrySchema),
  wake: WakeSchema.optional(),
  /** Signals delivered while the run waited, consumed by the matching `waitFor` on replay. */
  inbox: z.array(InboxSignalSchema),
  output: z.unknown().optional(),
  error: SerializedErrorSchema.optional(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** What the engine keeps in memory about a run that is not executing: enough to know when to wake it. */
export interface RunSummary {
  id: string;
  recipe: string;
  itemKey: string;
  status: RunStatus;
  createdAt: number;
  updatedAt: number;
  wake?: Wake;
  hasInbox: boolean;
  error?: string;
}

export function summarize(run: RunRecord): RunSummary {
  return {
    id: run.id,
    recipe: run.recipe,
    itemKey: run.itemKey,
    status: run.status,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    ...(run.wake ? { wake: run.wake } : {}),
    hasInbox: run.inbox.length > 0,
    ...(run.error ? { error: run.error.message } : {}),
  };
}
