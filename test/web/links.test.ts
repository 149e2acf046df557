// A run's links on the dashboard: the sheet row from its input, and the card, draft or page its
// finished steps returned — web addresses only.
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/index.ts';
import { runLinks } from '../../src/web/dashboard/links.ts';

function run(input: unknown, values: unknown[]): RunRecord {
  return {
    version: 1,
    id: 'pitch-abc',
    recipe: 'pitch',
    itemKey: 'k',
    input,
    status: 'waiting',
    createdAt: 0,
    updatedAt: 0,
    executions: 1,
    inbox: [],
    journal: values.map((value, i) => ({ id: `s${i}`, kind: 'step', status: 'done', attempts: 1, value })),
  };
}

describe('runLinks', () => {
  it('links the sheet row, the draft and the card, each once', () => {
    const input = { row: { rowNumber: 7, sheet: { spreadsheetId: 'sheet-1', tab: 'Leads' } } };
    const draft = { draftId: 'd1', link: 'https://mail.google.com/mail/u/0/#search/rfc822msgid%3Ax' };
    const card = { cardId: 'c1', url: 'https://trello.com/c/abc/1-pitch' };
    expect(runLinks(run(input, [draft, card, card]))).toEqual([
      { label: 'Sheet row', href: 'https://docs.google.com/spreadsheets/d/sheet-1/edit#range=7:7' },
      { label: 'Gmail', href: draft.link },
      { label: 'Trello card', href: card.url },
    ]);
  });

  it('finds Notion pages and Airtable records nested in results', () => {
    const values = [
      { page: { url: 'https://www.notion.so/Dossier-0123' } },
      [{ url: 'https://airtable.com/app1/tbl1/rec1' }],
    ];
    expect(runLinks(run({}, values)).map((l) => l.label)).toEqual(['Notion page', 'Airtable record']);
  });

  it('never links anything but http(s)', () => {
    expect(runLinks(run({}, [{ url: 'javascript:alert(1)' }, { link: 'data:text/html,x' }]))).toEqual([]);
  });
});
