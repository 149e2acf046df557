// First enable: a table of old leads is not mailed out of the blue. Only records created after the
// recipe's first poll are work, until the user asks for a backfill (LEADS_BACKFILL=true, or
// `baton run leads --backfill`).
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadRecords, leadsCycle, leadsWorld, scriptScores } from './leads-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

const scoreCalls = () => world.openai.calls.filter((c) => c.schemaName === 'lead_score').length;

describe('leads on first enable', () => {
  it('leaves records older than the first poll alone until a backfill, and processes newer ones', async () => {
    scriptScores(world, {
      'Olga Old': { score: 3, confidence: 0.9 },
      'Otto Old': { score: 3, confidence: 0.9 },
      'Nia New': { score: 3, confidence: 0.9 },
    });
    world.addAirtableLead({ Name: 'Olga Old', Email: 'olga@leads.example' });
    world.addAirtableLead({ Name: 'Otto Old', Email: 'otto@leads.example' });
    world.clock.advance(60_000); // the table had these a minute before Baton was set up
    const dir = await tempDir();

    await leadsCycle(world, dir);
    await leadsCycle(world, dir);
    let records = leadRecords(world);
    expect(records['olga@leads.example']?.Status).toBeUndefined();
    expect(records['otto@leads.example']?.Status).toBeUndefined();
    expect(scoreCalls()).toBe(0);

    world.clock.advance(5_000);
    world.addAirtableLead({ Name: 'Nia New', Email: 'nia@leads.example' });
    await leadsCycle(world, dir);
    records = leadRecords(world);
    expect(records['nia@leads.example']?.Status).toBe('Nurture');
    expect(records['olga@leads.example']?.Status).toBeUndefined();
    expect(scoreCalls()).toBe(1);

    // The moment of the first enable is kept: a new process over the same data folder agrees.
    await leadsCycle(world, dir);
    expect(leadRecords(world)['otto@leads.example']?.Status).toBeUndefined();

    // A backfill takes the old ones too, once.
    await leadsCycle(world, dir, { env: { LEADS_BACKFILL: 'true' } });
    records = leadRecords(world);
    expect(records['olga@leads.example']?.Status).toBe('Nurture');
    expect(records['otto@leads.example']?.Status).toBe('Nurture');
    expect(scoreCalls()).toBe(3);
    await leadsCycle(world, dir);
    expect(scoreCalls()).toBe(3);
    expect(world.notion.pages(world.dossiers.dataSourceId)).toHaveLength(3);
  });

  it('still takes a record that arrived while Baton was down and its data folder was lost', async () => {
    scriptScores(world, {
      'Ada Arrived': { score: 3, confidence: 0.9 },
      'Ben Before': { score: 3, confidence: 0.9 },
    });
    world.clock.advance(60_000);
    const dir = await tempDir();
    await leadsCycle(world, dir); // first enable
    world.addAirtableLead({ Name: 'Ben Before', Email: 'ben@leads.example' });
    await leadsCycle(world, dir);
    expect(leadRecords(world)['ben@leads.example']?.Status).toBe('Nurture');

    // Baton is down for a while; a lead comes in; the server is rebuilt without the data folder.
    world.clock.advance(10 * 60_000);
    world.addAirtableLead({ Name: 'Ada Arrived', Email: 'ada@leads.example' });
    world.clock.advance(10 * 60_000);
    await leadsCycle(world, await tempDir());
    expect(leadRecords(world)['ada@leads.example']?.Status).toBe('Nurture');
  });
});
