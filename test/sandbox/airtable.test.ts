// The Airtable emulator answers airtable.js 0.12.2 the way api.airtable.com does: shapes, views, formulas, paging, writes, errors.
import Airtable from 'airtable';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken('pat-baton');

type Fields = Airtable.FieldSet;

let baseId: string;
const base = (token = 'pat-baton') =>
  new Airtable({ apiKey: token, noRetryIfRateLimited: true }).base(baseId);
const leads = () => base().table<Fields>('Leads');

/** The AirtableError the SDK rejects with (not an Error subclass: it carries `error` and `statusCode`). */
async function failure(
  promise: Promise<unknown>,
): Promise<{ error: string; message: string; statusCode: number }> {
  try {
    await promise;
  } catch (err) {
    return err as { error: string; message: string; statusCode: number };
  }
  throw new Error('expected the request to fail');
}

function addLead(fields: Record<string, unknown>): string {
  clock.advance(1000);
  return airtable.addRecord(baseId, 'Leads', fields);
}

beforeEach(() => {
  baseId = airtable.createBase('CRM');
  airtable.createTable(baseId, 'Leads', [
    { name: 'Name', type: 'singleLineText' },
    { name: 'Email', type: 'email' },
    { name: 'Score', type: 'number' },
    { name: 'Status', type: 'singleSelect', choices: ['Queued', 'Done'] },
    { name: 'Tags', type: 'multipleSelects', choices: ['vip', 'eu'] },
    { name: 'Approved', type: 'checkbox' },
    { name: 'Met', type: 'date' },
  ]);
});
afterEach(() => airtable.faults.clear());

