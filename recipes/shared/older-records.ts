// The doctor's line on records that predate a records trigger's first enable: they wait for a
// deliberate backfill, never for a surprise mass email. Shared by the leads recipe and the pathway.
import type { AirtableClient, TableRef } from '../../connectors/airtable/index.ts';
import { formula, recordsTriggerId } from '../../connectors/airtable/index.ts';
import { FileStore } from '../../src/store/index.ts';

/** When the records trigger on `table` first polled (its cursor), or undefined before the first start. */
export async function recordsEnabledAt(
  dataDir: string,
  table: TableRef & { view?: string },
): Promise<string | undefined> {
  // Reading a cursor needs no lock: doctor may look while `baton start` owns the folder.
  const cursor = await new FileStore({ dir: dataDir }).getCursor<{ enabledAt?: string }>(
    recordsTriggerId(table),
  );
  return cursor?.enabledAt;
}

/** How the line names the records and the way to process them. */
export interface OlderRecordsWords {
  /** `lead`, `contact`: the line says `3 lead(s)`, `no leads waiting yet`. */
  noun: string;
  recipe: string;
  /** The variable that turns the backfill on (`LEADS_BACKFILL`). */
  backfillVariable: string;
  /** A formula for records that are work whenever they were created (the trigger's `newAnyTime`). */
  newAnyTime?: string;
}

/**
 * The doctor's line on records without a Status created before the first start (one list request per
 * page): how many there are, and that `baton run <recipe> --backfill` processes them.
 */
export async function olderRecordsFinding(
  airtable: AirtableClient,
  table: TableRef & { view?: string },
  enabledAt: string | undefined,
  backfill: boolean,
  words: OlderRecordsWords,
): Promise<string> {
  const { noun, recipe, backfillVariable, newAnyTime } = words;
  const waiting = formula.isEmpty('Status');
  const older = formula.and(
    waiting,
    enabledAt ? `IS_BEFORE(CREATED_TIME(), DATETIME_PARSE(${formula.text(enabledAt)}))` : undefined,
    newAnyTime ? `NOT(${newAnyTime})` : undefined,
  );
  const records = await airtable.listAll(table, {
    filterByFormula: older,
    fields: ['Status'],
    ...(table.view ? { view: table.view } : {}),
  });
  const n = records.length;
  const command = `\`baton run ${recipe} --backfill\``;
  if (backfill) return `${n} ${noun}(s) without a Status will be processed (${backfillVariable} is on)`;
  if (n === 0)
    return enabledAt ? `none older than the first start (${enabledAt})` : `no ${noun}s waiting yet`;
  return enabledAt
    ? `${n} ${noun}(s) created before the first start (${enabledAt}) are waiting: run ${command} to process them on purpose`
    : `${n} ${noun}(s) are in the table already: the first start leaves them alone (run ${command} to process them)`;
}
