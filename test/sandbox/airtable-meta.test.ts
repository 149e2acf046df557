// The Airtable emulator's roles and metadata API: Editors cannot add select options; base schema; table and field creation.
import Airtable from 'airtable';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken('pat-creator', {
  scopes: ['data.records:write', 'schema.bases:read', 'schema.bases:write'],
});
airtable.addToken('pat-editor', {
  permission: 'edit',
  scopes: ['data.records:write', 'schema.bases:read', 'schema.bases:write'],
});
airtable.addToken('pat-records-only');

let baseId: string;
let tableId: string;
const leads = (token: string) =>
  new Airtable({ apiKey: token, noRetryIfRateLimited: true }).base(baseId).table('Leads');

function meta(token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`https://api.airtable.com/v0/meta/bases/${baseId}/tables${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  });
}

beforeEach(() => {
  baseId = airtable.createBase('CRM');
  tableId = airtable.createTable(baseId, 'Leads', [
    { name: 'Name', type: 'singleLineText' },
    { name: 'Status', type: 'singleSelect', choices: ['Queued'] },
  ]);
});

describe('select options and roles', () => {
  it('lets an Editor token write existing options but not add one, even with typecast', async () => {
    const id = airtable.addRecord(baseId, 'Leads', { Name: 'Ada' });
    await leads('pat-editor').update(id, { Status: 'Queued' }, { typecast: true });
    const refused = leads('pat-editor').update(id, { Status: 'Skipped: no email' }, { typecast: true });
    expect(await refused.catch((e: unknown) => e)).toMatchObject({
      statusCode: 422,
      error: 'INVALID_MULTIPLE_CHOICE_OPTIONS',
      message: 'Insufficient permissions to create new select option ""Skipped: no email""',
    });
    expect(airtable.record(baseId, 'Leads', id)?.fields.Status).toBe('Queued');
  });

  it('lets a Creator token add an option with typecast', async () => {
    const record = await leads('pat-creator').create({ Status: 'Hot' }, { typecast: true });
    expect(record.fields).toEqual({ Status: 'Hot' });
  });
});

describe('metadata API', () => {
  it('answers the base schema to a token with schema.bases:read', async () => {
    const view = airtable.defineView(baseId, 'Leads', 'Grid view');
    const res = await meta('pat-editor', '');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tables: { fields: { id: string }[] }[] };
    expect(body).toEqual({
      tables: [
        {
          id: tableId,
          name: 'Leads',
          primaryFieldId: body.tables[0]!.fields[0]!.id,
          fields: [
            { id: expect.stringMatching(/^fld/), name: 'Name', type: 'singleLineText' },
            {
              id: expect.stringMatching(/^fld/),
              name: 'Status',
              type: 'singleSelect',
              options: {
                choices: [{ id: expect.stringMatching(/^sel/), name: 'Queued', color: expect.any(String) }],
              },
            },
          ],
          views: [{ id: view, name: 'Grid view', type: 'grid' }],
        },
      ],
    });
    expect((await meta('pat-records-only', '')).status).toBe(403);
  });

  it('creates a field for a Creator with schema.bases:write, and refuses duplicates and Editors', async () => {
    const res = await meta('pat-creator', `/${tableId}/fields`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Status detail', type: 'multilineText' }),
    });
    expect(await res.json()).toEqual({
      id: expect.stringMatching(/^fld/),
      name: 'Status detail',
      type: 'multilineText',
    });
    const again = await meta('pat-creator', `/${tableId}/fields`, {
      method: 'POST',
      body: JSON.stringify({ name: 'status detail', type: 'singleLineText' }),
    });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({ error: { type: 'DUPLICATE_OR_EMPTY_FIELD_NAME' } });
    const editor = await meta('pat-editor', `/${tableId}/fields`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Run', type: 'singleLineText' }),
    });
    expect(editor.status).toBe(403);
    const noOptions = await meta('pat-creator', `/${tableId}/fields`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Stage', type: 'singleSelect' }),
    });
    expect(noOptions.status).toBe(422);
    expect(airtable.records(baseId, 'Leads')).toEqual([]);
    await leads('pat-creator').create({ 'Status detail': 'fine' });
  });

  it('creates a table with its fields and a grid view; refuses a taken name, a bad primary field, an Editor', async () => {
    const body = {
      name: 'Baton',
      fields: [
        { name: 'Instance', type: 'singleLineText' },
        { name: 'Heartbeat', type: 'multilineText' },
      ],
    };
    const made = await meta('pat-creator', '', { method: 'POST', body: JSON.stringify(body) });
    expect(made.status).toBe(200);
    const table = (await made.json()) as { id: string; primaryFieldId: string; fields: { id: string }[] };
    expect(table).toMatchObject({
      name: 'Baton',
      fields: [
        { name: 'Instance', type: 'singleLineText' },
        { name: 'Heartbeat', type: 'multilineText' },
      ],
      views: [{ name: 'Grid view', type: 'grid' }],
    });
    expect(table.primaryFieldId).toBe(table.fields[0]?.id);
    expect(airtable.records(baseId, 'Baton')).toEqual([]);

    const again = await meta('pat-creator', '', { method: 'POST', body: JSON.stringify(body) });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({ error: { type: 'DUPLICATE_TABLE_NAME' } });
    const checkbox = {
      name: 'Flags',
      fields: [{ name: 'Done', type: 'checkbox', options: { color: 'greenBright', icon: 'check' } }],
    };
    const bad = await meta('pat-creator', '', { method: 'POST', body: JSON.stringify(checkbox) });
    expect(bad.status).toBe(422);
    const editor = await meta('pat-editor', '', {
      method: 'POST',
      body: JSON.stringify({ ...body, name: 'Other' }),
    });
    expect(editor.status).toBe(403);
    const schema = (await (await meta('pat-creator', '')).json()) as { tables: { name: string }[] };
    expect(schema.tables.map((t) => t.name)).toEqual(['Leads', 'Baton']);
  });
});
