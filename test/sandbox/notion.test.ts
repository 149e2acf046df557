// The Notion emulator through @notionhq/client 5.x: the shapes, limits, queries and errors the SDK meets.
import { APIErrorCode, APIResponseError, Client, LogLevel } from '@notionhq/client';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { NOTION_API, NotionEmulator } from '../../src/sandbox/notion/index.ts';
import { useEmulators } from '../support/msw.ts';

const TOKEN = 'ntn_test_token';
const clock = new ManualClock();
const notion = new NotionEmulator({ clock, requestsPerWindow: 100_000, burstPerSecond: 100_000 });
notion.addIntegration(TOKEN);
const server = useEmulators(notion.handlers());

/** The real SDK, built after msw listens, with its own retries off so each answer is seen as sent. */
const sdk = (auth = TOKEN) => new Client({ auth, retry: false, logLevel: LogLevel.ERROR });

/** The error a call fails with. */
async function failure(call: Promise<unknown>): Promise<APIResponseError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(APIResponseError);
  return err as APIResponseError;
}

let companies: string;
let research: { databaseId: string; dataSourceId: string };

beforeEach(() => {
  notion.faults.clear();
  notion.requests.clear();
  notion.lostResponses.clear();
  companies = notion.createDatabase({ title: 'Companies', properties: { Name: 'title' } }).dataSourceId;
  research = notion.createDatabase({
    title: 'Research',
    properties: {
      Company: 'title',
      Summary: 'rich_text',
      Score: 'number',
      Stage: { type: 'select', options: ['Lead', 'Customer'] },
      Tags: 'multi_select',
      Status: 'status',
      Researched: 'date',
      Website: 'url',
      Email: 'email',
      Hot: 'checkbox',
      Account: { type: 'relation', dataSourceId: companies },
    },
  });
});

const text = (content: string) => [{ type: 'text' as const, text: { content } }];
const paragraph = (content: string) => ({ paragraph: { rich_text: text(content) } });

describe('databases and data sources', () => {
  it('lists a database’s data sources and shows the data source’s schema', async () => {
    const db = await sdk().databases.retrieve({ database_id: research.databaseId.replace(/-/g, '') });
    expect(db).toMatchObject({ object: 'database', id: research.databaseId });
    expect('data_sources' in db && db.data_sources).toEqual([
      { id: research.dataSourceId, name: 'Research' },
    ]);
    const source = await sdk().dataSources.retrieve({ data_source_id: research.dataSourceId });
    expect(source.object).toBe('data_source');
    const properties = 'properties' in source ? source.properties : {};
    expect(properties.Company).toMatchObject({ id: 'title', type: 'title' });
    expect(properties.Stage).toMatchObject({
      type: 'select',
      select: { options: [{ name: 'Lead' }, { name: 'Customer' }] },
    });
    expect(properties.Account).toMatchObject({ type: 'relation', relation: { data_source_id: companies } });
  });

  it('answers object_not_found with Notion’s sharing advice for a database nobody shared', async () => {
    const hidden = notion.createDatabase({ title: 'Private', properties: { Name: 'title' }, sharedWith: [] });
    const err = await failure(sdk().databases.retrieve({ database_id: hidden.databaseId }));
    expect(err.code).toBe(APIErrorCode.ObjectNotFound);
    expect(err.status).toBe(404);
    expect(err.message).toMatch(/shared with your integration/);
    notion.share(hidden.databaseId, TOKEN);
    await expect(sdk().databases.retrieve({ database_id: hidden.databaseId })).resolves.toMatchObject({
      id: hidden.databaseId,
    });
  });
});

