// `baton run pitch --once` when another Baton holds the data folder: exit 75 (busy, try later),
// touching nothing; and a folder whose holder was killed is taken over by the next cycle.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const world = createWorld({ limits: 'relaxed' });
useEmulators(world.handlers());
const tempDir = useTempDirs();
const WORKER = 'test/store/lock-worker.ts';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs `baton run pitch --once` in this process; returns the exit code and what went to stderr. */
async function runOnce(dataDir: string): Promise<{ code: number | undefined; stderr: string }> {
  Object.assign(process.env, world.env, { BATON_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  await main(['node', 'baton', 'run', 'pitch', '--once']);
  vi.restoreAllMocks();
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { code, stderr };
}

describe('baton run pitch --once with the data folder in use', () => {
  it('exits 75 naming the pid in use and leaves the sheet alone; after that process is killed, runs', async () => {
    const dir = await tempDir();
    world.addLead({ Name: 'Busy Lead', Email: 'busy@leads.example', Company: 'Busy Co' });
    const holder = spawnTs(WORKER, [dir, 'hold']);
    const holderDone = finished(holder);
    await printed(holder, 'ready');

    const refused = await runOnce(dir);
    expect(refused.code).toBe(75);
    expect(refused.stderr).toContain(`in use by pid ${holder.pid}`);
    expect(world.sheets.rowsAsRecords(world.spreadsheetId, 'Leads')[0]?.Status ?? '').toBe('');

    holder.kill('SIGKILL');
    await holderDone;
    const ran = await runOnce(dir);
    expect(ran.stderr).toBe('');
    expect(ran.code ?? 0).toBe(0);
    expect(world.sheets.rowsAsRecords(world.spreadsheetId, 'Leads')[0]?.Status).toBe('In review');
  }, 60_000);
});
