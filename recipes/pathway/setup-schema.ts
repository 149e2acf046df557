// `baton setup pathway`: the Contacts table's fields, the Baton table, the review board's lists.
import type { RecipeEnvironment } from '../index.ts';
import { reviewListNames, sharedServices } from '../shared/services.ts';
import {
  ensureAirtableFields,
  ensureBatonTable,
  ensureTrelloLists,
  required,
  runStep,
  type SetupIo,
  type SetupReport,
} from '../shared/setup/index.ts';
import { PATHWAY_AIRTABLE_FIELDS, PATHWAY_USER_FIELDS, pathwayTable } from './schema.ts';

/**
 * Creates what the pathway needs and is missing, one line per step: Baton's fields in the Contacts
 * table (needs schema.bases:write; without it, the fields to add by hand), the `Baton` table (one
 * Baton per base), the review board's lists (shared with the other recipes). Running it again
 * creates nothing. Never throws: a step that cannot run says why. The views (VIP, Needs review,
 * Spam) are the team's own: the README says how to make them.
 */
export async function pathwaySetup(environment: RecipeEnvironment, io: SetupIo): Promise<SetupReport> {
  const { env } = environment;
  const services = sharedServices(environment);
  const report: SetupReport = { recipe: 'pathway', steps: [] };
  const table = pathwayTable(env);
  await runStep(report, io, `Airtable ${table.table}`, async () => {
    required(env, 'AIRTABLE_TOKEN', 'a personal access token for the base');
    required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
    return ensureAirtableFields(services.airtable(), table, PATHWAY_AIRTABLE_FIELDS, PATHWAY_USER_FIELDS);
  });
  await runStep(report, io, 'Airtable Baton table', async () => {
    required(env, 'AIRTABLE_TOKEN', 'a personal access token for the base');
    const base = required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
    return ensureBatonTable(services.airtable(), base);
  });
  await runStep(report, io, 'Trello board', async () => {
    required(env, 'TRELLO_API_KEY', 'your Trello API key');
    required(env, 'TRELLO_TOKEN', 'a Trello token for the key');
    const board = required(env, 'TRELLO_BOARD_ID', "the review board's id");
    const names = Object.values(reviewListNames(env)).map((l) => l.name);
    return ensureTrelloLists(services.trello(), board, names);
  });
  return report;
}
