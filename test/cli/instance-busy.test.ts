// Another live Baton (another data folder) on the same lead sheet: `baton start` exits 78 (no
// systemd restart loop), `baton run --once` 75 (busy, try later), both naming its host, data
// folder and last heartbeat; `baton doctor` shows it as a problem. Nothing in the sheet is touched.
import { hostname } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildPitch } from '../../recipes/pitch/setup.ts';
import { runDoctor } from '../../src/cli/commands/doctor.ts';
import { main } from '../../src/cli/main.ts';
import { systemClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const world = createWorld({ limits: 'relaxed' });
useEmulators(world.handlers());
const tempDir = useTempDirs();

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** An announced Baton over `dataDir`, as another `baton start` would be. */
async function otherInstance(dataDir: string): Promise<Baton> {
  const recipe = buildPitch({ env: world.env, log: silentLogger, clock: systemClock }, { limits: 'relaxed' });
  const baton = new Baton({
    store: new FileStore({ dir: dataDir }),
    recipes: [recipe],
    instance: { dataDir, settleMs: 0 },
  });
  await baton.open();
  return baton;
}

async function cli(args: string[], dataDir: string): Promise<{ code: number | undefined; stderr: string }> {
  Object.assign(process.env, world.env, { BATON_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  delete process.env.BATON_REDIS_URL;
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  await main(['node', 'baton', ...args]);
  vi.restoreAllMocks();
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { code, stderr };
}

describe('a second Baton on the same sheet', () => {
  it('start exits 78, run --once exits 75, doctor shows it; all name the other instance', async () => {
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    world.addLead({ Name: 'Busy Lead', Email: 'busy@leads.example', Company: 'Busy Co' });
    const first = await otherInstance(dirA);
    try {
      const once = await cli(['run', 'pitch', '--once'], dirB);
      expect(once.code).toBe(75);
      for (const part of [`on host ${hostname()}`, `data folder ${dirA}`, 'last heartbeat'])
        expect(once.stderr).toContain(part);

      const start = await cli(['start'], dirB);
      expect(start.code).toBe(78);
      expect(start.stderr).toContain(`data folder ${dirA}`);

      const lines: string[] = [];
      const code = await runDoctor(
        { ...world.env, BATON_DATA_DIR: dirB, BATON_HTTP_PORT: '0' },
        { out: (text) => lines.push(...text.split('\n')) },
        { tuning: { limits: 'relaxed', retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 } } },
      );
      expect(code).toBe(1);
      const line = lines.find((l) => l.includes('Other Baton instances')) ?? '';
      expect(line).toMatch(/^✗ Other Baton instances: another Baton is working on spreadsheet /);
      expect(line).toContain(`data folder ${dirA}`);

      expect(world.sheets.rowsAsRecords(world.spreadsheetId, 'Leads')[0]?.Status ?? '').toBe('');
    } finally {
      await first.stop(1000);
    }
    const after = await cli(['run', 'pitch', '--once'], dirB);
    expect(after.stderr).toBe('');
    expect(after.code ?? 0).toBe(0);
    expect(world.sheets.rowsAsRecords(world.spreadsheetId, 'Leads')[0]?.Status).toBe('In review');
  }, 60_000);
});
