// The scenario, through child processes and the real SDKs: three Baton processes with
// separate data folders started at once on one lead backlog (12 leads rather than 60, polls every
// 100 ms: the same race, faster). One wins; the other two exit 78 naming it. The winner is SIGKILLed
// mid-work and restarted (same data folder: its own heartbeat, taken back at once); a loser started
// again is still refused. In the end every lead has one draft and one card, and is In review.
import { describe, expect, it } from 'vitest';
import { INSTANCE_KEY } from '../../connectors/sheets/index.ts';
import { serveEmulators } from '../../src/sandbox/server.ts';
import type { EmulatedWorld } from '../../src/sandbox/world.ts';
import { pitchWorld, statuses } from '../recipes/pitch-world.ts';
import { finished, spawnTs } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const WORKER = 'test/fixtures/instance-worker.ts';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a worker; resolves once it started ('started') or exited (refused). */
async function launch(url: string, dir: string, world: EmulatedWorld) {
  const child = spawnTs(WORKER, [url, dir], { PITCH_ENV: JSON.stringify(world.env) });
  const done = finished(child);
  const started = new Promise<boolean>((resolve) => {
    let seen = '';
    child.stdout?.on('data', (d) => {
      seen += d;
      if (seen.includes('started')) resolve(true);
    });
    void done.then(() => resolve(false));
  });
  return { child, done, started: await started, dir };
}

describe('three Baton processes on one sheet', () => {
  it('one works, the others exit 78; after a SIGKILL and restart, zero duplicates', async () => {
    const world = pitchWorld();
    const server = await serveEmulators(world.handlers());
    const leads = Array.from({ length: 12 }, (_, i) => ({
      Name: `Lead ${i + 1}`,
      Email: `lead${i + 1}@leads.example`,
      Company: `Company ${i + 1}`,
      Notes: 'Asked about automating invoices',
    }));
    for (const lead of leads) world.addLead(lead);
    const dirs = [await tempDir(), await tempDir(), await tempDir()];
    const running: Awaited<ReturnType<typeof launch>>[] = [];
    try {
      const all = await Promise.all(dirs.map((dir) => launch(server.url, dir, world)));
      running.push(...all.filter((w) => w.started));
      expect(running).toHaveLength(1);
      const winner = running[0]!;
      for (const loser of all.filter((w) => !w.started)) {
        const exit = await loser.done;
        expect(exit.code).toBe(78);
        expect(exit.stderr).toContain(`data folder ${winner.dir}`);
        expect(exit.stderr).toContain('last heartbeat');
      }

      await sleep(400); // mid-work
      winner.child.kill('SIGKILL');
      await winner.done;
      // The kill must have hit work in progress, not an idle process.
      expect(Object.values(statuses(world)).filter((s) => s !== 'In review').length).toBeGreaterThan(0);
      running.length = 0;
      const restarted = await launch(server.url, winner.dir, world);
      expect(restarted.started).toBe(true); // its own heartbeat: no wait for staleness
      running.push(restarted);

      const loserDir = dirs.find((d) => d !== winner.dir)!;
      const again = await launch(server.url, loserDir, world);
      expect(again.started).toBe(false);
      expect((await again.done).code).toBe(78);

      const deadline = Date.now() + 120_000; // generous: a busy machine, not a slow Baton
      while (Date.now() < deadline && !Object.values(statuses(world)).every((s) => s === 'In review'))
        await sleep(200);
      restarted.child.kill('SIGTERM');
      const exit = await restarted.done;
      running.length = 0;
      expect(exit.stderr).not.toMatch(/"level":50/);

      expect(statuses(world)).toEqual(Object.fromEntries(leads.map((l) => [l.Email, 'In review'])));
      const draftsPerLead = new Map<string, number>();
      for (const d of world.gmail.drafts()) draftsPerLead.set(d.to, (draftsPerLead.get(d.to) ?? 0) + 1);
      expect([...draftsPerLead.entries()].sort()).toEqual(leads.map((l) => [l.Email, 1]).sort());
      expect(
        world.trello
          .cards()
          .map((c) => c.name)
          .sort(),
      ).toEqual(leads.map((l) => `Pitch: ${l.Name} (${l.Company})`).sort());
      // The clean stop removed the last heartbeat.
      const left = world.sheets
        .spreadsheetMetadata(world.spreadsheetId)
        .filter((m) => m.key === INSTANCE_KEY);
      expect(left).toEqual([]);
    } finally {
      for (const w of running) w.child.kill('SIGKILL');
      await server.close();
    }
  }, 200_000);
});