describe('listing records', () => {
  it('returns id, createdTime and only the non-empty fields', async () => {
    const id = addLead({ Name: 'Ada', Email: 'ada@example.com', Score: 7, Status: '', Approved: false });
    const records = await leads().select().all();
    expect(records.map((r) => r._rawJson)).toEqual([
      {
        id,
        createdTime: new Date(clock.now()).toISOString(),
        fields: { Name: 'Ada', Email: 'ada@example.com', Score: 7 },
      },
    ]);
    expect(id).toMatch(/^rec[0-9A-Za-z]{14}$/);
  });

  it('filters with {Status} = "" and returns only the fields asked for, sorted', async () => {
    addLead({ Name: 'Ada', Score: 3 });
    addLead({ Name: 'Bob', Score: 9, Status: 'Done' });
    addLead({ Name: 'Cy', Score: 5 });
    const records = await leads()
      .select({
        filterByFormula: "{Status} = ''",
        fields: ['Name'],
        sort: [{ field: 'Score', direction: 'desc' }],
      })
      .all();
    expect(records.map((r) => r.fields)).toEqual([{ Name: 'Cy' }, { Name: 'Ada' }]);
  });

  it('applies a view defined by a person (filter and sort), combined with a formula', async () => {
    addLead({ Name: 'Ada', Score: 3, Tags: ['vip'] });
    addLead({ Name: 'Bob', Score: 9, Tags: ['vip', 'eu'], Status: 'Done' });
    addLead({ Name: 'Cy', Score: 5, Tags: ['vip'] });
    addLead({ Name: 'Di', Score: 8 });
    airtable.defineView(baseId, 'Leads', 'VIPs', {
      filter: (r) => (r.fields.Tags as string[] | undefined)?.includes('vip') === true,
      sort: [{ field: 'Score', direction: 'desc' }],
    });
    airtable.defineView(baseId, 'Leads', 'High', { filter: '{Score} >= 5' });

    const vips = await leads().select({ view: 'VIPs' }).all();
    expect(vips.map((r) => r.get('Name'))).toEqual(['Bob', 'Cy', 'Ada']);
    const todo = await leads().select({ view: 'VIPs', filterByFormula: "{Status} = ''" }).all();
    expect(todo.map((r) => r.get('Name'))).toEqual(['Cy', 'Ada']);
    const high = await leads().select({ view: 'High' }).all();
    expect(high.map((r) => r.get('Name'))).toEqual(['Bob', 'Cy', 'Di']);

    const err = await failure(leads().select({ view: 'Nope' }).all());
    expect(err).toMatchObject({ statusCode: 422, error: 'VIEW_NAME_NOT_FOUND' });
  });

  it('evaluates AND, OR, NOT, BLANK, string concatenation and comparisons', async () => {
    addLead({ Name: 'Ada', Score: 3, Approved: true });
    addLead({ Name: 'Bob', Score: 9, Status: 'Done' });
    addLead({ Name: 'Cy', Score: 5, Tags: ['eu'] });
    const names = async (filterByFormula: string) =>
      (await leads().select({ filterByFormula }).all()).map((r) => r.get('Name'));
    expect(await names('AND({Status} = BLANK(), {Score} > 4)')).toEqual(['Cy']);
    expect(await names('OR({Approved}, {Score} >= 9)')).toEqual(['Ada', 'Bob']);
    expect(await names("NOT({Status} = 'Done')")).toEqual(['Ada', 'Cy']);
    expect(await names("{Name} & '-' & {Score} = 'Cy-5'")).toEqual(['Cy']);
    expect(await names("{Status} != ''")).toEqual(['Bob']);
    expect(await names("FIND('eu', {Tags})")).toEqual(['Cy']);
  });

  it('compares LAST_MODIFIED_TIME() and CREATED_TIME() on the emulator clock', async () => {
    const start = clock.now();
    const old = addLead({ Name: 'Old' });
    addLead({ Name: 'Untouched' });
    clock.advance(60_000);
    const cut = new Date(clock.now()).toISOString();
    clock.advance(60_000);
    airtable.updateRecord(baseId, 'Leads', old, { Score: 1 });
    const after = await leads()
      .select({ filterByFormula: `IS_AFTER(LAST_MODIFIED_TIME(), DATETIME_PARSE('${cut}'))` })
      .all();
    expect(after.map((r) => r.get('Name'))).toEqual(['Old']);
    const scoreEdited = await leads()
      .select({ filterByFormula: `IS_AFTER(LAST_MODIFIED_TIME({Score}), '${cut}')` })
      .all();
    expect(scoreEdited.map((r) => r.id)).toEqual([old]);
    const early = await leads()
      .select({ filterByFormula: `IS_BEFORE(CREATED_TIME(), '${new Date(start + 1500).toISOString()}')` })
      .all();
    expect(early.map((r) => r.get('Name'))).toEqual(['Old']);
  });

  it('answers 422 INVALID_FILTER_BY_FORMULA for unknown fields, bad syntax and functions it does not know', async () => {
    const unknown = await failure(leads().select({ filterByFormula: "{Stage} = ''" }).all());
    expect(unknown).toMatchObject({
      statusCode: 422,
      error: 'INVALID_FILTER_BY_FORMULA',
      message: 'The formula for filtering records is invalid: Unknown field names: Stage',
    });
    for (const formula of ["{Status} = '", 'AND(', "REGEX_MATCH({Name}, 'a')", '{Score} >']) {
      const err = await failure(leads().select({ filterByFormula: formula }).all());
      expect(err).toMatchObject({ statusCode: 422, error: 'INVALID_FILTER_BY_FORMULA' });
    }
  });

  it('answers 422 UNKNOWN_FIELD_NAME for fields[] and sort fields the table lacks', async () => {
    addLead({ Name: 'Ada' });
    expect(
      await failure(
        leads()
          .select({ fields: ['Name', 'Stage'] })
          .all(),
      ),
    ).toMatchObject({
      statusCode: 422,
      error: 'UNKNOWN_FIELD_NAME',
      message: 'Unknown field name: "Stage"',
    });
    expect(
      await failure(
        leads()
          .select({ sort: [{ field: 'Stage' }] })
          .all(),
      ),
    ).toMatchObject({
      error: 'UNKNOWN_FIELD_NAME',
    });
  });

  it('returns fields keyed by field id when asked', async () => {
    addLead({ Name: 'Ada' });
    const [record] = await leads().select({ returnFieldsByFieldId: true }).all();
    const keys = Object.keys(record!.fields);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^fld[0-9A-Za-z]{14}$/);
  });

  it('serves POST listRecords for long queries', async () => {
    addLead({ Name: 'Ada', Score: 1 });
    addLead({ Name: 'Bob', Score: 2 });
    const records = await leads().select({ method: 'post', filterByFormula: '{Score} = 2' }).all();
    expect(records.map((r) => r.get('Name'))).toEqual(['Bob']);
    expect(airtable.requests.all().at(-1)).toMatchObject({ method: 'POST', status: 200 });
    expect(airtable.requests.all().at(-1)?.path).toMatch(/\/Leads\/listRecords$/);
  });
});

