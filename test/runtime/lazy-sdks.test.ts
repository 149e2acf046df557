// Start-up loads only the SDKs a configured recipe can need at once: the optional ones (Airtable,
// Notion, mailparser, html-to-text, the disposable-domain list) cost several MB of resident memory each and load on first use.
import { describe, expect, it } from 'vitest';
import { finished, spawnTs } from '../support/child.ts';

const OPTIONAL = [
  'airtable',
  '@notionhq/client',
  '@tryfabric/martian',
  'mailparser',
  'html-to-text',
  'mailchecker',
];

describe('SDK loading', () => {
  it('leaves the optional SDKs unloaded at start-up and loads one when it is first used', async () => {
    const { code, stdout, stderr } = await finished(spawnTs('test/runtime/lazy-sdks-worker.ts', []));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { atStart, afterUse, title } = JSON.parse(stdout) as {
      atStart: string[];
      afterUse: string[];
      title: string;
    };
    // The probe sees CommonJS packages: the Sheets SDK, which every pitch needs, is one of them.
    expect(atStart).toContain('@googleapis/sheets');
    expect(atStart.filter((p) => OPTIONAL.includes(p))).toEqual([]);
    expect(title).toBe('Bakery & Co');
    expect(afterUse).toContain('html-to-text');
  });
});
