// Who gets this week's issue: the records of NEWSLETTER_VIEW in NEWSLETTER_TABLE, each address once,
// without records ticked Unsubscribed (the send checks every table and unsubscribe reply again).
import type { AirtableClient, AirtableRecord } from '../../connectors/airtable/index.ts';
import { UNSUBSCRIBED_FIELD } from '../shared/sending/index.ts';

export interface Subscriber {
  /** Lower-cased and trimmed: the key of the per-recipient send. */
  email: string;
  firstName?: string;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

/** `First name` when the table has it, else the first word of `Name`. */
export function firstNameOf(fields: Record<string, unknown>): string | undefined {
  const first = text(fields['First name']) || text(fields.Name).split(/\s+/)[0] || '';
  return first || undefined;
}

/** The view's people in its order, each address once (the first record wins), valid addresses only. */
export function subscribersOf(records: readonly AirtableRecord[]): Subscriber[] {
  const seen = new Set<string>();
  const out: Subscriber[] = [];
  for (const record of records) {
    if (record.fields[UNSUBSCRIBED_FIELD] === true) continue;
    const email = text(record.fields.Email).toLowerCase();
    if (!ADDRESS.test(email) || seen.has(email)) continue;
    seen.add(email);
    const firstName = firstNameOf(record.fields);
    out.push({ email, ...(firstName ? { firstName } : {}) });
  }
  return out;
}

/** Reads the whole view (100 records a request). @throws the client's error naming the view when it is missing */
export async function readSubscribers(
  airtable: AirtableClient,
  source: { base: string; table: string; view: string },
): Promise<Subscriber[]> {
  const records = await airtable.listAll({ base: source.base, table: source.table }, { view: source.view });
  return subscribersOf(records);
}
