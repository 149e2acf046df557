// `baton setup newsletter`: the archive database's properties and the review lists are made; the
// Airtable view cannot be (Airtable's API cannot create views), so setup checks it and says how.
import { describe, expect, it } from 'vitest';
import { newsletterSetup } from '../../recipes/newsletter/setup.ts';
import { silentLogger } from '../../src/log.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { useEmulators } from '../support/msw.ts';

const world = createWorld({ limits: 'relaxed' });
useEmulators(world.handlers());

async function setup(env: Record<string, string>) {
  const out: string[] = [];
  const report = await newsletterSetup(
    {
      env: { ...world.env, ...env },
      log: silentLogger,
      clock: world.clock,
      tuning: { limits: 'relaxed', retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 } },
    },
    { out: (text) => out.push(...text.split('\n')) },
  );
  return { report, out };
}

describe('baton setup newsletter', () => {
  it('finds the view, the archive and the lists of a complete setup, and creates nothing', async () => {
    const { report, out } = await setup({});
    expect(report.steps.map((s) => s.ok)).toEqual([true, true, true]);
    expect(out[0]).toBe("✓ Airtable view Newsletter: view 'Newsletter' of 'Leads' is there");
    expect(report.steps.flatMap((s) => s.created)).toEqual([]);
  });

  it("adds the archive's properties, and says how to make a missing view", async () => {
    const archive = world.notion.createDatabase({
      title: 'Issues',
      sharedWith: [world.env.NOTION_TOKEN!],
      properties: { Title: 'title' },
    });
    const { report, out } = await setup({
      NEWSLETTER_VIEW: 'Subscribers',
      NEWSLETTER_NOTION_DATABASE_ID: archive.databaseId,
    });
    expect(report.steps[0]?.ok).toBe(false);
    expect(out[0]).toMatch(
      /^✗ Airtable view Subscribers: .*create a grid view named 'Subscribers' in table 'Leads'/,
    );
    expect(out[0]).toContain("AND({Status} = 'Nurture', NOT({Unsubscribed}))");
    expect(report.steps[1]?.created.sort()).toEqual(['Baton key (text)', 'Sent (number)', 'Subject (text)']);
    expect(Object.keys(world.notion.properties(archive.dataSourceId)).sort()).toEqual([
      'Baton key',
      'Sent',
      'Subject',
      'Title',
    ]);
  });
});
