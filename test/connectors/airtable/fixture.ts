// A Leads table in an Airtable emulator and a fast-retrying AirtableClient for the connector tests.
import {
  AirtableClient,
  type AirtableClientOptions,
  type TableRef,
} from '../../../connectors/airtable/index.ts';
import type { AirtableEmulator } from '../../../src/sandbox/airtable/index.ts';

export const TOKEN = 'pat-baton-test';

/**
 * What Baton's token usually is: an Editor of the base (records only, no new select options) that may
 * read the schema to learn the Status field's type.
 */
export const EDITOR: Parameters<AirtableEmulator['addToken']>[1] = {
  permission: 'edit',
  scopes: ['data.records:read', 'data.records:write', 'schema.bases:read'],
};

/** A CRM base with a Leads table (Name, Email, Company, Score, Status, Baton Run, Note); Status is a single select. */
export function leadsTable(airtable: AirtableEmulator): TableRef & { tableId: string } {
  const base = airtable.createBase('CRM');
  const tableId = airtable.createTable(base, 'Leads', [
    { name: 'Name', type: 'singleLineText' },
    { name: 'Email', type: 'email' },
    { name: 'Company', type: 'singleLineText' },
    { name: 'Score', type: 'number' },
    { name: 'Status', type: 'singleSelect', choices: ['Queued', 'Researching', 'Pitched', 'Skipped'] },
    { name: 'Baton Run', type: 'singleLineText' },
    { name: 'Note', type: 'multilineText' },
  ]);
  return { base, table: 'Leads', tableId };
}

/** A client with tiny delays so retries do not slow the tests (a 429 waits 5 ms instead of 30 s). */
export function fastClient(options: Partial<AirtableClientOptions> = {}): AirtableClient {
  return new AirtableClient({
    token: TOKEN,
    perBase: { limit: 1000, intervalMs: 1000 },
    rateLimitedDelayMs: 5,
    ...options,
    policy: { initialDelayMs: 1, maxDelayMs: 10, maxAttempts: 4, ...options.policy },
  });
}
