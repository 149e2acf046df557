// Shared setup for the Notion connector tests: an emulated workspace, a research database, fast clients.
import { NotionClient, type NotionClientOptions } from '../../../connectors/notion/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { NotionEmulator, type NotionEmulatorOptions } from '../../../src/sandbox/notion/index.ts';

export const TOKEN = 'ntn_baton_test_secret';

export function notionWorld(options: NotionEmulatorOptions = {}) {
  const clock = new ManualClock();
  const emulator = new NotionEmulator({
    clock,
    requestsPerWindow: 1_000_000,
    burstPerSecond: 1_000_000,
    ...options,
  });
  emulator.addIntegration(TOKEN);

  /** A research database as a user would set it up, with Baton's key property. */
  const researchDatabase = (sharedWith?: string[]) =>
    emulator.createDatabase({
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
        'Baton key': 'rich_text',
      },
      ...(sharedWith ? { sharedWith } : {}),
    });

  /** A client with fast retries and a generous budget, unless a test overrides them. */
  const client = (overrides: Partial<NotionClientOptions> = {}) =>
    new NotionClient({
      token: TOKEN,
      limit: { limit: 1000, intervalMs: 1000 },
      policy: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
      maxRetryAfterMs: 20,
      configHints: { database: 'NOTION_RESEARCH_DATABASE' },
      ...overrides,
    });

  return { clock, emulator, researchDatabase, client };
}
