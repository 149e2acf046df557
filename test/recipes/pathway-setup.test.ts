// `baton setup pathway`: a base whose Contacts table holds only the user's fields gets Baton's
// fields, a second run creates nothing, and doctor's pathway checks go from red to green.
import { describe, expect, it } from 'vitest';
import { checkPathwaySchema } from '../../recipes/pathway/check-schema.ts';
import { PATHWAY_TIERS } from '../../recipes/pathway/schema.ts';
import { pathwaySetup } from '../../recipes/pathway/setup-schema.ts';
import { sharedServices } from '../../recipes/shared/services.ts';
import { ManualClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { TrelloEmulator } from '../../src/sandbox/trello/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock, perBaseLimit: 100_000, perTokenLimit: 100_000 });
const trello = new TrelloEmulator({ clock, perTokenLimit: 100_000, perKeyLimit: 100_000 });
useEmulators(airtable.handlers(), trello.handlers());
airtable.addToken('pat-creator', {
  scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'schema.bases:write'],
});
trello.addCredentials('setup-key', 'setup-token');
const TUNING = { limits: 'relaxed' as const, retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 } };

function fresh() {
  const base = airtable.createBase('Brand');
  airtable.createTable(base, 'Contacts', [
    { name: 'Name', type: 'singleLineText' },
    { name: 'Email', type: 'email' },
    { name: 'Company', type: 'singleLineText' },
    { name: 'Message', type: 'multilineText' },
    { name: 'Source', type: 'singleLineText' },
  ]);
  const board = trello.createBoard({ name: 'Review', lists: [] });
  const env: NodeJS.ProcessEnv = {
    AIRTABLE_TOKEN: 'pat-creator',
    AIRTABLE_BASE_ID: base,
    TRELLO_API_KEY: 'setup-key',
    TRELLO_TOKEN: 'setup-token',
    TRELLO_BOARD_ID: board.boardId,
    PATHWAY_GIFT_OFFER: 'a free session',
  };
  return { base, env };
}

async function doctor(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const copy = { ...env };
  const services = sharedServices({ env: copy, log: silentLogger, clock }, TUNING);
  const results: Record<string, string> = {};
  for (const check of await checkPathwaySchema(services, copy)) {
    try {
      results[check.label] = `✓ ${await check.run()}`;
    } catch (e) {
      results[check.label] = `✗ ${(e as Error).message}`;
    }
  }
  return results;
}

describe('baton setup pathway', () => {
  it("adds Baton's fields to the Contacts table and the review lists, then creates nothing", async () => {
    const { base, env } = fresh();
    expect((await doctor(env))['Airtable Contacts table']).toMatch(/^✗ /);
    const lines: string[] = [];
    const report = await pathwaySetup(
      { env: { ...env }, log: silentLogger, clock, tuning: TUNING },
      { out: (t) => lines.push(t) },
    );
    expect(report.steps.every((s) => s.ok)).toBe(true);
    const byName = new Map(airtable.fields(base, 'Contacts').map((f) => [f.name, f]));
    for (const name of [
      'Status',
      'Status detail',
      'Baton Run',
      'Tier',
      'Confidence',
      'Reason',
      'Sequence',
      'Gmail Message',
    ])
      expect(byName.has(name), name).toBe(true);
    expect(byName.get('Tier')?.type).toBe('singleSelect');
    expect(((byName.get('Tier')?.options?.choices ?? []) as { name: string }[]).map((c) => c.name)).toEqual([
      ...PATHWAY_TIERS,
    ]);
    const again = await pathwaySetup(
      { env: { ...env }, log: silentLogger, clock, tuning: TUNING },
      { out: () => undefined },
    );
    expect(again.steps.flatMap((s) => s.created)).toEqual([]);
    const checks = await doctor(env);
    for (const [label, result] of Object.entries(checks)) expect(result, label).toMatch(/^✓ /);
  });
});
