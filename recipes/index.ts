// The shipped recipes, and how the CLI builds them from the environment.

import type { DoctorCheck } from '../src/cli/commands/doctor.ts';
import type { Clock } from '../src/clock.ts';
import type { Recipe } from '../src/engine/index.ts';
import type { LlmSpend } from '../src/llm/index.ts';
import type { Logger } from '../src/log.ts';
import { contentFactory } from './content/setup.ts';
import { leadsFactory } from './leads/setup.ts';
import { newsletterFactory } from './newsletter/setup.ts';
import { pathwayFactory } from './pathway/setup.ts';
import { pitchFactory } from './pitch/setup.ts';
import { sequenceFactory } from './sequence/setup.ts';
import type { RecipeCoordination } from './shared/coordination.ts';
import type { ServiceTuning, SharedServices } from './shared/services.ts';
import type { SetupIo, SetupReport } from './shared/setup/index.ts';

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
  /** The data folder, for what a recipe keeps beside the runs (the Airtable call count). */
  dataDir?: string;
  /**
   * Client tuning for every recipe built from this environment (`sharedServices` and a factory's own
   * default): the bench lifts the rate budgets of a separate Baton process whose emulators are relaxed.
   */
  tuning?: ServiceTuning;
  /**
   * Scale-out (BATON_REDIS_URL): the counters shared by every process of the group — the Gmail
   * daily cap, do-not-contact, the Airtable monthly calls, the content slots. Absent: per process.
   */
  coordination?: RecipeCoordination;
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
  /**
   * `baton setup`: creates what the recipe needs and is missing (fields, properties, lists), prints a
   * line per step to `io`, and never throws: a step that needs a person is reported `ok: false`.
   */
  setup?(environment: RecipeEnvironment, io: SetupIo): Promise<SetupReport>;
  /** `baton doctor`: checks of what `setup` creates (and what the user must provide). */
  schemaChecks?(services: SharedServices, env: NodeJS.ProcessEnv): Promise<DoctorCheck[]>;
}

export const shippedRecipes: readonly RecipeFactory[] = [
  pitchFactory,
  leadsFactory,
  pathwayFactory,
  sequenceFactory,
  newsletterFactory,
  contentFactory,
];
