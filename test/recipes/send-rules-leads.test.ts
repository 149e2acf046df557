// The sending manners on the leads' automatic follow-up (no person approves it): it waits for
// SEND_WINDOW, and an address ticked Unsubscribed in Airtable gets no follow-up at all.
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadRecords, leadsCycle, leadsWorld, scriptScores } from './leads-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const env = { SEND_WINDOW: 'Mon-Fri 09:00-17:00', TZ: 'UTC', LEADS_FOLLOW_UP_AFTER: '48h' };
const email = (name: string) => `${name.split(' ')[0]!.toLowerCase()}@leads.example`;

/** Moves the travel clock to the next Thursday (at least a day ahead) at `hour`:00 UTC. */
function travelToThursday(hour: number): number {
  const now = new Date(world.clock.now() + DAY);
  const daysToThursday = (4 - now.getUTCDay() + 7) % 7;
  const target = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + daysToThursday, hour);
  world.clock.advance(target - world.clock.now());
  return target;
}

async function pausedRuns(dir: string) {
  const store = new FileStore({ dir });
  await store.open({ readOnly: true });
  return (await store.listRuns()).filter((r) => r.wake?.reason === 'paused');
}

/** A hot lead reviewed and sent on Thursday at 10:00 UTC; returns the data folder and Thursday. */
async function outreachSentThursday(names: string[]) {
  scriptScores(world, Object.fromEntries(names.map((n) => [n, { score: 9, confidence: 0.9 }])));
  const dir = await tempDir();
  const thursday = travelToThursday(10);
  await leadsCycle(world, dir, { env }); // first enable
  for (const name of names) {
    world.addAirtableLead({ Name: name, Email: email(name), Company: `${name} Co`, Notes: 'Met at a fair.' });
  }
  await leadsCycle(world, dir, { env });
  for (const name of names) {
    const card = world.trello.cards('Review').find((c) => c.name.startsWith(`Outreach: ${name}`))!;
    world.trello.moveCard(card.id, 'Approved');
  }
  await leadsCycle(world, dir, { env });
  for (const name of names) expect(leadRecords(world)[email(name)]?.Status).toMatch(/^Hot: sent /);
  return { dir, thursday };
}

describe('SEND_WINDOW on the automatic follow-up', () => {
  it('waits from Saturday 10:00 until Monday 09:00, then sends it', async () => {
    const { dir, thursday } = await outreachSentThursday(['Sam Saturday']);
    const followUps = () => world.gmail.sent().filter((m) => m.to === email('Sam Saturday') && m.inReplyTo);

    // 48 hours later it is Saturday 10:00: the follow-up is written, and waits.
    world.clock.advance(48 * HOUR);
    await leadsCycle(world, dir, { env });
    expect(followUps()).toHaveLength(0);
    const monday = thursday + 4 * DAY - HOUR; // Monday 09:00 UTC
    const paused = await pausedRuns(dir);
    expect(paused).toHaveLength(1);
    expect(paused[0]?.wake?.at).toBe(monday);
    expect(paused[0]?.wake?.note).toMatch(/^Outside SEND_WINDOW \(Mon-Fri 09:00-17:00, UTC\): waits until /);
    expect(leadRecords(world)[email('Sam Saturday')]?.Status).toMatch(/^Hot: sent /);

    // Sunday: still nothing.
    world.clock.advance(DAY);
    await leadsCycle(world, dir, { env });
    expect(followUps()).toHaveLength(0);

    // Monday 09:00 (and a minute): it goes, in the thread, and the record says when.
    world.clock.advance(monday + 60_000 - world.clock.now());
    await leadsCycle(world, dir, { env });
    expect(followUps()).toHaveLength(1);
    const day = new Date(monday).toISOString().slice(0, 10);
    expect(leadRecords(world)[email('Sam Saturday')]?.Status).toMatch(
      new RegExp(`^Follow-up sent ${day} 09:0`),
    );
  });
});

describe('do not contact on the automatic follow-up', () => {
  it('skips the follow-up of a lead ticked Unsubscribed meanwhile, with a clear Status', async () => {
    const { dir } = await outreachSentThursday(['Uli Unsubscribe', 'Vera Valid']);
    const uli = String(leadRecords(world)[email('Uli Unsubscribe')]?.id);
    world.airtable.updateRecord(world.airtableBaseId, 'Leads', uli, { Unsubscribed: true });

    // Sunday → Tuesday 10:00, inside the window: Vera's follow-up goes, Uli's never does.
    world.clock.advance(5 * DAY);
    await leadsCycle(world, dir, { env });
    const followUpsTo = (name: string) =>
      world.gmail.sent().filter((m) => m.to === email(name) && m.inReplyTo);
    expect(followUpsTo('Vera Valid')).toHaveLength(1);
    expect(followUpsTo('Uli Unsubscribe')).toHaveLength(0);
    expect(leadRecords(world)[email('Uli Unsubscribe')]?.Status).toBe('Skipped: unsubscribed');
    expect(leadRecords(world)[email('Vera Valid')]?.Status).toMatch(/^Follow-up sent /);
    expect(await pausedRuns(dir)).toHaveLength(0);
  });
});
