// Actions a recipe takes on a claimed record: read it again, and write its status (plus result fields).
import { NotFoundError } from '../core/index.ts';
import type { AirtableClient } from './client.ts';
import type { AirtableItem } from './records.ts';
import { statusCells } from './status.ts';
import type { AirtableRecord } from './types.ts';

/** A claimed record: the payload a `records` trigger handed to the run (its `token` set by the claim). */
export type ClaimedRecord = Pick<AirtableItem, 'recordId' | 'source' | 'token'>;

function noLongerClaimed(ref: ClaimedRecord): NotFoundError {
  return new NotFoundError(
    'airtable',
    `Record ${ref.recordId} of table '${ref.source.table}' no longer carries run ${ref.recordId}#${ref.token ?? '?'}`,
    { hint: 'the record was deleted, or its status was cleared so it runs again; nothing was written' },
  );
}

/**
 * The claimed record as it is now (one request).
 * @throws NotFoundError when it was deleted, or (with a run field) no longer carries this claim
 */
export async function readClaimed(client: AirtableClient, ref: ClaimedRecord): Promise<AirtableRecord> {
  const record = await client.getRecord(ref.source, ref.recordId);
  const runField = ref.source.runField;
  const key = `${ref.recordId}#${ref.token}`;
  if (!record || (runField && (!ref.token || record.fields[runField] !== key))) {
    throw noLongerClaimed(ref);
  }
  return record;
}

/**
 * Writes `status` (e.g. `Pitched` or `Skipped: no email`) into the record's status field and
 * `extraFields` into the same record, in one request. On a single-select status field only the word
 * before `:` is written and the rest goes into the source's `detailField` (see `statusCells`); the word must be an
 * option already unless the token's user is a Creator of the base. With a run field, checks first that
 * the record still carries this claim. Idempotent: writing the same values again changes nothing.
 * @throws NotFoundError when the record is gone or was re-queued by a person
 */
export async function setRecordStatus(
  client: AirtableClient,
  ref: ClaimedRecord,
  status: string,
  extraFields: Record<string, unknown> = {},
): Promise<AirtableRecord> {
  if (ref.source.runField) await readClaimed(client, ref);
  const cells = await statusCells(client, ref.source, status, ref.source);
  const fields = { ...extraFields, ...cells };
  const [written] = await client.updateRecords(ref.source, [{ id: ref.recordId, fields }], {
    typecast: true,
  });
  if (!written) throw noLongerClaimed(ref);
  return written;
}
