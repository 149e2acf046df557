// `baton setup leads`: the Leads table's fields, the Baton table, the dossier database's properties, the review board's lists.
import type { RecipeEnvironment } from '../index.ts';
import { reviewListNames, sharedServices } from '../shared/services.ts';
import {
  ensureAirtableFields,
  ensureBatonTable,
  ensureNotionProperties,
  ensureTrelloLists,
  required,
  runStep,
  type SetupIo,
  type SetupReport,
} from '../shared/setup/index.ts';
import { LEADS_AIRTABLE_FIELDS, LEADS_NOTION_PROPERTIES, LEADS_USER_FIELDS, leadsTable } from './schema.ts';

/**
 * Creates what the leads recipe needs and is missing, printing one line per step: Baton's fields in
 * the Airtable table (needs schema.bases:write; without it, the fields to add by hand), the `Baton`
 * table where instances announce themselves (one Baton per base), the dossier
 * database's properties (one data source update), the review board's lists (shared with the pitch).
 * Running it again creates nothing. Never throws: a step that cannot run says why.
 */
export async function leadsSetup(environment: RecipeEnvironment, io: SetupIo): Promise<SetupReport> {
  const { env } = environment;
  const services = sharedServices(environment);
  const report: SetupReport = { recipe: 'leads', steps: [] };
  const table = leadsTable(env);
  await runStep(report, io, `Airtable ${table.table}`, async () => {
    required(env, 'AIRTABLE_TOKEN', 'a personal access token for the base');
    required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
    return ensureAirtableFields(services.airtable(), table, LEADS_AIRTABLE_FIELDS, LEADS_USER_FIELDS);
  });
  await runStep(report, io, 'Airtable Baton table', async () => {
    required(env, 'AIRTABLE_TOKEN', 'a personal access token for the base');
    const base = required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
    return ensureBatonTable(services.airtable(), base);
  });
  await runStep(report, io, 'Notion dossier database', async () => {
    required(env, 'NOTION_TOKEN', "the Notion integration's secret");
    const ref = required(env, 'LEADS_NOTION_DATABASE_ID', "the dossier database's link or id");
    const step = await ensureNotionProperties(
      services.notion(),
      ref,
      LEADS_NOTION_PROPERTIES,
      'Notion dossier database',
    );
    // The title property keeps its name: the lead's name goes there.
    return step.title ? { ...step, existing: [`${step.title} (title)`, ...step.existing] } : step;
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
