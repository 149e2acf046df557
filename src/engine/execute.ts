// One execution of a run: replay its journal through the recipe, then record how it ended.
import type { Clock } from '../clock.ts';
import type { Logger } from '../log.ts';
import { serializeError } from './errors.ts';
import type { Recipe } from './recipe.ts';
import { ReplayContext, Suspension } from './replay.ts';
import type { RunRecord } from './run-record.ts';

export interface ExecuteDeps {
  clock: Clock;
  log: Logger;
  persist(run: RunRecord): Promise<void>;
  signal: AbortSignal;
  onWaitEntered?(waitId: string): void;
}

/**
 * Enters the recipe's `run` with a replaying context and returns the run as it now stands: `done`
 * with its output, `waiting` with what wakes it, or `failed` with the error. The final state is
 * durable when this resolves. A recipe that catches the engine's suspension and carries on is still
 * treated as suspended: the journal, not the recipe, decides.
 */
export async function executeRun(run: RunRecord, recipe: Recipe, deps: ExecuteDeps): Promise<RunRecord> {
  const log = deps.log.child({ runId: run.id, recipe: run.recipe });
  run.status = 'running';
  run.executions++;
  delete run.wake;
  const ctx = new ReplayContext(run, { ...deps, log, retry: recipe.retry });

  let outcome: { ok: true; output: unknown } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, output: await recipe.run(run.input, ctx) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  await ctx.settle();
  // Waits consumed the signals meant for them; whatever is left was delivered to a wait this run has
  // moved past, and must not wake it again.
  run.inbox = [];

  if (ctx.suspension) {
    run.status = 'waiting';
    run.wake = ctx.suspension;
    if (!(outcome.ok === false && outcome.error instanceof Suspension)) {
      log.warn('recipe caught a suspension and carried on; the run is suspended anyway');
    }
  } else if (outcome.ok) {
    run.status = 'done';
    run.output = outcome.output === undefined ? undefined : JSON.parse(JSON.stringify(outcome.output));
    delete run.error;
  } else {
    run.status = 'failed';
    run.error = serializeError(outcome.error);
    log.error({ err: run.error.message }, 'run failed');
  }
  await ctx.persist();
  return run;
}