describe('creating and updating pages', () => {
  it('creates a page of every property type under a data source and reads it back', async () => {
    const acme = notion.addPage(companies, { Name: 'Acme' });
    const page = await sdk().pages.create({
      parent: { data_source_id: research.dataSourceId },
      properties: {
        Company: { title: text('Acme') },
        Summary: { rich_text: text('Makes anvils') },
        Score: { number: 8 },
        Stage: { select: { name: 'Lead' } },
        Tags: { multi_select: [{ name: 'b2b' }, { name: 'hardware' }] },
        Status: { status: { name: 'In progress' } },
        Researched: { date: { start: '2026-01-05' } },
        Website: { url: 'https://acme.example' },
        Email: { email: 'wile@acme.example' },
        Hot: { checkbox: true },
        Account: { relation: [{ id: acme }] },
      },
      children: [paragraph('First line'), { heading_2: { rich_text: text('Findings') } }],
    });
    expect(page).toMatchObject({
      object: 'page',
      parent: {
        type: 'data_source_id',
        data_source_id: research.dataSourceId,
        database_id: research.databaseId,
      },
    });
    const read = await sdk().pages.retrieve({ page_id: page.id });
    expect('properties' in read && read.properties.Tags).toMatchObject({
      type: 'multi_select',
      multi_select: [{ name: 'b2b' }, { name: 'hardware' }],
    });
    expect(notion.page(page.id)).toMatchObject({
      title: 'Acme',
      text: 'First line\nFindings',
      properties: {
        Summary: 'Makes anvils',
        Score: 8,
        Stage: 'Lead',
        Tags: ['b2b', 'hardware'],
        Status: 'In progress',
        Researched: '2026-01-05',
        Website: 'https://acme.example',
        Email: 'wile@acme.example',
        Hot: true,
        Account: [acme],
      },
    });
  });

  it('resolves a database parent to its only data source, and refuses it when there are two', async () => {
    const page = await sdk().pages.create({
      parent: { database_id: research.databaseId },
      properties: { Company: { title: text('Globex') } },
    });
    expect(notion.page(page.id)?.title).toBe('Globex');
    notion.addDataSource(research.databaseId, { name: 'Archive', properties: { Name: 'title' } });
    const err = await failure(
      sdk().pages.create({
        parent: { database_id: research.databaseId },
        properties: { Company: { title: text('X') } },
      }),
    );
    expect(err.code).toBe(APIErrorCode.ValidationError);
    expect(err.message).toMatch(/data_source_id/);
  });

  it('checks property values against the schema', async () => {
    const create = (properties: Record<string, unknown>) =>
      failure(
        sdk().pages.create({
          parent: { data_source_id: research.dataSourceId },
          properties: properties as never,
        }),
      );
    expect((await create({ Owner: { rich_text: text('me') } })).message).toBe(
      'Owner is not a property that exists.',
    );
    expect((await create({ Score: { rich_text: text('8') } })).message).toBe(
      'Score is expected to be number.',
    );
    expect((await create({ Status: { status: { name: 'Shipped' } } })).message).toMatch(
      /Status option "Shipped" does not exist/,
    );
    expect((await create({ Researched: { date: { start: 'next tuesday' } } })).message).toMatch(/ISO 8601/);
    expect((await create({ Website: { url: `https://x.example/${'a'.repeat(2000)}` } })).message).toMatch(
      /body\.properties\.Website\.url\.length should be ≤ `2000`/,
    );
  });

  it('updates properties and moves pages to the trash', async () => {
    const id = notion.addPage(research.dataSourceId, { Company: 'Initech', Score: 3 });
    await sdk().pages.update({
      page_id: id,
      properties: { Score: { number: 9 }, Stage: { select: { name: 'Partner' } } },
    });
    expect(notion.page(id)?.properties).toMatchObject({ Score: 9, Stage: 'Partner' });
    await sdk().pages.update({ page_id: id, in_trash: true });
    expect(notion.pages(research.dataSourceId)).toEqual([]);
    const err = await failure(sdk().pages.update({ page_id: id, properties: { Score: { number: 1 } } }));
    expect(err.message).toMatch(/archived/);
  });
});

