// How many leads predate the recipe's first start: they wait for a deliberate backfill, never for a
// surprise mass email (the line itself is shared with the pathway: ../shared/older-records.ts).
import type { AirtableClient, TableRef } from '../../connectors/airtable/index.ts';
import { olderRecordsFinding, recordsEnabledAt } from '../shared/older-records.ts';

/** When the leads trigger first polled (its cursor), or undefined before the first start. */
export const leadsEnabledAt = recordsEnabledAt;

/** The doctor's line on leads created before the first start that are still waiting (one list request per page). */
export function olderLeadsFinding(
  airtable: AirtableClient,
  table: TableRef & { view?: string },
  enabledAt: string | undefined,
  backfill: boolean,
): Promise<string> {
  return olderRecordsFinding(airtable, table, enabledAt, backfill, {
    noun: 'lead',
    recipe: 'leads',
    backfillVariable: 'LEADS_BACKFILL',
  });
}
