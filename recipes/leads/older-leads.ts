// How many leads predate the recipe's first start: they wait for a deliberate backfill, never for a
// surprise mass email.
import type { AirtableClient, TableRef } from '../../connectors/airtable/index.ts';
import { formula, recordsTriggerId } from '../../connectors/airtable/index.ts';
import { FileStore } from '../../src/store/index.ts';

/** When the leads trigger first polled (its cursor), or undefined before the first start. */
export async function leadsEnabledAt(
  dataDir: string,
  table: TableRef & { view?: string },
): Promise<string | undefined> {
  // Reading a cursor needs no lock: doctor may look while `baton start` owns the folder.
  const cursor = await new FileStore({ dir: dataDir }).getCursor<{ enabledAt?: string }>(
    recordsTriggerId(table),
  );
  return cursor?.enabledAt;
}

/** The doctor's line on leads created before the first start that are still waiting (one list request per page). */
export async function olderLeadsFinding(
  airtable: AirtableClient,
  table: TableRef & { view?: string },
  enabledAt: string | undefined,
  backfill: boolean,
): Promise<string> {
  const waiting = formula.isEmpty('Status');
  const older = enabledAt
    ? formula.and(waiting, `IS_BEFORE(CREATED_TIME(), DATETIME_PARSE(${formula.text(enabledAt)}))`)
    : waiting;
  const records = await airtable.listAll(table, {
    filterByFormula: older,
    fields: ['Status'],
    ...(table.view ? { view: table.view } : {}),
  });
  const n = records.length;
  if (backfill) return `${n} lead(s) without a Status will be processed (LEADS_BACKFILL is on)`;
  if (n === 0) return enabledAt ? `none older than the first start (${enabledAt})` : 'no leads waiting yet';
  return enabledAt
    ? `${n} lead(s) created before the first start (${enabledAt}) are waiting: run \`baton run leads --backfill\` to process them on purpose`
    : `${n} lead(s) are in the table already: the first start leaves them alone (run \`baton run leads --backfill\` to process them)`;
}
