// The Notion emulator's page properties as Notion limits them: 25 relation references per page, the property-item endpoint, formulas.
import { Client, LogLevel } from '@notionhq/client';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { NotionEmulator } from '../../src/sandbox/notion/index.ts';
import { useEmulators } from '../support/msw.ts';
import { dealsDatabase } from '../support/notion-deals.ts';

const TOKEN = 'ntn_test_token';
const notion = new NotionEmulator({
  clock: new ManualClock(),
  requestsPerWindow: 100_000,
  burstPerSecond: 100_000,
});
notion.addIntegration(TOKEN);
useEmulators(notion.handlers());

const sdk = () => new Client({ auth: TOKEN, retry: false, logLevel: LogLevel.ERROR });

let companies: string;
let deals: string;
beforeEach(() => {
  ({ companies, deals } = dealsDatabase(notion));
});

describe('relations', () => {
  it('lists 25 references in the page object with has_more, and all through the property item', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => notion.addPage(companies, { Name: `Co ${i}` }));
    const deal = notion.addPage(deals, { Name: 'Big', Accounts: ids });
    const page = await sdk().pages.retrieve({ page_id: deal });
    const accounts = 'properties' in page ? page.properties.Accounts : undefined;
    expect(accounts).toMatchObject({ type: 'relation', has_more: true });
    expect(accounts?.type === 'relation' && accounts.relation.map((r) => r.id)).toEqual(ids.slice(0, 25));

    const first = await sdk().pages.properties.retrieve({
      page_id: deal,
      property_id: accounts!.id,
      page_size: 20,
    });
    expect(first).toMatchObject({
      object: 'list',
      type: 'property_item',
      has_more: true,
      property_item: {
        id: accounts!.id,
        type: 'relation',
        next_url: expect.stringContaining('start_cursor='),
      },
    });
    const rest = await sdk().pages.properties.retrieve({
      page_id: deal,
      property_id: accounts!.id,
      start_cursor: (first as { next_cursor: string }).next_cursor,
    });
    expect(rest).toMatchObject({ has_more: false, next_cursor: null, property_item: { next_url: null } });
    const all = [first, rest].flatMap((r) => ('results' in r ? r.results : []));
    expect(all.map((item) => (item.type === 'relation' ? item.relation.id : ''))).toEqual(ids);
    expect(all[0]).toEqual({
      object: 'property_item',
      id: accounts!.id,
      type: 'relation',
      relation: { id: ids[0] },
    });
  });

  it('answers a simple property as one property_item', async () => {
    const deal = notion.addPage(deals, { Name: 'Small', Amount: 5 });
    const page = await sdk().pages.retrieve({ page_id: deal });
    const amountId = 'properties' in page ? page.properties.Amount!.id : '';
    expect(await sdk().pages.properties.retrieve({ page_id: deal, property_id: amountId })).toEqual({
      object: 'property_item',
      id: amountId,
      type: 'number',
      number: 5,
    });
  });
});

describe('formulas', () => {
  it('derives string, number, boolean and date results from the page, read-only', async () => {
    const deal = notion.addPage(deals, { Name: 'Big', Amount: 21, Won: true });
    const page = await sdk().pages.retrieve({ page_id: deal });
    const props = 'properties' in page ? page.properties : {};
    expect(props.Label).toMatchObject({ type: 'formula', formula: { type: 'string', string: 'Big (21)' } });
    expect(props.Double).toMatchObject({ formula: { type: 'number', number: 42 } });
    expect(props.Closed).toMatchObject({ formula: { type: 'boolean', boolean: true } });
    expect(props.Due).toMatchObject({
      formula: { type: 'date', date: { start: '2026-12-24T00:00:00.000Z', end: null, time_zone: null } },
    });
    expect(notion.page(deal)?.properties.Label).toBe('Big (21)');

    const source = await sdk().dataSources.retrieve({ data_source_id: deals });
    expect('properties' in source && source.properties.Label).toMatchObject({
      type: 'formula',
      formula: { expression: expect.any(String) },
    });
    const write = await sdk()
      .pages.update({ page_id: deal, properties: { Label: { rich_text: [] } } as never })
      .catch((e: unknown) => e);
    expect(write).toMatchObject({ status: 400, code: 'validation_error' });
  });
});
