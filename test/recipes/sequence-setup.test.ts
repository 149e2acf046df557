// `baton setup sequence`: each table in SEQUENCE_TABLES gets Sequence, Sequence status, Sequence run,
// Sequence enrolled and the Unsubscribed checkbox; a second run creates nothing; doctor's checks are red before and green after.
import { describe, expect, it } from 'vitest';
import { checkSequenceSchema, sequenceSetup } from '../../recipes/sequence/setup.ts';
import { sharedServices } from '../../recipes/shared/services.ts';
import { silentLogger } from '../../src/log.ts';
import { useEmulators } from '../support/msw.ts';
import { leadsWorld } from './leads-world.ts';
import { SAMPLE_SEQUENCES } from './sequence-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());

describe('baton setup sequence', () => {
  it('adds the five fields to every table people are enrolled from, once', async () => {
    world.airtable.createTable(world.airtableBaseId, 'Members', [
      { name: 'Name', type: 'singleLineText' },
      { name: 'Email', type: 'email' },
    ]);
    const env = { ...world.env, SEQUENCES_FILE: SAMPLE_SEQUENCES, SEQUENCE_TABLES: 'Members' };
    const environment = { env, log: silentLogger, clock: world.clock };
    const services = sharedServices(environment, { limits: 'relaxed' });
    const doctor = async () => {
      const out: Record<string, string> = {};
      for (const check of await checkSequenceSchema(services, env)) {
        out[check.label] = await check.run().then(
          (r) => `ok: ${String(r)}`,
          (err: Error) => `failed: ${err.message}`,
        );
      }
      return out;
    };
    expect((await doctor())['Airtable Members table (sequences)']).toBe(
      "failed: table 'Members': no field Sequence (single line text), Sequence status (single line text), Sequence run (single line text), Sequence enrolled (date and time), Unsubscribed (checkbox) — run `baton setup` to add them",
    );

    const lines: string[] = [];
    const report = await sequenceSetup(environment, { out: (t) => lines.push(t) });
    expect(report.steps.every((s) => s.ok)).toBe(true);
    expect(lines[0]).toBe(
      '✓ Airtable Members: added Sequence (single line text), Sequence status (single line text), Sequence run (single line text), Sequence enrolled (date and time), Unsubscribed (checkbox)',
    );
    expect(lines[1]).toMatch(/^✓ Sequences file: .*sequences\.yaml: nurture \(3 steps\), onboarding/);
    const fields = world.airtable.fields(world.airtableBaseId, 'Members').map((f) => `${f.name}:${f.type}`);
    expect(fields).toEqual(
      expect.arrayContaining([
        'Sequence:singleLineText',
        'Sequence status:singleLineText',
        'Sequence run:singleLineText',
        'Sequence enrolled:dateTime',
        'Unsubscribed:checkbox',
      ]),
    );

    const again: string[] = [];
    await sequenceSetup(environment, { out: (t) => again.push(t) });
    expect(again[0]).toBe('✓ Airtable Members: all 5 fields there');
    expect(await doctor()).toMatchObject({
      'Airtable Members table (sequences)': "ok: table 'Members' has all 6 fields Baton reads and writes",
    });
  });
});
