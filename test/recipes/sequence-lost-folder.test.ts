// A deleted data folder mid-sequence loses the runs, not the enrolments: on the restart every record
// still in its sequence gets its run back (its `Sequence run` key), continues after the steps its
// `Sequence status` says are done, timed from `Sequence enrolled`, in the same thread. A step whose
// email went out but whose status write was lost is found in Gmail by its mark and never sent again.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resumedStart } from '../../recipes/sequence/resume.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadsWorld } from './leads-world.ts';
import { DAY, enrol, HOUR, records, sequenceCycle } from './sequence-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

const BRIEFS = ['Say hello.', 'Share tip one.', 'Share tip two.'];

/** The writer puts the brief in the email; the auditor passes everything. */
function scriptModel() {
  world.openai.respondWith((call) => {
    const text = call.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
    if (call.schemaName === 'sequence_audit')
      return { verdict: 'PASS', confidence: 0.95, problems: [], corrections: '' };
    if (call.schemaName !== 'sequence_email') return undefined;
    const brief = /^What this email should do: (.*)$/m.exec(text)?.[1] ?? '';
    return { subject: 'A note for you', body: `Hello there. ${brief}\n\nBest, Sam` };
  });
}

describe('sequence after a lost data folder', () => {
  it('gives every person mid-sequence the remaining steps exactly once, at their days, in their thread', async () => {
    scriptModel();
    const file = join(await tempDir(), 'sequences.yaml');
    await writeFile(
      file,
      `drip:\n${BRIEFS.map((b, i) => `  - after: ${[0, 3, 7][i]}d\n    brief: ${b}\n`).join('')}`,
    );
    const env = { SEQUENCES_FILE: file, SEND_WINDOW: 'always' };
    const dir = await tempDir();
    const cycle = () => sequenceCycle(world, dir, env);
    /** The data folder is deleted, as a person cleaning up the server might. */
    const loseFolder = () => rm(dir, { recursive: true, force: true });

    await cycle(); // first enable
    world.clock.advance(60_000);
    const enrolledAt = world.clock.now();
    const people = ['Ada', 'Bea', 'Cyd'].map((n) => ({
      Name: n,
      Email: `${n.toLowerCase()}@people.example`,
    }));
    enrol(world, people, 'drip');
    await cycle();
    const sentTo = (email: string) =>
      world.gmail
        .sent()
        .filter((m) => m.to === email)
        .sort((a, b) => a.internalDate - b.internalDate);
    for (const p of people) {
      expect(sentTo(p.Email)).toHaveLength(1);
      expect(records(world)[p.Email]?.['Sequence status']).toMatch(/^Step 1 of 3 sent /);
      expect(records(world)[p.Email]?.['Sequence run']).toMatch(/^rec\w+#\w+$/);
      const enrolled = Date.parse(String(records(world)[p.Email]?.['Sequence enrolled']));
      expect(enrolled).toBeGreaterThanOrEqual(enrolledAt - 1000);
      expect(enrolled).toBeLessThan(enrolledAt + 60_000);
    }

    // Day 1: the data folder is lost. Day 3, after a restart: step 2 for everyone, once.
    world.clock.advance(DAY);
    await loseFolder();
    await cycle();
    for (const p of people) expect(sentTo(p.Email)).toHaveLength(1);
    world.clock.advance(enrolledAt + 3 * DAY + 60_000 - world.clock.now());
    await cycle();
    for (const p of people) {
      const mails = sentTo(p.Email);
      expect(mails).toHaveLength(2);
      expect(mails[1]!.internalDate).toBeGreaterThanOrEqual(enrolledAt + 3 * DAY);
      expect(mails[1]!.internalDate).toBeLessThan(enrolledAt + 3 * DAY + HOUR);
      expect(records(world)[p.Email]?.['Sequence status']).toMatch(/^Step 2 of 3 sent /);
    }

    // Cyd's step 2 went out but the status write was lost with the folder: the record still says step 1.
    const cyd = people[2]!;
    const stepOneStatus = `Step 1 of 3 sent ${new Date(sentTo(cyd.Email)[0]!.internalDate).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    world.airtable.updateRecord(world.airtableBaseId, 'Leads', String(records(world)[cyd.Email]?.id), {
      'Sequence status': stepOneStatus,
    });
    await loseFolder();
    world.clock.advance(enrolledAt + 7 * DAY + 60_000 - world.clock.now());
    await cycle();
    await cycle();

    for (const p of people) {
      const mails = sentTo(p.Email);
      // Exactly three emails, one per step, in order, never a step twice.
      expect(mails.map((m) => BRIEFS.find((b) => m.text.includes(b)))).toEqual(BRIEFS);
      expect(new Set(mails.map((m) => m.threadId)).size).toBe(1);
      expect(mails[2]!.internalDate).toBeGreaterThanOrEqual(enrolledAt + 7 * DAY);
      expect(records(world)[p.Email]?.['Sequence status']).toMatch(/^Completed /);
    }
  });

  it('finds the card a lost run left waiting: no second card, the approval sends once, the sequence goes on', async () => {
    scriptModel();
    const file = join(await tempDir(), 'sequences.yaml');
    await writeFile(
      file,
      'two:\n  - after: 0d\n    brief: Say hello.\n  - after: 1d\n    brief: Say thanks.\n',
    );
    const env = { SEQUENCES_FILE: file, SEQUENCE_REVIEW_ALL: 'true', SEND_WINDOW: 'always' };
    const dir = await tempDir();
    const cycle = () => sequenceCycle(world, dir, env);
    const cards = (n: number) => world.trello.cards().filter((c) => c.name === `Sequence two ${n}/2: Dee`);
    const status = () => records(world)['dee@people.example']?.['Sequence status'];
    const sent = () =>
      world.gmail
        .sent()
        .filter((m) => m.to === 'dee@people.example')
        .sort((a, b) => a.internalDate - b.internalDate);
    await cycle();
    world.clock.advance(60_000);
    enrol(world, [{ Name: 'Dee', Email: 'dee@people.example' }], 'two');
    await cycle();
    expect(status()).toBe('Waiting for review');
    expect(cards(1)).toHaveLength(1);

    await rm(dir, { recursive: true, force: true });
    await cycle();
    expect(cards(1)).toHaveLength(1);
    world.trello.moveCard(cards(1)[0]!.id, 'Approved');
    await cycle();
    expect(sent().map((m) => m.text.split('\n')[0])).toEqual(['Hello there. Say hello.']);
    expect(status()).toMatch(/^Step 1 of 2 sent /);

    world.clock.advance(DAY);
    await cycle();
    world.trello.moveCard(cards(2)[0]!.id, 'Approved');
    await cycle();
    expect(sent().map((m) => m.text.split('\n')[0])).toEqual([
      'Hello there. Say hello.',
      'Hello there. Say thanks.',
    ]);
    expect(new Set(sent().map((m) => m.threadId)).size).toBe(1);
    expect(cards(1)).toHaveLength(1);
    expect(cards(2)).toHaveLength(1);
    expect(status()).toMatch(/^Completed /);
  });

  it('times a record written before `Sequence enrolled` existed from its last step, and starts over on an unknown status', () => {
    const steps = [
      { after: '0d', afterMs: 0, brief: 'a' },
      { after: '3d', afterMs: 3 * DAY, brief: 'b' },
      { after: '7d', afterMs: 7 * DAY, brief: 'c' },
    ];
    const now = Date.parse('2026-12-10T12:00:00Z');
    expect(resumedStart({ 'Sequence status': 'Step 2 of 3 sent 2026-12-04 10:00 UTC' }, steps, now)).toEqual({
      enrolledAt: '2026-12-01T10:00:00.000Z',
      done: 2,
      lastAfterMs: 3 * DAY,
      resumed: true,
      inReview: false,
    });
    expect(
      resumedStart(
        { 'Sequence status': 'Waiting for review', 'Sequence enrolled': '2026-12-02T08:30:00.000Z' },
        steps,
        now,
      ),
    ).toEqual({
      enrolledAt: '2026-12-02T08:30:00.000Z',
      done: 0,
      lastAfterMs: -1,
      resumed: true,
      inReview: true,
    });
  });
});
