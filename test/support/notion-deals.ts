// A Deals database related to Companies, with a formula of each result type (Notion emulator and connector tests).
import type { NotionEmulator } from '../../src/sandbox/notion/index.ts';

/** Creates Companies and Deals (Name, Amount, Won, Accounts → Companies, formulas Label, Double, Closed, Due). */
export function dealsDatabase(notion: NotionEmulator): { companies: string; deals: string } {
  const companies = notion.createDatabase({ title: 'Companies', properties: { Name: 'title' } }).dataSourceId;
  const deals = notion.createDatabase({
    title: 'Deals',
    properties: {
      Name: 'title',
      Amount: 'number',
      Won: 'checkbox',
      Accounts: { type: 'relation', dataSourceId: companies },
      Label: { type: 'formula', result: 'string', compute: (p) => `${p.Name} (${p.Amount})` },
      Double: { type: 'formula', result: 'number', compute: (p) => Number(p.Amount) * 2 },
      Closed: { type: 'formula', result: 'boolean', compute: (p) => p.Won === true },
      Due: { type: 'formula', result: 'date', compute: () => new Date('2026-12-24T00:00:00.000Z') },
    },
  }).dataSourceId;
  return { companies, deals };
}
