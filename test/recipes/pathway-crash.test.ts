// Crash safety of the pathway: a Baton child process is SIGKILLed at random moments and started
// again; once its data folder is deleted while contacts keep arriving. In the end each VIP has
// exactly one Slack alert, one Gmail draft and one Trello card; each inbound Gmail message exactly one
// Contacts record. Gmail's search lags, as in production.
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { FileStore } from '../../src/store/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import type { LeadsWorld } from './leads-world.ts';
import { sleep, startPathwayWorker, until } from './pathway-child.ts';
import { contactRecords, pathwayWorld, type ScriptedTier, scriptTiers } from './pathway-world.ts';

const tempDir = useTempDirs();
const startWorker = (url: string, dir: string, world: LeadsWorld, env: Record<string, string> = {}) =>
  startPathwayWorker({ url }, dir, world, env);

interface TestContact {
  Name: string;
  Email: string;
  Company: string;
  Message: string;
  tier: ScriptedTier['tier'];
}

function makeContacts(count: number): TestContact[] {
  const tierOf = (i: number): ScriptedTier['tier'] =>
    i % 6 === 0 ? 'VIP' : i % 6 === 5 ? 'Spam' : 'Standard';
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return {
      Name: `Crash ${n}`,
      Email: `crash${n}@people.example`,
      Company: `Crash Co ${n}`,
      Message: 'Interested in your service.',
      tier: tierOf(i),
    };
  });
}

const alertedNames = (world: LeadsWorld) =>
  world.slack
    .messages()
    .map((m) => /^VIP Alert: (Crash \d\d) /.exec(m.text ?? '')?.[1])
    .filter((name): name is string => name !== undefined);

/**
 * The VIPs a kill caught in the one window the alert has left (README, "The VIP alert"): Slack has
 * their alert, but what the next start reads does not know it, so it posts the alert again. With the
 * data folder kept, that is a run whose journal has no finished `alert-vip` step and will reach it;
 * with the folder lost, a record that does not say `VIP: in review` yet.
 */
async function caughtInTheWindow(world: LeadsWorld, dir: string, folderLost: boolean): Promise<string[]> {
  // A post the child sent just before it died may still be on its way through the emulator server.
  await sleep(300);
  const alerted = new Set(alertedNames(world));
  const records = contactRecords(world);
  if (folderLost) return [...alerted].filter((name) => records[name]?.Status === 'Queued');
  const store = new FileStore({ dir });
  await store.open({ readOnly: true });
  const runs = await store.listRuns({ recipe: 'pathway' });
  return runs
    .filter((run) => {
      const fields = (run.input as { fields?: Record<string, unknown> } | undefined)?.fields ?? {};
      const name = String(fields.Name);
      return (
        alerted.has(name) &&
        fields.Status !== 'VIP: in review' &&
        !run.journal.some((e) => e.id === 'alert-vip' && e.status === 'done')
      );
    })
    .map((run) => String((run.input as { fields: Record<string, unknown> }).fields.Name));
}

const finalStatus = (c: TestContact) =>
  c.tier === 'VIP' ? 'VIP: in review' : c.tier === 'Spam' ? 'Spam' : 'Standard: in sequence';

