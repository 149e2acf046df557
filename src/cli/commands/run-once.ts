// `baton run <recipe> --once`: exactly one cycle of `start`, then exit. How cron and tests drive Baton.
import type { RuntimeConfig } from '../../config.ts';
import type { Recipe } from '../../engine/index.ts';
import type { Logger } from '../../log.ts';
import { openBaton } from './start.ts';

/** Returns the exit code: 0 when the cycle completed, 1 when a poll failed (the error is logged). */
export async function runCycle(
  config: RuntimeConfig,
  recipes: Recipe[],
  recipe: string,
  log: Logger,
): Promise<number> {
  const baton = await openBaton(config, recipes, log);
  let code = 0;
  try {
    await baton.runOnce(recipe);
  } catch (err) {
    log.error({ err: (err as Error).message }, 'cycle failed');
    code = 1;
  } finally {
    await baton.stop(config.shutdownGraceMs);
  }
  const runs = baton.engine.activeRuns();
  log.info({ waiting: runs.filter((r) => r.status === 'waiting').length }, 'cycle finished');
  return code;
}
