// `baton run pitch --once`, the command cron runs: one cycle, exit 0, or 1 when a poll failed.
import { describe, expect, it } from 'vitest';
import { runCycle } from '../../src/cli/commands/run-once.ts';
import { buildRecipes } from '../../src/cli/environment.ts';
import { loadRuntimeConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const world = createWorld({ limits: 'relaxed' });
useEmulators(world.handlers());
const tempDir = useTempDirs();

async function cycle(env: Record<string, string>) {
  const result = loadRuntimeConfig({ BATON_DATA_DIR: await tempDir() });
  if (!result.ok) throw new Error(result.problems.join('; '));
  const recipes = await buildRecipes(env, silentLogger, 'pitch');
  return runCycle(result.config, recipes, 'pitch', silentLogger);
}

describe('baton run pitch --once', () => {
  it('runs one cycle with the recipe built from the environment, and exits 0', async () => {
    world.addLead({ Name: 'Cron Lead', Email: 'cron@leads.example', Company: 'Cron Co' });
    expect(await cycle(world.env)).toBe(0);
    expect(world.sheets.rowsAsRecords(world.spreadsheetId, 'Leads')[0]?.Status).toBe('In review');
    expect(world.gmail.drafts().map((d) => d.to)).toEqual(['cron@leads.example']);
  });

  it('exits 1 when a trigger cannot poll (a sheet id that does not exist)', async () => {
    expect(await cycle({ ...world.env, PITCH_SHEET_ID: '1DoesNotExist' })).toBe(1);
  });
});
