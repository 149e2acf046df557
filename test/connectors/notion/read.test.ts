// Reading pages back: all four formula result types, and relations beyond the page object's 25 references.
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulators } from '../../support/msw.ts';
import { dealsDatabase } from '../../support/notion-deals.ts';
import { notionWorld } from './setup.ts';

const { emulator, client } = notionWorld();
useEmulators(emulator.handlers());

let companies: string;
let deals: string;
beforeEach(() => {
  emulator.requests.clear();
  ({ companies, deals } = dealsDatabase(emulator));
});

describe('reading pages', () => {
  it('reads string, number, boolean and date formulas', async () => {
    const deal = emulator.addPage(deals, { Name: 'Big', Amount: 21, Won: true });
    const page = await client().getPage(deal);
    expect(page.properties).toMatchObject({
      Label: 'Big (21)',
      Double: 42,
      Closed: true,
      Due: '2026-12-24T00:00:00.000Z',
    });
  });

  it('reads every related page, also past the 25 the page object lists', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => emulator.addPage(companies, { Name: `Co ${i}` }));
    const big = emulator.addPage(deals, { Name: 'Big', Accounts: ids });
    const small = emulator.addPage(deals, { Name: 'Small', Accounts: ids.slice(0, 2) });
    const notion = client();
    expect((await notion.getPage(big)).properties.Accounts).toEqual(ids);

    emulator.requests.clear();
    const pages = await notion.queryPages(deals);
    const accounts = Object.fromEntries(pages.map((p) => [p.id, p.properties.Accounts]));
    expect(accounts).toEqual({ [big]: ids, [small]: ids.slice(0, 2) });
    // Only the truncated relation costs more requests (one property-item request per 100 references).
    expect(emulator.requests.count({ path: /\/properties\// })).toBe(1);
  });
});