describe('size limits', () => {
  const create = (children: unknown[]) =>
    sdk().pages.create({
      parent: { data_source_id: research.dataSourceId },
      properties: { Company: { title: text('Limits') } },
      children: children as never,
    });

  it('takes 100 children per request and refuses 101 with Notion’s message', async () => {
    await expect(create(Array.from({ length: 100 }, (_, i) => paragraph(`p${i}`)))).resolves.toMatchObject({
      object: 'page',
    });
    const err = await failure(create(Array.from({ length: 101 }, (_, i) => paragraph(`p${i}`))));
    expect(err.code).toBe(APIErrorCode.ValidationError);
    expect(err.message).toBe(
      'body failed validation: body.children.length should be ≤ `100`, instead was `101`.',
    );
  });

  it('refuses rich text over 2,000 characters or 100 elements, and nesting beyond two levels', async () => {
    const long = await failure(create([paragraph('x'), paragraph('y'.repeat(2001))]));
    expect(long.message).toBe(
      'body failed validation: body.children[1].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.',
    );
    const many = await failure(
      create([{ paragraph: { rich_text: Array.from({ length: 101 }, () => text('a')[0]) } }]),
    );
    expect(many.message).toMatch(
      /body\.children\[0\]\.paragraph\.rich_text\.length should be ≤ `100`, instead was `101`/,
    );
    const item = (content: string, children?: unknown[]) => ({
      bulleted_list_item: { rich_text: text(content), ...(children ? { children } : {}) },
    });
    await expect(create([item('1', [item('2', [item('3')])])])).resolves.toMatchObject({ object: 'page' });
    const deep = await failure(create([item('1', [item('2', [item('3', [item('4')])])])]));
    expect(deep.message).toMatch(/children should be not present/);
  });

  it('appends at most 100 children at a time and lists them in pages of up to 100', async () => {
    const page = await create([]);
    for (let batch = 0; batch < 3; batch++) {
      await sdk().blocks.children.append({
        block_id: page.id,
        children: Array.from({ length: 100 }, (_, i) => paragraph(`line ${batch * 100 + i}`)) as never,
      });
    }
    const tooMany = await failure(
      sdk().blocks.children.append({
        block_id: page.id,
        children: Array.from({ length: 101 }, () => paragraph('x')) as never,
      }),
    );
    expect(tooMany.message).toMatch(/body\.children\.length should be ≤ `100`/);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const list = await sdk().blocks.children.list({
        block_id: page.id,
        page_size: 100,
        ...(cursor ? { start_cursor: cursor } : {}),
      });
      for (const block of list.results)
        if ('type' in block && block.type === 'paragraph')
          seen.push(block.paragraph.rich_text[0]?.plain_text ?? '');
      cursor = list.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(300);
    expect(seen[299]).toBe('line 299');
  });
});

describe('querying a data source', () => {
  beforeEach(() => {
    notion.addPage(research.dataSourceId, {
      Company: 'Acme',
      Score: 8,
      Stage: 'Lead',
      Tags: ['b2b'],
      Researched: '2026-01-02',
      Hot: true,
    });
    notion.addPage(research.dataSourceId, {
      Company: 'Globex',
      Score: 5,
      Stage: 'Customer',
      Tags: ['b2c'],
      Researched: '2025-12-01',
    });
    notion.addPage(research.dataSourceId, {
      Company: 'Initech',
      Score: 9,
      Stage: 'Lead',
      Tags: ['b2b', 'saas'],
      Website: 'https://initech.example',
    });
  });

  const names = (results: unknown[]) =>
    results.map((r) => {
      const title = (r as { properties: { Company: { title: { plain_text: string }[] } } }).properties.Company
        .title;
      return title.map((t) => t.plain_text).join('');
    });

  it('filters by property conditions combined with and/or', async () => {
    const query = (filter: unknown) =>
      sdk()
        .dataSources.query({ data_source_id: research.dataSourceId, filter: filter as never })
        .then((r) => names(r.results).sort());
    expect(await query({ property: 'Company', title: { equals: 'Acme' } })).toEqual(['Acme']);
    expect(await query({ property: 'Score', number: { greater_than: 6 } })).toEqual(['Acme', 'Initech']);
    expect(await query({ property: 'Tags', multi_select: { contains: 'b2b' } })).toEqual(['Acme', 'Initech']);
    expect(await query({ property: 'Hot', checkbox: { equals: true } })).toEqual(['Acme']);
    expect(await query({ property: 'Website', url: { is_not_empty: true } })).toEqual(['Initech']);
    expect(await query({ property: 'Researched', date: { on_or_after: '2026-01-01' } })).toEqual(['Acme']);
    expect(
      await query({
        or: [
          { property: 'Stage', select: { equals: 'Customer' } },
          {
            and: [
              { property: 'Stage', select: { equals: 'Lead' } },
              { property: 'Score', number: { less_than: 9 } },
            ],
          },
        ],
      }),
    ).toEqual(['Acme', 'Globex']);
    expect(
      await query({
        timestamp: 'created_time',
        created_time: { on_or_after: new Date(clock.now()).toISOString() },
      }),
    ).toHaveLength(3);
  });

  it('refuses filters on unknown properties or of the wrong type', async () => {
    const unknown = await failure(
      sdk().dataSources.query({
        data_source_id: research.dataSourceId,
        filter: { property: 'Owner', rich_text: { equals: 'x' } },
      }),
    );
    expect(unknown.code).toBe(APIErrorCode.ValidationError);
    expect(unknown.message).toMatch(/Owner/);
    const mismatch = await failure(
      sdk().dataSources.query({
        data_source_id: research.dataSourceId,
        filter: { property: 'Score', rich_text: { equals: '8' } },
      }),
    );
    expect(mismatch.code).toBe(APIErrorCode.ValidationError);
  });

  it('sorts and pages with next_cursor and has_more', async () => {
    const first = await sdk().dataSources.query({
      data_source_id: research.dataSourceId,
      sorts: [{ property: 'Score', direction: 'descending' }],
      page_size: 2,
    });
    expect(names(first.results)).toEqual(['Initech', 'Acme']);
    expect(first.has_more).toBe(true);
    const second = await sdk().dataSources.query({
      data_source_id: research.dataSourceId,
      sorts: [{ property: 'Score', direction: 'descending' }],
      page_size: 2,
      start_cursor: first.next_cursor ?? undefined,
    });
    expect(names(second.results)).toEqual(['Globex']);
    expect(second).toMatchObject({ has_more: false, next_cursor: null });
    const err = await failure(
      sdk().dataSources.query({ data_source_id: research.dataSourceId, page_size: 101 }),
    );
    expect(err.message).toBe('body failed validation: body.page_size should be ≤ `100`, instead was `101`.');
  });
});

