// The shipped recipes, and how the CLI builds them from the environment.
import type { Clock } from '../src/clock.ts';
import type { Recipe } from '../src/engine/index.ts';
import type { LlmSpend } from '../src/llm/index.ts';
import type { Logger } from '../src/log.ts';
import { pitchFactory } from './pitch/setup.ts';
import type { ServiceTuning } from './shared/services.ts';

/** What a recipe factory gets to build its connectors and triggers. */
export interface RecipeEnvironment {
  env: NodeJS.ProcessEnv;
  log: Logger;
  clock: Clock;
  /**
   * The process's LLM ledger: a recipe builds its models with it (`llmFor(…, { meter })`) so every
   * call is counted under the recipe's name and capped by BATON_LLM_DAILY_BUDGET.
   */
  llmSpend?: LlmSpend;
  /**
   * Client tuning for every recipe built from this environment (`sharedServices` and a factory's own
   * default): the bench lifts the rate budgets of a separate Baton process whose emulators are relaxed.
   */
  tuning?: ServiceTuning;
}

/**
 * A shipped recipe as the CLI sees it: whether the user configured it, what is wrong with its
 * configuration (every problem at once, each naming the variable), and how to build it.
 */
export interface RecipeFactory {
  name: string;
  /** True when the user set any of this recipe's variables: then it must be complete. */
  configured(env: NodeJS.ProcessEnv): boolean;
  problems(env: NodeJS.ProcessEnv): string[];
  create(environment: RecipeEnvironment): Recipe | Promise<Recipe>;
}

export const shippedRecipes: readonly RecipeFactory[] = [pitchFactory];
