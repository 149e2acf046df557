// How many contacts predate the pathway's first start: they are left alone until a deliberate
// `baton run pathway --backfill`.
import type { AirtableClient, TableRef } from '../../connectors/airtable/index.ts';
import { olderRecordsFinding } from '../shared/older-records.ts';
import { MADE_FROM_MAIL } from './schema.ts';

/** The doctor's line on contacts without a Status created before the first start (one list request per page). */
export function olderContactsFinding(
  airtable: AirtableClient,
  table: TableRef,
  enabledAt: string | undefined,
  backfill: boolean,
): Promise<string> {
  return olderRecordsFinding(airtable, table, enabledAt, backfill, {
    noun: 'contact',
    recipe: 'pathway',
    backfillVariable: 'PATHWAY_BACKFILL',
    newAnyTime: MADE_FROM_MAIL,
  });
}
