// People who write in: with PATHWAY_GMAIL_QUERY each new matching Gmail message becomes one Contacts
// record (sender, subject and body, Source = email), which is then routed like any other.
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pathwayCycle, pathwayWorld, scriptTiers } from './pathway-world.ts';

const world = pathwayWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

describe('pathway Gmail inbound', () => {
  it('turns each new matching message into one record, leaves older mail alone, and routes the records', async () => {
    scriptTiers(world, {
      'Gina Writer': { tier: 'VIP', confidence: 0.9 },
      'Hal Writer': { tier: 'Standard', confidence: 0.9 },
    });
    const env = { PATHWAY_GMAIL_QUERY: 'in:inbox is:unread' };
    const dir = await tempDir();
    await world.gmail.receive({ from: 'Old Writer <old@mail.example>', subject: 'Old', text: 'From before' });
    world.clock.advance(2000);
    await pathwayCycle(world, dir, { env }); // first enable
    world.clock.advance(2000);
    await world.gmail.receive({
      from: 'Gina Writer <gina@bigco.example>',
      subject: 'Partnership',
      text: 'We are 200 people.',
    });
    await world.gmail.receive({
      from: 'Hal Writer <hal@mail.example>',
      subject: 'Question',
      text: 'Do you ship abroad?',
    });
    world.clock.advance(5000); // past Gmail's search lag
    await pathwayCycle(world, dir, { env }); // makes the records
    await pathwayCycle(world, dir, { env }); // routes them
    await pathwayCycle(world, dir, { env });
    const records = world.airtable.records(world.airtableBaseId, 'Contacts');
    expect(records.map((r) => r.fields.Name).sort()).toEqual(['Gina Writer', 'Hal Writer']);
    const gina = records.find((r) => r.fields.Name === 'Gina Writer')!;
    expect(gina.fields).toMatchObject({
      Email: 'gina@bigco.example',
      Source: 'email',
      Message: 'Partnership\n\nWe are 200 people.',
      Status: 'VIP: in review',
    });
    expect(String(gina.fields['Gmail Message'])).toMatch(/^[0-9a-f]+$/);
    expect(records.find((r) => r.fields.Name === 'Hal Writer')?.fields.Status).toBe('Standard: in sequence');
  });
});
