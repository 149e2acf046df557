// AirtableClient over airtable.js: listing and paging, batched writes, idempotent upserts, faults and clear errors.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TableRef } from '../../../connectors/airtable/index.ts';
import { AuthError, NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { AirtableEmulator } from '../../../src/sandbox/airtable/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { fastClient, leadsTable, TOKEN } from './fixture.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken(TOKEN);

let leads: TableRef & { tableId: string };
beforeEach(() => {
  leads = leadsTable(airtable);
  airtable.requests.clear();
});
afterEach(() => airtable.faults.clear());

function addLeads(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    airtable.addRecord(leads.base, 'Leads', { Name: `Lead ${i}`, Email: `lead${i}@example.com`, Score: i }),
  );
}

describe('reading', () => {
  it('lists a page, then the next with its offset, asking Airtable to filter and trim', async () => {
    const ids = addLeads(5);
    const client = fastClient();
    const query = { filterByFormula: '{Score} >= 1', fields: ['Name'], pageSize: 2 };
    const first = await client.listPage(leads, query);
    expect(first.records.map((r) => r.fields)).toEqual([{ Name: 'Lead 1' }, { Name: 'Lead 2' }]);
    const second = await client.listPage(leads, query, first.offset);
    expect(second.records.map((r) => r.id)).toEqual(ids.slice(3, 5));
    expect(second.offset).toBeUndefined();
    expect(airtable.requests.all()[0]?.path).toContain('filterByFormula=');
  });

  it('lists everything across pages, starting over once when Airtable drops the listing midway', async () => {
    const ids = addLeads(7);
    const client = fastClient();
    expect((await client.listAll(leads, { pageSize: 3 })).map((r) => r.id)).toEqual(ids);

    airtable.requests.clear();
    airtable.expireIteratorsOnNextPage(1);
    expect((await client.listAll(leads, { pageSize: 3 })).map((r) => r.id)).toEqual(ids);
    expect(airtable.requests.all().map((r) => r.status)).toEqual([200, 422, 200, 200, 200]);

    airtable.expireIteratorsOnNextPage(2);
    const err = await client.listAll(leads, { pageSize: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as Error).message).toMatch(/iterator/i);
  });

  it('reads one record, and answers undefined for a deleted one', async () => {
    const [id] = addLeads(1);
    const client = fastClient();
    expect(await client.getRecord(leads, id!)).toMatchObject({ id, fields: { Name: 'Lead 0' } });
    airtable.deleteRecord(leads.base, 'Leads', id!);
    expect(await client.getRecord(leads, id!)).toBeUndefined();
  });
});

describe('writing', () => {
  it('updates 23 records in batches of 10', async () => {
    const ids = addLeads(23);
    const client = fastClient();
    await client.updateRecords(
      leads,
      ids.map((id) => ({ id, fields: { Status: 'Pitched' } })),
    );
    expect(airtable.records(leads.base, 'Leads').every((r) => r.fields.Status === 'Pitched')).toBe(true);
    expect(airtable.requests.count({ method: 'PATCH' })).toBe(3);
  });

  it('upserts by a key: running it twice (a crash before the journal) leaves one record per key', async () => {
    const client = fastClient();
    const rows = Array.from({ length: 12 }, (_, i) => ({ Email: `p${i}@example.com`, Name: `P${i}` }));
    const first = await client.upsert(leads, rows, { mergeOn: ['Email'] });
    expect(first.created).toHaveLength(12);
    expect(first.updated).toEqual([]);
    const again = await client.upsert(leads, rows, { mergeOn: ['Email'] });
    expect(again.created).toEqual([]);
    expect(again.updated.sort()).toEqual(first.created.sort());
    expect(airtable.records(leads.base, 'Leads')).toHaveLength(12);
    expect(airtable.requests.count({ method: 'PATCH' })).toBe(4); // 10 + 2, twice
  });

  it('upserts exactly once when the answer is lost and the request retried', async () => {
    const client = fastClient();
    airtable.loseNextResponses(1);
    const result = await client.upsert(leads, [{ Email: 'ada@example.com', Name: 'Ada' }], {
      mergeOn: ['Email'],
    });
    expect(airtable.records(leads.base, 'Leads').map((r) => r.fields)).toEqual([
      { Email: 'ada@example.com', Name: 'Ada' },
    ]);
    expect(result.updated).toHaveLength(1); // the retry found the record the lost request had created
  });

  it('refuses an upsert whose records lack the key, before sending anything', async () => {
    const client = fastClient();
    const err = await client.upsert(leads, [{ Name: 'No email' }], { mergeOn: ['Email'] }).catch((e) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err.message).toContain('Email');
    expect(airtable.requests.count()).toBe(0);
  });
});

describe('faults', () => {
  it('retries 503s and dropped connections, then succeeds', async () => {
    addLeads(1);
    const client = fastClient();
    airtable.faults.failNext(2, 503);
    airtable.faults.dropNext(1);
    expect(await client.listAll(leads)).toHaveLength(1);
    expect(airtable.requests.all().map((r) => r.status)).toEqual([0, 503, 503, 200]);
  });

  it('gives up on a 500 that persists with a retryable error', async () => {
    const client = fastClient({ policy: { maxAttempts: 2 } });
    airtable.faults.failNext(5, 500);
    const err = await client.listAll(leads).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ retryable: true, status: 500 });
    expect(airtable.requests.count()).toBe(2);
  });

  it('says which setting to fix for a refused token, a wrong base or table, and never shows the token', async () => {
    const wrongToken = fastClient({ token: 'pat-revoked-secret' });
    const auth = await wrongToken.listAll(leads).catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(AuthError);
    expect((auth as Error).message).toContain(
      'check AIRTABLE_TOKEN (a personal access token with data.records:read/write on the base)',
    );
    expect((auth as Error).message).not.toContain('pat-revoked-secret');
    expect(airtable.requests.count()).toBe(1); // not retried

    const client = fastClient({ configHints: { base: 'LEADS_BASE_ID', table: 'LEADS_TABLE' } });
    const table = await client.listAll({ ...leads, table: 'Contacts' }).catch((e: unknown) => e);
    expect(table).toBeInstanceOf(NotFoundError);
    expect((table as Error).message).toMatch(/table 'Contacts'.*check LEADS_BASE_ID and LEADS_TABLE/);
  });
});

describe('validateFields', () => {
  it('passes when every field exists, and names every missing one otherwise', async () => {
    const client = fastClient();
    await expect(client.validateFields(leads, ['Name', 'Email', 'Status'])).resolves.toBeUndefined();
    const err = await client.validateFields(leads, ['Name', 'status', 'Stage']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toContain(`Airtable table 'Leads' has no fields "status", "Stage"`);
  });
});