describe('pathway under SIGKILL', () => {
  it('30 contacts with 8 SIGKILLs and one deleted data folder: one alert, one draft, one card per VIP', async () => {
    const world = pathwayWorld();
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const contacts = makeContacts(30);
    scriptTiers(world, Object.fromEntries(contacts.map((c) => [c.Name, { tier: c.tier, confidence: 0.9 }])));
    const add = (list: TestContact[]) => {
      for (const { tier: _, ...fields } of list) world.addContact({ ...fields, Source: 'form' });
    };
    const unfinished = () => {
      const records = contactRecords(world);
      return contacts.filter((c) => records[c.Name] && records[c.Name]!.Status !== finalStatus(c)).length;
    };
    const start = () => startWorker(server.url, dir, world);
    const unfinishedAtKill: number[] = [];
    // `<name>#<alerts so far>`: a VIP caught again by the next kill, before its alert was re-posted,
    // is the same second alert.
    const inTheWindow = new Set<string>();
    try {
      let run = await start();
      await until(() => world.airtable.requests.all().length > 0, 'the first Airtable poll');
      await sleep(1100);
      add(contacts.slice(0, 18));
      for (let kill = 1; kill <= 8; kill++) {
        if (kill > 1) run = await start();
        // Killed after a random share of its work (counted in Airtable requests), not on a timer.
        const seen = world.airtable.requests.all().length;
        const after = 3 + Math.floor(Math.random() * 25);
        await until(() => world.airtable.requests.all().length >= seen + after, 'some work', 3_000).catch(
          () => undefined,
        );
        run.child.kill('SIGKILL');
        await run.done;
        unfinishedAtKill.push(unfinished());
        for (const name of await caughtInTheWindow(world, dir, kill === 4)) {
          const key = `${name}#${alertedNames(world).filter((n) => n === name).length}`;
          if (!inTheWindow.has(key)) console.log(`kill ${kill} fell in the alert window of ${name}`);
          inTheWindow.add(key);
        }
        // Before the 5th start the data folder is lost, and the other contacts arrive while Baton is down.
        if (kill === 4) {
          await rm(dir, { recursive: true, force: true });
          add(contacts.slice(18));
        }
      }
      run = await start();
      await until(
        () => unfinished() === 0 && Object.keys(contactRecords(world)).length === 30,
        'every contact is routed',
        120_000,
      ).catch((err: unknown) => {
        run.child.kill('SIGKILL');
        console.log(contactRecords(world));
        throw err;
      });
      run.child.kill('SIGTERM');
      const exit = await run.done;
      expect(exit.stderr).not.toMatch(/"level":50/);
      // The kills must have hit work in progress, not an idle process.
      expect(unfinishedAtKill.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);

      const records = contactRecords(world);
      for (const c of contacts) expect(records[c.Name]?.Status, c.Name).toBe(finalStatus(c));
      const vips = contacts.filter((c) => c.tier === 'VIP');
      expect(vips.length).toBe(5);
      // Exactly one alert per VIP. Slack's webhook cannot be asked what it already got, so a kill that
      // fell between Slack's 200 and the journal write (or, with the folder lost, the status write)
      // costs a second one; the test sees each such kill and counts it, rather than allow two for all.
      // (It does happen: one of the first five runs here had a kill in that window, and two alerts.)
      const alertsOf = (name: string) => alertedNames(world).filter((n) => n === name).length;
      const caught = (name: string) => [...inTheWindow].filter((k) => k.startsWith(`${name}#`)).length;
      for (const c of vips) expect(alertsOf(c.Name), c.Name).toBe(1 + caught(c.Name));
      expect(alertedNames(world).every((name) => vips.some((c) => c.Name === name))).toBe(true);
      expect(
        world.gmail
          .drafts()
          .map((d) => d.to)
          .sort(),
      ).toEqual(vips.map((c) => c.Email).sort());
      expect(
        world.trello
          .cards()
          .map((c) => c.name)
          .sort(),
      ).toEqual(vips.map((c) => `VIP offer: ${c.Name} (${c.Company})`).sort());
      expect(world.gmail.sent()).toEqual([]);
    } finally {
      await server.close();
    }
  }, 360_000); // 9 child starts: each takes seconds on a busy 2-core machine

  it('5 inbound Gmail messages become 5 records, once, across a SIGKILL and a lost data folder', async () => {
    const world = pathwayWorld();
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const senders = ['Ann', 'Ben', 'Cai', 'Dee', 'Eli'];
    scriptTiers(
      world,
      Object.fromEntries(senders.map((n) => [`${n} Writer`, { tier: 'Standard', confidence: 0.9 }])),
    );
    const env = { PATHWAY_GMAIL_QUERY: 'in:inbox is:unread' };
    const start = () => startWorker(server.url, dir, world, env);
    const contacts = () => world.airtable.records(world.airtableBaseId, 'Contacts');
    try {
      // Mail from before the first start is left alone.
      await world.gmail.receive({
        from: 'Old Writer <old@mail.example>',
        subject: 'Old',
        text: 'From last week',
      });
      let run = await start();
      await until(
        () => world.gmail.requests.all().some((r) => r.method === 'GET' && r.path.includes('/messages?')),
        'the first Gmail poll',
        30_000,
      ).catch(async (err: unknown) => {
        run.child.kill('SIGKILL');
        console.log(
          world.gmail.requests.all().map((r) => `${r.method} ${r.path} ${r.status}`),
          (await run.done).stderr,
        );
        throw err;
      });
      await sleep(1100);
      for (const n of senders.slice(0, 3)) {
        await world.gmail.receive({
          from: `${n} Writer <${n.toLowerCase()}@mail.example>`,
          subject: `Hi from ${n}`,
          text: `I would like to know more. ${n}`,
        });
      }
      // Killed once the first record exists, while the others are in flight.
      await until(() => contacts().length >= 1, 'a first record');
      run.child.kill('SIGKILL');
      await run.done;
      await rm(dir, { recursive: true, force: true });
      for (const n of senders.slice(3)) {
        await world.gmail.receive({
          from: `${n} Writer <${n.toLowerCase()}@mail.example>`,
          subject: `Hi from ${n}`,
          text: `I would like to know more. ${n}`,
        });
      }
      run = await start();
      await until(
        () => contacts().filter((r) => r.fields.Status === 'Standard: in sequence').length === 5,
        'five routed contacts',
      ).catch((err: unknown) => {
        console.log(contacts().map((r) => r.fields));
        throw err;
      });
      // More polls find nothing new.
      await sleep(500);
      run.child.kill('SIGTERM');
      await run.done;
      const records = contacts();
      expect(records.map((r) => r.fields.Name).sort()).toEqual(senders.map((n) => `${n} Writer`));
      const gmailIds = records.map((r) => String(r.fields['Gmail Message']));
      expect(new Set(gmailIds).size).toBe(5);
      for (const r of records) {
        expect(r.fields).toMatchObject({ Source: 'email', Status: 'Standard: in sequence' });
        expect(String(r.fields.Message)).toMatch(/^Hi from \w+\n\nI would like to know more\./);
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});
