// Long Markdown bodies land whole: split to Notion's 100-children and 2,000-character limits, nothing lost.
import { beforeEach, describe, expect, it } from 'vitest';
import { blockBatches, markdownBlocks } from '../../../connectors/notion/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { notionWorld } from './setup.ts';

const { emulator, researchDatabase, client } = notionWorld();
useEmulators(emulator.handlers());

let research: { databaseId: string; dataSourceId: string };
beforeEach(() => {
  emulator.requests.clear();
  research = researchDatabase();
});

const WORDS = [
  'growth',
  'pricing',
  'anvils',
  'market',
  'rockets',
  'customers',
  'churn',
  'support',
  'roadmap',
  'hiring',
];

/** `count` paragraphs of plain words, one of them (the `longAt`-th) `longLength` characters long. */
function document(count: number, longAt: number, longLength: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const target = i === longAt ? longLength : 20 + (i % 7) * 3;
    let text = `Note ${i}`;
    for (let w = i; text.length < target; w++) text += ` ${WORDS[w % WORDS.length]}`;
    return `${text}.`;
  });
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('a long research page', () => {
  it('lands a 250-paragraph, 10,000-character document as one page with all of its text', async () => {
    const paragraphs = document(250, 120, 4500);
    const markdown = paragraphs.join('\n\n');
    expect(paragraphs).toHaveLength(250);
    expect(markdown.length).toBeGreaterThanOrEqual(10_000);

    const page = await client().createPage({
      dataSource: research.databaseId,
      properties: { Company: 'Acme' },
      markdown,
      idempotencyKey: 'research:acme:long',
    });

    expect(emulator.pages(research.dataSourceId)).toHaveLength(1);
    expect(page.blocks).toBe(250);
    const blocks = emulator.blocks(page.pageId);
    expect(blocks).toHaveLength(250);
    expect(blocks.every((b) => b.type === 'paragraph')).toBe(true);
    expect(squash(emulator.page(page.pageId)?.text ?? '')).toBe(squash(paragraphs.join('\n')));
    // One create with the first 100 blocks, then appends of at most 100.
    expect(emulator.requests.filter({ method: 'POST', path: /^\/v1\/pages$/ })).toHaveLength(1);
    expect(emulator.requests.filter({ method: 'PATCH', path: /\/children$/ })).toHaveLength(2);
  });
});

describe('cutting Markdown to Notion’s limits', () => {
  const contents = (blocks: unknown[]): string[] =>
    blocks.flatMap((b) => {
      const block = b as Record<
        string,
        { rich_text?: { text?: { content: string } }[]; children?: unknown[] }
      >;
      const body = block[(b as { type: string }).type];
      return [
        ...(body?.rich_text ?? []).map((t) => t.text?.content ?? ''),
        ...contents(body?.children ?? []),
      ];
    });

  it('splits text over 2,000 characters and blocks over 100 rich text elements, keeping every character', () => {
    const long = 'x'.repeat(4500);
    const manyLinks = Array.from({ length: 150 }, (_, i) => `[l${i}](https://e.example/${i})`).join(' ');
    const blocks = markdownBlocks(`${long}\n\n${manyLinks}`);
    for (const text of contents(blocks)) expect(text.length).toBeLessThanOrEqual(2000);
    for (const block of blocks) {
      const richText = (block[block.type] as { rich_text?: unknown[] }).rich_text ?? [];
      expect(richText.length).toBeLessThanOrEqual(100);
    }
    expect(contents(blocks).join('')).toBe(`${long}${manyLinks.replace(/\[(l\d+)\]\([^)]*\)/g, '$1')}`);
  });

  it('keeps nesting within two levels below the top and lists within 100 children', async () => {
    const deep = '- one\n  - two\n    - three\n      - four\n        - five';
    const longList = `- parent\n${Array.from({ length: 150 }, (_, i) => `  - child ${i}`).join('\n')}`;
    const page = await client().createPage({
      dataSource: research.databaseId,
      properties: { Company: 'Nested' },
      markdown: `${deep}\n\n${longList}`,
      idempotencyKey: 'nested',
    });
    const text = emulator.page(page.pageId)?.text.split('\n') ?? [];
    expect(text.slice(0, 5)).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(text).toHaveLength(5 + 1 + 150);
    expect(text.at(-1)).toBe('child 149');
    const tree = emulator.blocks(page.pageId);
    const depth = (nodes: typeof tree): number => Math.max(0, ...nodes.map((n) => 1 + depth(n.children)));
    expect(depth(tree)).toBeLessThanOrEqual(3);
    for (const node of tree) expect(node.children.length).toBeLessThanOrEqual(100);
  });

  it('splits tables over 100 rows and batches by children, blocks and bytes', () => {
    const table = [
      '| a | b |',
      '|---|---|',
      ...Array.from({ length: 230 }, (_, i) => `| r${i} | v${i} |`),
    ].join('\n');
    const blocks = markdownBlocks(table);
    expect(blocks.map((b) => b.type)).toEqual(['table', 'table', 'table']);
    const rows = blocks.map((b) => ((b.table as { children: unknown[] }).children ?? []).length);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(231);
    expect(Math.max(...rows)).toBeLessThanOrEqual(100);
    const batches = blockBatches(
      markdownBlocks(Array.from({ length: 120 }, (_, i) => `- item ${i}\n  - sub ${i}`).join('\n')),
    );
    expect(batches.map((b) => b.length)).toEqual([100, 20]);
  });
});
