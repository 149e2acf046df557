// `baton doctor` for the pathway's data: the Contacts table's fields, the Baton table, the contacts
// older than the first start, the review lists.
import { airtableInstanceHome } from '../../connectors/airtable/index.ts';
import type { DoctorCheck } from '../../src/cli/commands/doctor.ts';
import { checkInstances } from '../../src/cli/commands/doctor-instances.ts';
import { loadRuntimeConfig } from '../../src/config.ts';
import { recordsEnabledAt } from '../shared/older-records.ts';
import { reviewListNames, type SharedServices } from '../shared/services.ts';
import { checkAirtableFields, checkBatonTable, checkTrelloLists, required } from '../shared/setup/index.ts';
import { olderContactsFinding } from './older-contacts.ts';
import { PATHWAY_AIRTABLE_FIELDS, PATHWAY_USER_FIELDS, pathwayTable } from './schema.ts';

/** The checks, each resolving with what it found or throwing an Error that says the fix. */
export async function checkPathwaySchema(
  services: SharedServices,
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck[]> {
  const table = pathwayTable(env);
  return [
    {
      label: `Airtable ${table.table} table`,
      run: () => {
        required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
        return checkAirtableFields(services.airtable(), table, PATHWAY_AIRTABLE_FIELDS, PATHWAY_USER_FIELDS);
      },
    },
    {
      label: 'Airtable Baton table',
      needs: `Airtable ${table.table} table`,
      run: () =>
        checkBatonTable(
          services.airtable(),
          required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)"),
        ),
    },
    {
      label: 'Older contacts',
      needs: `Airtable ${table.table} table`,
      run: async () => {
        const runtime = loadRuntimeConfig(env);
        const enabledAt = runtime.ok ? await recordsEnabledAt(runtime.config.dataDir, table) : undefined;
        const backfill = /^(true|1|yes)$/i.test(env.PATHWAY_BACKFILL?.trim() ?? '');
        return olderContactsFinding(services.airtable(), table, enabledAt, backfill);
      },
    },
    {
      label: 'Other Baton instances on Airtable',
      needs: `Airtable ${table.table} table`,
      run: () => checkInstances(env, [airtableInstanceHome(services.airtable(), table.base)]),
    },
    {
      label: 'Review board lists',
      run: () => {
        const board = required(env, 'TRELLO_BOARD_ID', "the review board's id");
        const names = Object.values(reviewListNames(env)).map((l) => l.name);
        return checkTrelloLists(services.trello(), board, names);
      },
    },
  ];
}
