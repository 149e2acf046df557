// The durable recipe engine: define recipes, run them with journaled steps, waits and retries.
export type { RecipeContext, StepContext, WaitOptions } from './context.ts';
export type { Dispatcher, DispatcherStart, HeldSignal } from './dispatcher.ts';
export { type Duration, toMs } from './duration.ts';
export { Engine, type EngineOptions, InvalidInputError } from './engine.ts';
export {
  BatonError,
  DataFolderLockedError,
  JournalMismatchError,
  NonRetriableError,
  RetryAfterError,
  type SerializedError,
  StepFailedError,
  SuspendUntilError,
  serializeError,
  toError,
} from './errors.ts';
export {
  DEFAULT_RETRY,
  defineRecipe,
  type Recipe,
  type RecipeDefinition,
  type RetryPolicy,
} from './recipe.ts';
export { runIdFor } from './run-id.ts';
export {
  ACTIVE_STATUSES,
  type JournalEntry,
  RUN_STATUSES,
  type RunRecord,
  type RunStatus,
  type RunSummary,
} from './run-record.ts';
