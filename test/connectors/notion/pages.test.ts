// NotionClient against the emulator: pages from plain objects, queries as memory, updates, and input errors.
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { notionWorld } from './setup.ts';

const { clock, emulator, researchDatabase, client } = notionWorld();
useEmulators(emulator.handlers());

let research: { databaseId: string; dataSourceId: string };
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  research = researchDatabase();
});

describe('createPage', () => {
  it('writes every property type from a plain object and the Markdown body', async () => {
    const notion = client();
    const page = await notion.createPage({
      dataSource: research.databaseId,
      properties: {
        Company: 'Acme',
        Summary: 'Makes anvils for coyotes',
        Score: 8,
        Stage: 'Lead',
        Tags: ['b2b', 'hardware'],
        Status: 'In progress',
        Researched: new Date('2026-01-05T09:00:00.000Z'),
        Website: 'https://acme.example',
        Email: 'wile@acme.example',
        Hot: true,
      },
      markdown: '# Acme\n\nFounded in **1949**.\n\n- anvils\n- rockets',
      idempotencyKey: 'research:acme:2026-01',
    });
    expect(page.created).toBe(true);
    expect(page.url).toContain(page.pageId.replace(/-/g, ''));
    expect(emulator.page(page.pageId)).toMatchObject({
      title: 'Acme',
      text: 'Acme\nFounded in 1949.\nanvils\nrockets',
      properties: {
        Summary: 'Makes anvils for coyotes',
        Score: 8,
        Stage: 'Lead',
        Tags: ['b2b', 'hardware'],
        Status: 'In progress',
        Researched: '2026-01-05T09:00:00.000Z',
        Website: 'https://acme.example',
        Email: 'wile@acme.example',
        Hot: true,
        'Baton key': 'research:acme:2026-01',
      },
    });
  });

  it('accepts the database id as copied from a Notion link, with or without dashes', async () => {
    const notion = client();
    const compact = research.databaseId.replace(/-/g, '');
    const link = `https://www.notion.so/acme/${compact}?v=0123456789abcdef0123456789abcdef`;
    for (const ref of [compact, research.databaseId, link, research.dataSourceId]) {
      expect((await notion.dataSource(ref)).id).toBe(research.dataSourceId);
    }
    // Resolved once per client (one database read, one data source read), then cached under both ids.
    expect(emulator.requests.count({ path: /^\/v1\/(databases|data_sources)\/[^/]+$/ })).toBe(2);
  });

  it('names the property and the fix when a value does not fit the schema', async () => {
    const notion = client();
    const create = async (properties: Record<string, unknown>): Promise<ServiceError> => {
      const error = await notion
        .createPage({
          dataSource: research.databaseId,
          properties: properties as never,
          idempotencyKey: 'k-bad',
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ServiceError);
      return error as ServiceError;
    };
    expect((await create({ Company: 'Acme', Score: 'eight' })).message).toMatch(
      /'Score' of 'Research': expected a number, got string/,
    );
    expect((await create({ Owner: 'me' })).message).toMatch(/'Owner'.*no such property.*Company, Summary/);
    expect((await create({ Status: 'Shipped' })).message).toMatch(
      /'Shipped' is not one of its options.*Not started, In progress, Done/,
    );
    expect((await create({ Researched: 'next tuesday' })).message).toMatch(/ISO 8601/);
    expect(emulator.pages(research.dataSourceId)).toEqual([]);
  });

  it('says which property to add when the database has no key property', async () => {
    const plain = emulator.createDatabase({ title: 'Posts', properties: { Name: 'title' } });
    const error = await client()
      .createPage({ dataSource: plain.databaseId, properties: { Name: 'Hello' }, idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).message).toMatch(
      /'Posts' has no 'Baton key' property — add a Text property named 'Baton key'/,
    );
  });

  it('uses a configured key property', async () => {
    const posts = emulator.createDatabase({
      title: 'Posts',
      properties: { Name: 'title', 'Run id': 'rich_text' },
    });
    const notion = client({ keyProperty: 'Run id' });
    const first = await notion.createPage({
      dataSource: posts.databaseId,
      properties: { Name: 'Hello' },
      idempotencyKey: 'run-7',
    });
    const again = await notion.createPage({
      dataSource: posts.databaseId,
      properties: { Name: 'Hello' },
      idempotencyKey: 'run-7',
    });
    expect(again).toMatchObject({ pageId: first.pageId, created: false });
    expect(emulator.pages(posts.dataSourceId).map((p) => p.properties['Run id'])).toEqual(['run-7']);
  });
});

describe('queryPages as memory', () => {
  it('answers "has this company been researched this month?"', async () => {
    const notion = client();
    emulator.addPage(research.dataSourceId, { Company: 'Acme', Stage: 'Lead' });
    clock.advance(40 * 86_400_000);
    const startOfMonth = new Date(clock.now() - 86_400_000);
    expect(
      await notion.queryPages(research.databaseId, {
        where: { Company: 'Acme' },
        createdOnOrAfter: startOfMonth,
      }),
    ).toEqual([]);
    await notion.createPage({
      dataSource: research.databaseId,
      properties: { Company: 'Acme', Tags: ['b2b'] },
      idempotencyKey: 'acme-feb',
    });
    const found = await notion.queryPages(research.databaseId, {
      where: { Company: 'Acme' },
      createdOnOrAfter: startOfMonth,
    });
    expect(found).toHaveLength(1);
    expect(found[0]?.properties).toMatchObject({ Company: 'Acme', Tags: ['b2b'], 'Baton key': 'acme-feb' });
    expect(
      await notion.queryPages(research.databaseId, {
        where: { Company: 'Globex' },
        createdOnOrAfter: startOfMonth,
      }),
    ).toEqual([]);
  });

  it('matches every kind of property and reads all result pages', async () => {
    const rows = Array.from({ length: 230 }, (_, i) => ({
      Company: `Company ${i}`,
      Score: i % 10,
      Tags: i % 2 ? ['odd'] : ['even'],
      Hot: i % 3 === 0,
    }));
    for (const row of rows) emulator.addPage(research.dataSourceId, row);
    const notion = client();
    emulator.requests.clear();
    const all = await notion.queryPages(research.dataSourceId);
    expect(all).toHaveLength(230);
    expect(new Set(all.map((p) => p.id)).size).toBe(230);
    expect(emulator.requests.count({ path: /\/query$/ })).toBe(3);
    const some = await notion.queryPages(research.dataSourceId, {
      where: { Score: 7, Tags: ['odd'], Hot: false },
    });
    const expected = rows.filter((r) => r.Score === 7 && r.Tags[0] === 'odd' && !r.Hot).map((r) => r.Company);
    expect(expected.length).toBeGreaterThan(0);
    expect(some.map((p) => p.properties.Company).sort()).toEqual(expected.sort());
    const firstTen = await notion.queryPages(research.dataSourceId, {
      sorts: [{ property: 'Company', direction: 'ascending' }],
      limit: 10,
    });
    expect(firstTen).toHaveLength(10);
    expect(firstTen[0]?.properties.Company).toBe('Company 0');
  });

  it('passes a Notion filter through for what `where` cannot say', async () => {
    emulator.addPage(research.dataSourceId, { Company: 'Acme', Score: 3 });
    emulator.addPage(research.dataSourceId, { Company: 'Globex', Score: 9 });
    const hot = await client().queryPages(research.dataSourceId, {
      notionFilter: { property: 'Score', number: { greater_than: 5 } },
    });
    expect(hot.map((p) => p.properties.Company)).toEqual(['Globex']);
  });
});

describe('updatePage', () => {
  it('sets the given properties and leaves the rest', async () => {
    const notion = client();
    const { pageId } = await notion.createPage({
      dataSource: research.databaseId,
      properties: { Company: 'Acme', Score: 3, Stage: 'Lead' },
      idempotencyKey: 'acme',
    });
    const updated = await notion.updatePage(pageId, { Score: 9, Stage: 'Customer', Tags: ['won'] });
    expect(updated.properties).toMatchObject({ Company: 'Acme', Score: 9, Stage: 'Customer', Tags: ['won'] });
    expect(emulator.page(pageId)?.properties).toMatchObject({
      Score: 9,
      Stage: 'Customer',
      'Baton key': 'acme',
    });
  });

  it('says so when the page is gone from the integration’s view', async () => {
    const error = await client()
      .updatePage('0123456789abcdef0123456789abcdef', { Score: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
  });
});