describe('paging', () => {
  it('pages with pageSize and an itr…/rec… offset, and caps with maxRecords', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => addLead({ Name: n }));
    const pages: string[][] = [];
    await leads()
      .select({ pageSize: 3 })
      .eachPage((records, next) => {
        pages.push(records.map((r) => r.id));
        next();
      });
    expect(pages).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);
    const first = await base().makeRequest({ path: '/Leads', qs: { pageSize: 3 } });
    expect(first.body.offset).toMatch(new RegExp(`^itr[0-9A-Za-z]{14}/${ids[3]}$`));

    const capped = await leads().select({ pageSize: 2, maxRecords: 5 }).all();
    expect(capped.map((r) => r.id)).toEqual(ids.slice(0, 5));
    expect(await failure(leads().select({ pageSize: 101 }).all())).toMatchObject({ statusCode: 422 });
  });

  it('answers 422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE for an expired or lost offset', async () => {
    for (const n of ['a', 'b', 'c']) addLead({ Name: n });
    const page = () => base().makeRequest({ path: '/Leads', qs: { pageSize: 1 } });
    const next = (offset: string) => base().makeRequest({ path: '/Leads', qs: { pageSize: 1, offset } });

    const one = (await page()).body.offset as string;
    expect((await next(one)).body.records).toHaveLength(1);
    clock.advance(61_000);
    expect(await failure(next(one))).toMatchObject({
      statusCode: 422,
      error: 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE',
    });

    const two = (await page()).body.offset as string;
    airtable.expireIterators();
    expect(await failure(next(two))).toMatchObject({ error: 'LIST_RECORDS_ITERATOR_NOT_AVAILABLE' });
    expect(await failure(next('garbage'))).toMatchObject({ statusCode: 422, error: 'INVALID_OFFSET_VALUE' });
  });
});

