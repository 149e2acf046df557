// A page's body as plain text (what a recipe hands a model): one block a line, headings and list
// items marked, cut at the cap; a page the integration cannot see is a NotFoundError.
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../connectors/core/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { notionWorld } from './setup.ts';

const { emulator, researchDatabase, client } = notionWorld();
useEmulators(emulator.handlers());

describe('pageText', () => {
  it("reads the page's blocks as text from its link, cut at maxChars", async () => {
    const research = researchDatabase();
    const notion = client();
    const page = await notion.createPage({
      dataSource: research.databaseId,
      properties: { Company: 'Acme' },
      markdown: '# Acme\n\nFounded in **1949**.\n\n- anvils\n- rockets',
      idempotencyKey: 'text:acme',
    });
    expect(await notion.pageText(page.url)).toBe('# Acme\nFounded in 1949.\n- anvils\n- rockets');
    expect(await notion.pageText(page.pageId, { maxChars: 12 })).toBe('# Acme\nFoun…');
  });

  it('throws NotFoundError for a page not shared with the integration', async () => {
    const hidden = researchDatabase([]);
    const pageId = emulator.addPage(hidden.dataSourceId, { Company: 'Secret' }, 'Not for Baton');
    await expect(client().pageText(pageId)).rejects.toBeInstanceOf(NotFoundError);
  });
});
