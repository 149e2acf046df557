// How many leads predate the recipe's first start: they wait for a deliberate backfill, never for a
// surprise mass email.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AirtableClient, TableRef } from '../../connectors/airtable/index.ts';
import { formula } from '../../connectors/airtable/index.ts';

/** Where the FileStore keeps a trigger's cursor (cursors/<name>.json). */
function cursorFile(dataDir: string, triggerId: string): string {
  return join(dataDir, 'cursors', `${encodeURIComponent(triggerId).replaceAll('%', '_')}.json`);
}

/** When the leads trigger first polled (its cursor), or undefined before the first start. */
export async function leadsEnabledAt(dataDir: string, triggerId: string): Promise<string | undefined> {
  try {
    const cursor = JSON.parse(await readFile(cursorFile(dataDir, triggerId), 'utf8')) as {
      enabledAt?: string;
    };
    return cursor.enabledAt;
  } catch {
    return undefined;
  }
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