describe('writing records', () => {
  it('creates up to 10 records per request and refuses 11 with INVALID_RECORDS', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => ({ fields: { Name: `L${i}` } }));
    const created = await leads().create(ten);
    expect(created).toHaveLength(10);
    const err = await failure(leads().create([...ten, { fields: { Name: 'L10' } }]));
    expect(err).toMatchObject({
      statusCode: 422,
      error: 'INVALID_RECORDS',
      message: 'A maximum of 10 records can be created per request but you have provided 11.',
    });
    expect(airtable.records(baseId, 'Leads')).toHaveLength(10);
  });

  it('checks field names and values, and creates select options only with typecast', async () => {
    expect(await failure(leads().create({ Name: 'Ada', Stage: 'x' }))).toMatchObject({
      statusCode: 422,
      error: 'UNKNOWN_FIELD_NAME',
      message: 'Unknown field name: "Stage"',
    });
    expect(await failure(leads().create({ Score: 'seven' }))).toMatchObject({
      error: 'INVALID_VALUE_FOR_COLUMN',
      message: 'Field "Score" cannot accept the provided value',
    });
    expect(await failure(leads().create({ Status: 'Drafting' }))).toMatchObject({
      error: 'INVALID_MULTIPLE_CHOICE_OPTIONS',
    });
    const record = await leads().create(
      { Status: 'Drafting', Score: '42', Met: '2026-01-05' },
      { typecast: true },
    );
    expect(record.fields).toEqual({ Status: 'Drafting', Score: 42, Met: '2026-01-05' });
    expect(airtable.records(baseId, 'Leads')).toHaveLength(1);
  });

  it('updates partially with PATCH and destructively with PUT', async () => {
    const id = addLead({ Name: 'Ada', Email: 'ada@example.com', Score: 1 });
    await leads().update([{ id, fields: { Score: 2 } }]);
    expect(airtable.record(baseId, 'Leads', id)?.fields).toEqual({
      Name: 'Ada',
      Email: 'ada@example.com',
      Score: 2,
    });
    await leads().replace(id, { Name: 'Ada L.' });
    expect(airtable.record(baseId, 'Leads', id)?.fields).toEqual({ Name: 'Ada L.' });
    const err = await failure(leads().update([{ id: 'recAAAAAAAAAAAAAA', fields: { Score: 1 } }]));
    expect(err).toMatchObject({ statusCode: 422, error: 'ROW_DOES_NOT_EXIST' });
  });

  it('upserts by fieldsToMergeOn, reporting created and updated records', async () => {
    const ada = addLead({ Name: 'Ada', Email: 'ada@example.com', Score: 1 });
    const res = await base().makeRequest({
      method: 'PATCH',
      path: '/Leads',
      body: {
        performUpsert: { fieldsToMergeOn: ['Email'] },
        records: [
          { fields: { Email: 'ada@example.com', Score: 5 } },
          { fields: { Email: 'bob@example.com', Name: 'Bob' } },
        ],
      },
    });
    const bob = res.body.records[1].id as string;
    expect(res.body).toMatchObject({ updatedRecords: [ada], createdRecords: [bob] });
    expect(airtable.records(baseId, 'Leads').map((r) => r.fields)).toEqual([
      { Name: 'Ada', Email: 'ada@example.com', Score: 5 },
      { Name: 'Bob', Email: 'bob@example.com' },
    ]);

    // Through the SDK's update(): the same call again changes nothing and creates nothing.
    await leads().update(
      [{ fields: { Email: 'bob@example.com', Name: 'Bob' } }] as never,
      {
        performUpsert: { fieldsToMergeOn: ['Email'] },
      } as never,
    );
    expect(airtable.records(baseId, 'Leads')).toHaveLength(2);
  });

  it('fails an upsert whose key matches more than one record, changing nothing', async () => {
    addLead({ Name: 'A', Email: 'dup@example.com' });
    addLead({ Name: 'B', Email: 'dup@example.com' });
    const err = await failure(
      base().makeRequest({
        method: 'PATCH',
        path: '/Leads',
        body: {
          performUpsert: { fieldsToMergeOn: ['Email'] },
          records: [
            { fields: { Email: 'new@example.com', Name: 'N' } },
            { fields: { Email: 'dup@example.com', Score: 1 } },
          ],
        },
      }),
    );
    expect(err).toMatchObject({ statusCode: 422, error: 'INVALID_RECORDS' });
    expect(airtable.records(baseId, 'Leads').map((r) => r.fields.Name)).toEqual(['A', 'B']);
  });

  it('deletes records', async () => {
    const a = addLead({ Name: 'A' });
    const b = addLead({ Name: 'B' });
    await leads().destroy([a]);
    await leads().destroy(b);
    expect(airtable.records(baseId, 'Leads')).toEqual([]);
  });
});

describe('errors', () => {
  it('answers 401 without a valid token and 403 for a base or table the token cannot see', async () => {
    expect(await failure(base('pat-wrong')('Leads').select().all())).toMatchObject({
      statusCode: 401,
      error: 'AUTHENTICATION_REQUIRED',
    });
    const raw = await fetch(`https://api.airtable.com/v0/${baseId}/Leads`, {
      headers: { Authorization: 'Bearer pat-wrong' },
    });
    expect(raw.status).toBe(401);

    const other = airtable.createBase('Other');
    airtable.createTable(other, 'Leads', [{ name: 'Name', type: 'singleLineText' }]);
    airtable.addToken('pat-other-only', { bases: [other] });
    expect(await failure(base('pat-other-only')('Leads').select().all())).toMatchObject({ statusCode: 403 });
    const missing = await fetch(`https://api.airtable.com/v0/${baseId}/Contacts`, {
      headers: { Authorization: 'Bearer pat-baton' },
    });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({
      error: {
        type: 'INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND',
        message: expect.stringContaining('Invalid permissions'),
      },
    });

    airtable.addToken('pat-read-only', { scopes: ['data.records:read'] });
    expect(await failure(base('pat-read-only')('Leads').create({ Name: 'x' }))).toMatchObject({
      statusCode: 403,
    });
  });

  it('renders injected 500 and 503 in Airtable’s shape', async () => {
    airtable.faults.failNext(1, 503).failNext(1, 500);
    expect(await failure(leads().select().all())).toMatchObject({
      statusCode: 503,
      error: 'SERVICE_UNAVAILABLE',
    });
    expect(await failure(leads().select().all())).toMatchObject({ statusCode: 500, error: 'SERVER_ERROR' });
    expect(await leads().select().all()).toEqual([]);
  });
});
