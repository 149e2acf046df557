// Status writes fit the Status field's type (an Editor token cannot add select options); setupTable adds missing fields.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ClaimedRecord,
  setRecordStatus,
  setupTable,
  type TableRef,
} from '../../../connectors/airtable/index.ts';
import { NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { AirtableEmulator } from '../../../src/sandbox/airtable/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { EDITOR, fastClient, TOKEN } from './fixture.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken(TOKEN, EDITOR);
const CREATOR = 'pat-creator';
airtable.addToken(CREATOR, {
  scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'schema.bases:write'],
});

let base: string;
const ref = (table: TableRef, recordId: string): ClaimedRecord => ({
  recordId,
  source: { ...table, statusField: 'Status', claimStatus: 'Queued' },
});
const cells = (table: string, id: string) => airtable.record(base, table, id)!.fields;

beforeEach(() => {
  base = airtable.createBase('CRM');
});

describe('status writes', () => {
  it('writes only the word into a single-select Status and the rest into Status detail', async () => {
    airtable.createTable(base, 'Leads', [
      { name: 'Name', type: 'singleLineText' },
      { name: 'Status', type: 'singleSelect', choices: ['Queued', 'Hot', 'Pitched'] },
      { name: 'Status detail', type: 'multilineText' },
    ]);
    const leads = { base, table: 'Leads' };
    const id = airtable.addRecord(base, 'Leads', { Name: 'Ada' });
    const client = fastClient();
    await setRecordStatus(client, ref(leads, id), 'Hot: replied within the hour');
    expect(cells('Leads', id)).toEqual({
      Name: 'Ada',
      Status: 'Hot',
      'Status detail': 'replied within the hour',
    });

    await setRecordStatus(client, ref(leads, id), 'Pitched');
    expect(cells('Leads', id)).toEqual({ Name: 'Ada', Status: 'Pitched' });
    // The field type was read once, not per write.
    expect(airtable.requests.count({ path: /\/v0\/meta\// })).toBe(1);
  });

  it('writes the whole text into a single line text Status', async () => {
    airtable.createTable(base, 'Leads', [
      { name: 'Name', type: 'singleLineText' },
      { name: 'Status', type: 'singleLineText' },
    ]);
    const id = airtable.addRecord(base, 'Leads', { Name: 'Ada' });
    await setRecordStatus(fastClient(), ref({ base, table: 'Leads' }, id), 'Skipped: no email');
    expect(cells('Leads', id)).toEqual({ Name: 'Ada', Status: 'Skipped: no email' });
  });

  it('says which option to add when an Editor token meets a word the select lacks', async () => {
    airtable.createTable(base, 'Leads', [
      { name: 'Name', type: 'singleLineText' },
      { name: 'Status', type: 'singleSelect', choices: ['Queued'] },
      { name: 'Status detail', type: 'multilineText' },
    ]);
    const id = airtable.addRecord(base, 'Leads', { Name: 'Ada' });
    const err = await setRecordStatus(
      fastClient(),
      ref({ base, table: 'Leads' }, id),
      'Cold: no answer',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect((err as ServiceError).hint).toContain('Creator');
    expect((err as ServiceError).hint).toContain('""Cold""');
    expect(cells('Leads', id)).toEqual({ Name: 'Ada' });
  });

  it('names the missing Status detail field instead of losing the reason', async () => {
    airtable.createTable(base, 'Leads', [{ name: 'Status', type: 'singleSelect', choices: ['Skipped'] }]);
    const id = airtable.addRecord(base, 'Leads', {});
    const err = await setRecordStatus(
      fastClient(),
      ref({ base, table: 'Leads' }, id),
      'Skipped: no email',
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toContain('"Status detail"');
  });
});

describe('setupTable', () => {
  it('creates the missing fields once, Status as single line text', async () => {
    const tableId = airtable.createTable(base, 'Leads', [{ name: 'Name', type: 'singleLineText' }]);
    const leads = { base, table: 'Leads' };
    const creator = fastClient({ token: CREATOR });
    expect(await setupTable(creator, leads)).toEqual({ created: ['Status', 'Status detail'], existing: [] });
    expect(await setupTable(creator, leads)).toEqual({ created: [], existing: ['Status', 'Status detail'] });
    const schema = await fetch(`https://api.airtable.com/v0/meta/bases/${base}/tables`, {
      headers: { Authorization: `Bearer ${CREATOR}` },
    }).then(
      (r) => r.json() as Promise<{ tables: { id: string; fields: { name: string; type: string }[] }[] }>,
    );
    expect(schema.tables[0]!.id).toBe(tableId);
    expect(schema.tables[0]!.fields.map((f) => [f.name, f.type])).toEqual([
      ['Name', 'singleLineText'],
      ['Status', 'singleLineText'],
      ['Status detail', 'multilineText'],
    ]);
    // Any status now fits, whatever the token's role.
    const id = airtable.addRecord(base, 'Leads', { Name: 'Ada' });
    await setRecordStatus(fastClient(), ref(leads, id), 'Skipped: no email');
    expect(cells('Leads', id)).toEqual({ Name: 'Ada', Status: 'Skipped: no email' });
  });

  it('tells an Editor token which scopes and role creating fields needs', async () => {
    airtable.createTable(base, 'Leads', [{ name: 'Name', type: 'singleLineText' }]);
    const err = await setupTable(fastClient(), { base, table: 'Leads' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as ServiceError).hint).toContain('schema.bases:write, as a Creator of the base');
    expect(airtable.records(base, 'Leads')).toEqual([]);
  });
});
