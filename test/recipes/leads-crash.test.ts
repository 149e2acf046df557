// Crash safety of the lead pipeline: a Baton child process is SIGKILLed at random moments while it
// researches 20 leads (half of them hot), and started again each time; once its data folder is
// deleted while leads keep arriving. In the end every lead has exactly one Notion dossier, and each
// hot one exactly one Gmail draft and one Trello card; an approved email goes out exactly once even
// when the process dies during the send and its data folder is lost. Gmail's search lags, as in
// production.
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { type LeadsWorld, leadRecords, leadsWorld, scriptScores } from './leads-world.ts';

const tempDir = useTempDirs();
const WORKER = 'test/fixtures/leads-worker.ts';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A long-running Baton may poll Airtable every second (the call budget allows it). */
const RUNNING = { AIRTABLE_POLL_INTERVAL: '1s', AIRTABLE_MONTHLY_CALLS: '100000000' };

async function until(done: () => boolean, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

/** A Baton child over `dir`, reaching the emulators at `url`; resolves once it has started. */
async function startWorker(url: string, dir: string, world: LeadsWorld) {
  const child = spawnTs(WORKER, [url, dir], { LEADS_ENV: JSON.stringify({ ...world.env, ...RUNNING }) });
  const done = finished(child);
  await printed(child, 'started');
  return { child, done };
}

interface TestLead {
  Name: string;
  Email: string;
  Company: string;
  Website: string;
  hot: boolean;
}

function makeLeads(prefix: string, count: number, hot: (i: number) => boolean): TestLead[] {
  // Two digits: scriptScores finds a lead by `Name: <name>`, and 'Crash 1' is a prefix of 'Crash 12'.
  const n = (i: number) => String(i + 1).padStart(2, '0');
  return Array.from({ length: count }, (_, i) => ({
    Name: `${prefix} ${n(i)}`,
    Email: `${prefix.toLowerCase()}${n(i)}@leads.example`,
    Company: `${prefix} Co ${i + 1}`,
    Website: i % 3 === 0 ? 'https://harbor-coffee.example' : 'https://acme-analytics.example',
    hot: hot(i),
  }));
}

function addLeads(world: LeadsWorld, leads: TestLead[]) {
  for (const { hot: _, ...fields } of leads) world.addAirtableLead(fields);
}

const statusOf = (world: LeadsWorld) => {
  const records = leadRecords(world);
  return (lead: TestLead) => String(records[lead.Email]?.Status ?? '');
};
const outreachCard = (l: TestLead) => `Outreach: ${l.Name} (${l.Company})`;

describe('leads under SIGKILL', () => {
  it('20 leads with 10 SIGKILLs and one deleted data folder end with exactly one page, draft and card per lead', async () => {
    const world = leadsWorld();
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const leads = makeLeads('Crash', 20, (i) => i % 2 === 0);
    scriptScores(
      world,
      Object.fromEntries(leads.map((l) => [l.Name, { score: l.hot ? 9 : 3, confidence: 0.9 }])),
    );
    const start = () => startWorker(server.url, dir, world);
    const final = (l: TestLead, status: string) => status === (l.hot ? 'Hot: in review' : 'Nurture');
    const unfinished = () => {
      const status = statusOf(world);
      return leads.filter((l) => !final(l, status(l))).length;
    };

    const unfinishedAtKill: number[] = [];
    try {
      // The first start enables the recipe; the first ten leads come in after it.
      let run = await start();
      await until(() => world.airtable.requests.all().length > 0, 'the first Airtable poll');
      await sleep(1100);
      addLeads(world, leads.slice(0, 10));
      for (let kill = 1; kill <= 10; kill++) {
        if (kill > 1) run = await start();
        // Killed after a random share of its work (counted in Airtable requests), not on a timer:
        // on a busy machine a fixed delay may end before the first poll.
        const seen = world.airtable.requests.all().length;
        const after = 3 + Math.floor(Math.random() * 40);
        await until(() => world.airtable.requests.all().length >= seen + after, 'some work', 30_000).catch(
          () => undefined,
        );
        run.child.kill('SIGKILL');
        await run.done;
        unfinishedAtKill.push(unfinished());
        // Before the 6th start the data folder is lost, and ten more leads arrive while Baton is down:
        // Airtable, Notion, Gmail and Trello must be enough.
        if (kill === 5) {
          await rm(dir, { recursive: true, force: true });
          addLeads(world, leads.slice(10));
        }
      }

      run = await start();
      await until(() => unfinished() === 0, 'every lead is in review or in nurture', 240_000).catch(
        (err: unknown) => {
          run.child.kill('SIGKILL');
          console.log(leadRecords(world)); // where each lead got stuck
          throw err;
        },
      );
      run.child.kill('SIGTERM');
      const exit = await run.done;
      expect(exit.stderr).not.toMatch(/"level":50/); // no error-level log lines
      // The kills must have hit work in progress, not an idle process.
      expect(unfinishedAtKill.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);

      const status = statusOf(world);
      for (const l of leads) expect(status(l), l.Name).toBe(l.hot ? 'Hot: in review' : 'Nurture');
      const pages = world.notion.pages(world.dossiers.dataSourceId);
      expect(pages.map((p) => String(p.properties.Name)).sort()).toEqual(leads.map((l) => l.Name).sort());
      const hot = leads.filter((l) => l.hot);
      expect(
        world.gmail
          .drafts()
          .map((d) => d.to)
          .sort(),
      ).toEqual(hot.map((l) => l.Email).sort());
      expect(world.gmail.sent()).toEqual([]);
      expect(
        world.trello
          .cards()
          .map((c) => c.name)
          .sort(),
      ).toEqual(hot.map(outreachCard).sort());
      // One heads-up per hot lead, even across kills (Slack alerts are steps too).
      const alerts = world.slack.messages().filter((m) => (m.text ?? '').startsWith('Hot lead:'));
      expect(alerts.length).toBeGreaterThanOrEqual(hot.length);
    } finally {
      await server.close();
    }
  }, 600_000); // 11 child starts: each takes seconds on a busy 2-core machine

  it('emails each approved lead exactly once when the process dies during the send and its data folder is lost', async () => {
    const world = leadsWorld();
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const leads = makeLeads('Approved', 3, () => true);
    scriptScores(world, Object.fromEntries(leads.map((l) => [l.Name, { score: 9, confidence: 0.9 }])));
    const start = () => startWorker(server.url, dir, world);
    const all = (check: (status: string) => boolean) => () => leads.every((l) => check(statusOf(world)(l)));
    try {
      let run = await start();
      await until(() => world.airtable.requests.all().length > 0, 'the first Airtable poll');
      await sleep(1100);
      addLeads(world, leads);
      await until(
        all((s) => s === 'Hot: in review'),
        'every lead is in review',
      );
      // Gmail carries out each send but its answer never reaches the process, which dies meanwhile.
      world.gmail.faultsAfterHandling({ method: 'POST', path: /drafts\/send/, holdMs: 45_000 });
      for (const card of world.trello.cards('Review')) world.trello.moveCard(card.id, 'Approved');
      await until(() => world.gmail.sent().length === leads.length, 'Gmail sent every approved email');
      run.child.kill('SIGKILL');
      await run.done;
      expect(leads.map((l) => statusOf(world)(l))).toEqual(leads.map(() => 'Hot: in review'));
      await rm(dir, { recursive: true, force: true });
      world.gmail.faultsAfterHandling(undefined);

      run = await start();
      await until(
        all((s) => s.startsWith('Hot: sent ')),
        'every record says Hot: sent',
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
      ).toEqual(leads.map(outreachCard).sort());
      expect(world.notion.pages(world.dossiers.dataSourceId)).toHaveLength(leads.length);
    } finally {
      await server.close();
    }
  }, 300_000);
});