describe('requests Notion refuses', () => {
  it('needs a Notion-Version header', async () => {
    const res = await fetch(`${NOTION_API}/databases/${research.databaseId}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ object: 'error', status: 400, code: 'missing_version' });
  });

  it('answers 401 unauthorized to an unknown token and 403 restricted_resource to a read-only one', async () => {
    const err = await failure(sdk('ntn_wrong').databases.retrieve({ database_id: research.databaseId }));
    expect(err).toMatchObject({ code: APIErrorCode.Unauthorized, status: 401 });
    notion.addIntegration('ntn_reader', { readOnly: true });
    const denied = await failure(
      sdk('ntn_reader').pages.create({ parent: { data_source_id: research.dataSourceId }, properties: {} }),
    );
    expect(denied).toMatchObject({ code: APIErrorCode.RestrictedResource, status: 403 });
  });

  it('renders injected failures with codes the SDK knows, and retries them itself when allowed', async () => {
    notion.faults.failNext(1, 503);
    const err = await failure(sdk().databases.retrieve({ database_id: research.databaseId }));
    expect(err).toMatchObject({ code: APIErrorCode.ServiceUnavailable, status: 503 });
    notion.faults.failNext(1, 429, { headers: { 'Retry-After': '0' } });
    const retrying = new Client({ auth: TOKEN, logLevel: LogLevel.ERROR });
    await expect(retrying.databases.retrieve({ database_id: research.databaseId })).resolves.toMatchObject({
      object: 'database',
    });
    expect(notion.requests.all().map((r) => r.status)).toEqual([503, 429, 200]);
  });

  it('rate-limits a token above its burst and average, with Retry-After in seconds', async () => {
    const limited = new NotionEmulator({ clock, requestsPerWindow: 6, windowMs: 30_000, burstPerSecond: 3 });
    limited.addIntegration(TOKEN);
    const { databaseId } = limited.createDatabase({ title: 'Tiny', properties: { Name: 'title' } });
    server.use(...limited.handlers());
    try {
      const client = sdk();
      for (let i = 0; i < 3; i++) await client.databases.retrieve({ database_id: databaseId });
      const burst = await failure(client.databases.retrieve({ database_id: databaseId }));
      expect(burst).toMatchObject({ code: APIErrorCode.RateLimited, status: 429 });
      expect(burst.headers).toBeInstanceOf(Headers);
      expect((burst.headers as Headers).get('retry-after')).toBe('1');
      clock.advance(1000);
      for (let i = 0; i < 3; i++) await client.databases.retrieve({ database_id: databaseId });
      clock.advance(1000);
      const average = await failure(client.databases.retrieve({ database_id: databaseId }));
      expect(Number((average.headers as Headers).get('retry-after'))).toBe(28);
      clock.advance(28_000);
      await expect(client.databases.retrieve({ database_id: databaseId })).resolves.toMatchObject({
        id: databaseId,
      });
    } finally {
      server.resetHandlers();
    }
  });
});
