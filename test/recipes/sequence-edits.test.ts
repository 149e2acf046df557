// The sequences file is read again before every step: an edit changes the future steps of people
// already enrolled, a removed step is skipped (never re-sent), a broken edit holds the runs until it
// is fixed; a person clearing `Sequence` stops it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadsWorld } from './leads-world.ts';
import { DAY, enrol, records, sequenceCycle } from './sequence-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

/** The writer puts the brief in the email; the auditor passes everything. */
function scriptModel() {
  world.openai.respondWith((call) => {
    const text = call.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    if (call.schemaName === 'sequence_audit')
      return { verdict: 'PASS', confidence: 0.95, problems: [], corrections: '' };
    if (call.schemaName !== 'sequence_email') return undefined;
    const brief = /^What this email should do: (.*)$/m.exec(text)?.[1] ?? '';
    return { subject: 'A note for you', body: `Hello again. ${brief}\n\nBest, Sam` };
  });
}

describe('sequence file edits', () => {
  it('follows the file as it is at each step, skips removed steps, and stops when Sequence is cleared', async () => {
    scriptModel();
    const dir = await tempDir();
    const file = join(await tempDir(), 'sequences.yaml');
    await writeFile(
      file,
      'drip:\n  - after: 0d\n    brief: Say hello.\n  - after: 1d\n    brief: Share tip one.\n  - after: 2d\n    brief: Share tip two.\n',
    );
    const cycle = () => sequenceCycle(world, dir, { SEQUENCES_FILE: file });
    await cycle();
    world.clock.advance(60_000);
    const enrolledAt = world.clock.now();
    const [, bobId] = enrol(
      world,
      [
        { Name: 'Ann', Email: 'ann@people.example' },
        { Name: 'Bob', Email: 'bob@people.example' },
      ],
      'drip',
    );
    await cycle();
    const sentTo = (email: string) =>
      world.gmail
        .sent()
        .filter((m) => m.to === email)
        .sort((a, b) => a.internalDate - b.internalDate);
    expect(sentTo('ann@people.example').map((m) => m.text.split('\n')[0])).toEqual([
      'Hello again. Say hello.',
    ]);
    expect(records(world)['ann@people.example']?.['Sequence status']).toMatch(/^Step 1 of 3 sent /);

    // A broken edit: nothing is sent and nothing fails; the runs wait for a fix.
    await writeFile(file, 'drip:\n  - after: 1d\n    brief: [unclosed\n');
    // Bob's Sequence is cleared by a person.
    world.airtable.updateRecord(world.airtableBaseId, 'Leads', bobId!, { Sequence: '' });
    world.clock.advance(enrolledAt + DAY + 60_000 - world.clock.now());
    await cycle();
    expect(sentTo('ann@people.example')).toHaveLength(1);
    expect(records(world)['ann@people.example']?.['Sequence status']).toMatch(/^Step 1 of 3 sent /);

    // Fixed: the day-1 step is gone (skipped, and the sent day-0 step is not sent again); day 2 changed.
    await writeFile(file, 'drip:\n  - after: 2d\n    brief: A brand new closing note.\n');
    world.clock.advance(enrolledAt + 2 * DAY + 60_000 - world.clock.now());
    await cycle();
    const ann = sentTo('ann@people.example');
    expect(ann.map((m) => m.text.split('\n')[0])).toEqual([
      'Hello again. Say hello.',
      'Hello again. A brand new closing note.',
    ]);
    expect(ann[1]!.threadId).toBe(ann[0]!.threadId);
    expect(records(world)['ann@people.example']?.['Sequence status']).toMatch(/^Completed \d{4}-\d\d-\d\d$/);
    expect(sentTo('bob@people.example')).toHaveLength(1);
    expect(records(world)['bob@people.example']?.['Sequence status']).toBe('Skipped: Sequence cleared');
  }, 30_000);

  it('sends every email through review with SEQUENCE_REVIEW_ALL, and a rejected step is skipped', async () => {
    scriptModel();
    const dir = await tempDir();
    const file = join(await tempDir(), 'sequences.yaml');
    await writeFile(
      file,
      'two:\n  - after: 0d\n    brief: Say hello.\n  - after: 1d\n    brief: Say goodbye.\n',
    );
    const env = { SEQUENCES_FILE: file, SEQUENCE_REVIEW_ALL: 'true' };
    await sequenceCycle(world, dir, env);
    world.clock.advance(60_000);
    enrol(world, [{ Name: 'Cy', Email: 'cy@people.example' }], 'two');
    await sequenceCycle(world, dir, env);
    expect(world.gmail.sent().filter((m) => m.to === 'cy@people.example')).toHaveLength(0);
    expect(records(world)['cy@people.example']?.['Sequence status']).toBe('Waiting for review');
    const card = world.trello.cards('Review').find((c) => c.name.includes('Cy'))!;
    expect(card.name).toBe('Sequence two 1/2: Cy');
    expect(card.labels).toEqual([]);
    world.trello.moveCard(card.id, 'Rejected');
    await sequenceCycle(world, dir, env);
    expect(records(world)['cy@people.example']?.['Sequence status']).toBe(
      'Skipped: step 1 rejected in review',
    );

    world.clock.advance(DAY + 60_000);
    await sequenceCycle(world, dir, env);
    const second = world.trello.cards('Review').find((c) => c.name.includes('Cy'))!;
    expect(second.name).toBe('Sequence two 2/2: Cy');
    world.trello.moveCard(second.id, 'Approved');
    await sequenceCycle(world, dir, env);
    const sent = world.gmail.sent().filter((m) => m.to === 'cy@people.example');
    expect(sent.map((m) => m.text.split('\n')[0])).toEqual(['Hello again. Say goodbye.']);
    expect(sent[0]!.text).toMatch(/\n--\nReply "unsubscribe" and you won't hear from us again\.$/);
    expect(records(world)['cy@people.example']?.['Sequence status']).toMatch(/^Completed /);
  }, 30_000);
});
