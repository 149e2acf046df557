// Crash safety: a Baton child process is SIGKILLed at random moments while it works through 30
// leads, and started again each time (once with its data folder deleted). In the end every lead has
// exactly one draft, one card and a final Status; an approved pitch is emailed exactly once even
// when the process dies during the send and its data folder is lost. Gmail's search lags and Gmail
// gives sent mail its own Message-ID, as in production.
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { serveEmulators } from '../../src/sandbox/server.ts';
import type { EmulatedWorld } from '../../src/sandbox/world.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pitchWorld, statuses } from './pitch-world.ts';

const tempDir = useTempDirs();
const WORKER = 'test/fixtures/pitch-worker.ts';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(done: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** A Baton child over `dir`, reaching the emulators at `url`; resolves once it has started. */
async function startWorker(url: string, dir: string, world: EmulatedWorld) {
  const child = spawnTs(WORKER, [url, dir], { PITCH_ENV: JSON.stringify(world.env) });
  const done = finished(child);
  await printed(child, 'started');
  return { child, done };
}

describe('pitch under SIGKILL', () => {
  it('ends with one draft, one card and a final Status per lead after 10 kills and a lost data folder', async () => {
    const world = pitchWorld();
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const leads = Array.from({ length: 30 }, (_, i) => ({
      Name: `Crash ${i + 1}`,
      Email: `crash${i + 1}@leads.example`,
      Company: `Company ${i + 1}`,
      Notes: 'Asked about automating invoices',
    }));
    for (const lead of leads) world.addLead(lead);
    const start = () => startWorker(server.url, dir, world);

    const unfinishedAtKill: number[] = [];
    try {
      for (let kill = 1; kill <= 10; kill++) {
        const { child, done } = await start();
        await sleep(100 + Math.random() * 700);
        child.kill('SIGKILL');
        await done;
        unfinishedAtKill.push(Object.values(statuses(world)).filter((s) => s !== 'In review').length);
        // Before the 6th start, the data folder is lost: the sheet and the board must be enough.
        if (kill === 5) await rm(dir, { recursive: true, force: true });
      }

      const { child, done } = await start();
      const deadline = Date.now() + 150_000; // generous: a busy machine, not a slow Baton
      while (Date.now() < deadline && !Object.values(statuses(world)).every((s) => s === 'In review'))
        await sleep(200);
      child.kill('SIGTERM');
      const exit = await done;
      expect(exit.stderr).not.toMatch(/"level":50/); // no error-level log lines
      // The kills must have hit work in progress, not an idle process.
      expect(unfinishedAtKill.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);

      expect(statuses(world)).toEqual(Object.fromEntries(leads.map((l) => [l.Email, 'In review'])));
      const draftsPerLead = new Map<string, number>();
      for (const d of world.gmail.drafts()) draftsPerLead.set(d.to, (draftsPerLead.get(d.to) ?? 0) + 1);
      expect(world.gmail.sent()).toEqual([]);
      expect([...draftsPerLead.entries()].sort()).toEqual(leads.map((l) => [l.Email, 1]).sort());
      const cards = world.trello.cards();
      expect(cards.map((c) => c.name).sort()).toEqual(
        leads.map((l) => `Pitch: ${l.Name} (${l.Company})`).sort(),
      );
    } finally {
      await server.close();
    }
  }, 360_000); // 10 child starts: about 4 minutes on a busy 2-core machine

  it('emails an approved lead exactly once when the process dies during the send and its data folder is lost', async () => {
    const world = pitchWorld();
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const leads = Array.from({ length: 3 }, (_, i) => ({
      Name: `Approved ${i + 1}`,
      Email: `approved${i + 1}@leads.example`,
      Company: `Sent Co ${i + 1}`,
    }));
    for (const lead of leads) world.addLead(lead);
    const start = () => startWorker(server.url, dir, world);
    const all = (check: (status: string) => boolean) => () => Object.values(statuses(world)).every(check);
    try {
      let run = await start();
      await until(
        all((s) => s === 'In review'),
        'every lead is in review',
      );
      // Gmail carries out each send but its answer never reaches the process, which dies meanwhile.
      world.gmail.faultsAfterHandling({ method: 'POST', path: /drafts\/send/, holdMs: 45_000 });
      for (const card of world.trello.cards('Review')) world.trello.moveCard(card.id, 'Approved');
      await until(() => world.gmail.sent().length === leads.length, 'Gmail sent every approved pitch');
      run.child.kill('SIGKILL');
      await run.done;
      expect(Object.values(statuses(world))).toEqual(leads.map(() => 'In review'));
      await rm(dir, { recursive: true, force: true });
      world.gmail.faultsAfterHandling(undefined);

      run = await start();
      await until(
        all((s) => s.startsWith('Sent')),
        'every row says Sent',
      );
      run.child.kill('SIGTERM');
      const exit = await run.done;
      expect(exit.stderr).not.toMatch(/"level":50/);

      expect(
        world.gmail
          .sent()
          .map((m) => m.to)
          .sort(),
      ).toEqual(leads.map((l) => l.Email).sort());
      expect(world.gmail.drafts()).toEqual([]);
      expect(
        world.trello
          .cards()
          .map((c) => c.name)
          .sort(),
      ).toEqual(leads.map((l) => `Pitch: ${l.Name} (${l.Company})`).sort());
    } finally {
      await server.close();
    }
  }, 180_000);
});
