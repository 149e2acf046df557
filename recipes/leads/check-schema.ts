// `baton doctor` for the leads recipe's data: the Leads table's fields, the Baton table, the dossier's properties, the review lists.

import { airtableInstanceHome } from '../../connectors/airtable/index.ts';
import type { DoctorCheck } from '../../src/cli/commands/doctor.ts';
import { checkInstances } from '../../src/cli/commands/doctor-instances.ts';
import { loadRuntimeConfig } from '../../src/config.ts';
import { reviewListNames, type SharedServices } from '../shared/services.ts';
import {
  checkAirtableFields,
  checkBatonTable,
  checkNotionProperties,
  checkTrelloLists,
  required,
} from '../shared/setup/index.ts';
import { leadsEnabledAt, olderLeadsFinding } from './older-leads.ts';
import { LEADS_AIRTABLE_FIELDS, LEADS_NOTION_PROPERTIES, LEADS_USER_FIELDS, leadsTable } from './schema.ts';

/**
 * The checks, each resolving with what it found or throwing an Error that says the fix (`baton setup`
 * for what Baton can create; a person for the user's fields, a wrong type, a Status-type `Status`).
 */
export async function checkLeadsSchema(
  services: SharedServices,
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck[]> {
  const table = leadsTable(env);
  return [
    {
      label: `Airtable ${table.table} table`,
      run: () => {
        required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
        return checkAirtableFields(services.airtable(), table, LEADS_AIRTABLE_FIELDS, LEADS_USER_FIELDS);
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
      label: 'Notion dossier database',
      run: () => {
        const ref = required(env, 'LEADS_NOTION_DATABASE_ID', "the dossier database's link or id");
        return checkNotionProperties(services.notion(), ref, LEADS_NOTION_PROPERTIES);
      },
    },
    {
      label: 'Older leads',
      needs: `Airtable ${table.table} table`,
      run: async () => {
        const view = env.LEADS_VIEW?.trim();
        const runtime = loadRuntimeConfig(env);
        const source = { ...table, ...(view ? { view } : {}) };
        const enabledAt = runtime.ok ? await leadsEnabledAt(runtime.config.dataDir, source) : undefined;
        const backfill = /^(true|1|yes)$/i.test(env.LEADS_BACKFILL?.trim() ?? '');
        return olderLeadsFinding(services.airtable(), source, enabledAt, backfill);
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
