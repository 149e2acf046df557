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

  it('sends every email through review with SEQUENCE_REVIEW_ALL: a rejected step is skipped, an approval after a reply is not sent', async () => {
    scriptModel();
    const dir = await tempDir();
    const file = join(await tempDir(), 'sequences.yaml');
    await writeFile(
      file,
      'three:\n  - after: 0d\n    brief: Say hello.\n  - after: 1d\n    brief: Say goodbye.\n  - after: 2d\n    brief: Say thanks.\n',
    );
    const env = { SEQUENCES_FILE: file, SEQUENCE_REVIEW_ALL: 'true' };
    const cycle = () => sequenceCycle(world, dir, env);
    const card = (n: number) => world.trello.cards().find((c) => c.name === `Sequence three ${n}/3: Cy`)!;
    const status = () => records(world)['cy@people.example']?.['Sequence status'];
    const sent = () => world.gmail.sent().filter((m) => m.to === 'cy@people.example');
    await cycle();
    world.clock.advance(60_000);
    enrol(world, [{ Name: 'Cy', Email: 'cy@people.example' }], 'three');
    await cycle();
    expect(sent()).toHaveLength(0);
    expect(status()).toBe('Waiting for review');
    expect(card(1).labels).toEqual([]);
    world.trello.moveCard(card(1).id, 'Rejected');
    await cycle();
    expect(status()).toBe('Skipped: step 1 rejected in review');

    // Step 2 is approved: it starts the thread (the step 1 nobody sent is not counted against it).
    world.clock.advance(DAY);
    await cycle();
    world.trello.moveCard(card(2).id, 'Approved');
    await cycle();
    expect(sent().map((m) => m.text.split('\n')[0])).toEqual(['Hello again. Say goodbye.']);
    expect(sent()[0]!.text).toMatch(/\n--\nReply "unsubscribe" and you won't hear from us again\.$/);
    expect(status()).toMatch(/^Step 2 of 3 sent /);

    // Step 3's card waits; Cy answers meanwhile; the approval then sends nothing.
    world.clock.advance(DAY);
    await cycle();
    const first = sent()[0]!;
    await world.gmail.receive({
      from: 'cy@people.example',
      subject: `Re: ${first.subject}`,
      text: 'Thanks, let us talk.',
      threadId: first.threadId,
    });
    world.trello.moveCard(card(3).id, 'Approved');
    await cycle();
    expect(sent()).toHaveLength(1);
    expect(status()).toMatch(/^Stopped: replied \d{4}-\d\d-\d\d$/);
    const comments = world.trello
      .card(card(3).id)!
      .comments.map((c) => c.text)
      .join('\n');
    expect(comments).toContain('Not sent: the sequence to cy@people.example stopped: they replied on');
  }, 30_000);
});
