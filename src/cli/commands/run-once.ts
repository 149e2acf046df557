// `baton run <recipe> --once`: exactly one cycle of `start`, then exit. How cron and tests drive Baton.
import type { RuntimeConfig } from '../../config.ts';
import type { Recipe } from '../../engine/index.ts';
import { DataFolderLockedError } from '../../engine/index.ts';
import { InstanceBusyError } from '../../instances/index.ts';
import type { Logger } from '../../log.ts';
import { openBaton } from './start.ts';

/**
 * Returns the exit code: 0 when the cycle completed, 1 when a poll failed, or a source could not be
 * read to check for other instances (the error is logged).
 * @throws DataFolderBusyError, InstanceBusyError: busy, the caller exits 75.
 */
export async function runCycle(
  config: RuntimeConfig,
  recipes: Recipe[],
  recipe: string,
  log: Logger,
): Promise<number> {
  let baton: Awaited<ReturnType<typeof openBaton>>;
  try {
    baton = await openBaton(config, recipes, log);
  } catch (err) {
    if (err instanceof DataFolderLockedError || err instanceof InstanceBusyError) throw err;
    log.error(
      { err: (err as Error).message },
      'cycle failed: could not check the sources for other Baton instances',
    );
    return 1;
  }
  let code = 0;
  try {
    await baton.runOnce(recipe);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'cycle failed');
    code = 1;
  } finally {
    // Stopping also saves the Airtable call count (its flush timer does not hold the process open).
    await baton.stop(config.shutdownGraceMs);
  }
  const runs = baton.engine.activeRuns();
  log.info({ waiting: runs.filter((r) => r.status === 'waiting').length }, 'cycle finished');
  return code;
}
