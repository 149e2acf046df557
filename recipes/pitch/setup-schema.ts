// `baton setup pitch`: the review board's lists. The lead sheet needs nothing: Baton adds its columns itself.
import type { RecipeEnvironment } from '../index.ts';
import { reviewListNames, sharedServices } from '../shared/services.ts';
import {
  ensureTrelloLists,
  required,
  runStep,
  type SetupIo,
  type SetupReport,
} from '../shared/setup/index.ts';

/** Creates the review board's missing lists (shared with every recipe) and says what the sheet needs. */
export async function pitchSetup(environment: RecipeEnvironment, io: SetupIo): Promise<SetupReport> {
  const { env } = environment;
  const report: SetupReport = { recipe: 'pitch', steps: [] };
  await runStep(report, io, 'Lead sheet', async () => ({
    label: 'Lead sheet',
    ok: true,
    created: [],
    existing: [],
    problems: [],
    summary:
      'nothing to create — Baton adds its Status column itself on its first run (the sheet needs Name and Email columns)',
  }));
  await runStep(report, io, 'Trello board', async () => {
    required(env, 'TRELLO_API_KEY', 'your Trello API key');
    required(env, 'TRELLO_TOKEN', 'a Trello token for the key');
    const board = required(env, 'TRELLO_BOARD_ID', "the review board's id");
    const names = Object.values(reviewListNames(env)).map((l) => l.name);
    return ensureTrelloLists(sharedServices(environment).trello(), board, names);
  });
  return report;
}
