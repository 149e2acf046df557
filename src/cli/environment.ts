// What every command needs first: .env loaded, configuration checked, a logger, the recipes.
import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { type RecipeFactory, shippedRecipes } from '../../recipes/index.ts';
import type { RecipeCoordination } from '../../recipes/shared/coordination.ts';
import { systemClock } from '../clock.ts';
import { loadRuntimeConfig, type RuntimeConfig } from '../config.ts';
import type { Recipe } from '../engine/index.ts';
import type { LlmSpend } from '../llm/index.ts';
import { createLogger, type Logger } from '../log.ts';

/** Exit status for configuration errors (sysexits EX_CONFIG): systemd need not restart on it. */
export const EXIT_CONFIG = 78;
/** Exit status when another Baton holds the data folder (sysexits EX_TEMPFAIL): try again later. */
export const EXIT_BUSY = 75;

export class ConfigProblems extends Error {
  override readonly name = 'ConfigProblems';
  constructor(readonly problems: string[]) {
    super(`Baton cannot start: ${problems.length} problem(s) in the configuration`);
  }
}

/** Loads `.env` from the working folder (real environment variables win over it). */
export function loadDotenvFile(path = '.env'): void {
  if (existsSync(path)) loadDotenv({ path, quiet: true });
}

export function runtimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const result = loadRuntimeConfig(env);
  if (!result.ok) throw new ConfigProblems(result.problems);
  return result.config;
}

export function cliLogger(config: RuntimeConfig): Logger {
  return createLogger({ level: config.logLevel });
}

/**
 * Builds the configured recipes (all, or only `only`). Every configuration problem of every
 * configured recipe is collected before anything fails, so the user fixes them in one go.
 */
export async function buildRecipes(
  env: NodeJS.ProcessEnv,
  log: Logger,
  only?: string,
  factories: readonly RecipeFactory[] = shippedRecipes,
  process: {
    /** The process's LLM ledger (see `openLlmSpend`); without it model calls are neither counted nor capped. */
    llmSpend?: LlmSpend;
    /** The data folder, for what recipes keep beside the runs (the Airtable call count). */
    dataDir?: string;
    /** Scale-out (BATON_REDIS_URL): the group's Gmail cap, do-not-contact list, Airtable calls, slots. */
    coordination?: RecipeCoordination;
  } = {},
): Promise<Recipe[]> {
  const wanted = factories.filter((f) => (only ? f.name === only : f.configured(env)));
  if (only && wanted.length === 0) {
    throw new ConfigProblems([
      `There is no recipe named '${only}' (shipped: ${factories.map((f) => f.name).join(', ') || 'none'})`,
    ]);
  }
  // Recipes share the business profile: a missing SENDER_NAME is one problem, not one per recipe.
  const problems = [...new Set(wanted.flatMap((f) => f.problems(env)))];
  if (problems.length > 0) throw new ConfigProblems(problems);
  return Promise.all(wanted.map((f) => f.create({ env, log, clock: systemClock, ...process })));
}
