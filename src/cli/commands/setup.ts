// `baton setup [recipe…]`: creates what the recipes need and is missing (Airtable fields, Notion
// properties, Trello lists), idempotently, printing what it did. Exit 1 when something needs a person.
import { type RecipeFactory, shippedRecipes } from '../../../recipes/index.ts';
import { type ServiceTuning, sharedServices } from '../../../recipes/shared/services.ts';
import { type SetupIo, setupDone } from '../../../recipes/shared/setup/index.ts';
import { type Clock, systemClock } from '../../clock.ts';
import { type Logger, silentLogger } from '../../log.ts';
import { EXIT_CONFIG } from '../environment.ts';

export interface SetupOptions {
  /** The recipes to choose from (the shipped ones by default). */
  factories?: readonly RecipeFactory[];
  /** Client tuning (tests pass relaxed limits). */
  tuning?: ServiceTuning;
  log?: Logger;
  clock?: Clock;
}

/**
 * Runs the setup of the recipes named in `names`, or of every configured recipe when none is named.
 * Returns the exit code: 0 when everything is there or was created, 1 when something needs a person,
 * 78 (EX_CONFIG) for an unknown recipe name or when no recipe is configured.
 */
export async function runSetup(
  env: NodeJS.ProcessEnv,
  names: readonly string[],
  io: SetupIo,
  options: SetupOptions = {},
): Promise<number> {
  const factories = options.factories ?? shippedRecipes;
  const say = (text: string) => (io.err ?? io.out)(text);
  const unknown = names.filter((n) => !factories.some((f) => f.name === n));
  if (unknown.length > 0) {
    const list = unknown.map((n) => `'${n}'`).join(', ');
    say(
      `✗ There is no recipe named ${list} — the shipped recipes are ${factories.map((f) => f.name).join(', ') || 'none'}`,
    );
    return EXIT_CONFIG;
  }
  const chosen =
    names.length > 0
      ? factories.filter((f) => names.includes(f.name))
      : factories.filter((f) => f.configured(env));
  if (chosen.length === 0) {
    say(
      `✗ No recipe is configured — fill in a recipe's section of .env (see .env.example), or name one: baton setup ${factories.map((f) => f.name).join('|')}`,
    );
    return EXIT_CONFIG;
  }
  const environment = { env, log: options.log ?? silentLogger, clock: options.clock ?? systemClock };
  // Made here with the tuning, so every recipe's setup shares these clients.
  sharedServices(environment, options.tuning);
  let needsYou = 0;
  for (const factory of chosen) {
    io.out(`${factory.name}:`);
    if (!factory.setup) {
      io.out(`– nothing to set up for ${factory.name}`);
      continue;
    }
    try {
      const report = await factory.setup(environment, io);
      if (!setupDone(report)) needsYou += report.steps.filter((s) => !s.ok).length;
    } catch (err) {
      needsYou++;
      io.out(`✗ ${factory.name}: setup stopped: ${(err as Error)?.message ?? String(err)}`);
    }
  }
  io.out(
    needsYou === 0
      ? '\nEverything is in place: run `baton doctor` to check the rest, then `baton start`.'
      : `\n${needsYou} step(s) need you: fix the ✗ lines above, then run \`baton setup\` again.`,
  );
  return needsYou === 0 ? 0 : 1;
}
