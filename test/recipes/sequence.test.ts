// The drip sequence end to end (issue 12): 10 people enrolled in `nurture` (day 0, 3, 7) with a daily
// cap of 5 and a Mon-Fri 09:00-17:00 send window. Two reply after step 1 and hear nothing more, one
// replies "unsubscribe" (ticked, nothing more), one email fails its audit (a card, edited, approved,
// sent as edited); the others get exactly 3 emails each, in one thread, at their days, inside the
// window; what the cap holds back goes at the next opening.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadsWorld } from './leads-world.ts';
import { DAY, enrol, HOUR, records, scriptAudits, sequenceCycle, travelToMonday } from './sequence-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

const people = Array.from({ length: 10 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { Name: `Person ${n}`, Email: `person${n}@people.example`, Company: `Company ${n}` };
});
const ENV = { GMAIL_DAILY_LIMIT: '5', SEND_WINDOW: 'Mon-Fri 09:00-17:00', TZ: 'UTC' };
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe('sequence', () => {
  it('runs nurture for 10 people: replies and unsubscribes stop it, a failed audit is reviewed, the rest get 3 emails each', async () => {
    const dir = await tempDir();
    const cycle = () => sequenceCycle(world, dir, ENV);
    // The email to "Person 07" at step 2 (the customer story) fails every audit.
    const failing = 'Person 07';
    scriptAudits(world, (name, brief) => name === failing && brief.startsWith('A short customer story'));

    const monday = travelToMonday(world, 9, 59);
    await cycle(); // first enable: from now on records with a Sequence are enrolled
    world.clock.advance(60_000);
    const enrolledAt = world.clock.now();
    enrol(world, people, 'nurture');
    await cycle();

    const sentTo = (email: string) => world.gmail.sent().filter((m) => m.to === email);
    const sentOn = (d: string) => world.gmail.sent().filter((m) => day(m.internalDate) === d);
    // The cap: five first emails on Monday; the other five wait.
    expect(sentOn(day(monday))).toHaveLength(5);
    let recs = records(world);
    const mondayFive = people.filter((p) => sentTo(p.Email).length === 1);
    const waiting = people.filter((p) => sentTo(p.Email).length === 0);
    expect(mondayFive).toHaveLength(5);
    for (const p of mondayFive)
      expect(recs[p.Email]?.['Sequence status']).toMatch(/^Step 1 of 3 sent \d{4}-\d\d-\d\d 10:00 UTC$/);
    for (const p of waiting) expect(recs[p.Email]?.['Sequence status']).toBe('Enrolled');
    const first = sentTo(mondayFive[0]!.Email)[0]!;
    expect(first.text).toMatch(/\n--\nReply "unsubscribe" and you won't hear from us again\.$/);
    expect(first.listUnsubscribe).toMatch(/^<mailto:.+\?subject=unsubscribe>$/);

    // Two of them reply; one asks to unsubscribe (the failing person keeps going).
    const [r1, r2, unsub] = mondayFive.filter((p) => p.Name !== failing);
    for (const p of [r1!, r2!]) {
      const m = sentTo(p.Email)[0]!;
      await world.gmail.receive({
        from: p.Email,
        subject: `Re: ${m.subject}`,
        text: 'Interesting — tell me more.',
        threadId: m.threadId,
      });
    }
    const u = sentTo(unsub!.Email)[0]!;
    await world.gmail.receive({
      from: unsub!.Email,
      subject: `Re: ${u.subject}`,
      text: 'unsubscribe',
      threadId: u.threadId,
    });
    world.clock.advance(HOUR);
    await cycle();
    recs = records(world);
    // Stopped as soon as the reply came: Monday, not at the next step.
    for (const p of [r1!, r2!]) {
      expect(recs[p.Email]?.['Sequence status']).toBe(`Stopped: replied ${day(monday)}`);
      expect(recs[p.Email]?.Status).toMatch(/^Replied \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    }
    expect(recs[unsub!.Email]).toMatchObject({
      'Sequence status': 'Stopped: unsubscribed',
      Unsubscribed: true,
    });
    expect(readFileSync(join(dir, 'do-not-contact.json'), 'utf8')).toContain(unsub!.Email);
    const pings = world.slack.messages().map((m) => m.text ?? '');
    expect(pings.filter((t) => t.includes('replied to the sequence'))).toHaveLength(2);

    // Monday evening, then Tuesday 09:00: the five held back by the cap go at the window's opening.
    const tuesdayOpen = enrolledAt - 60 * 60_000 + DAY; // Monday 10:00 → Tuesday 09:00
    world.clock.advance(tuesdayOpen + 60_000 - world.clock.now());
    await cycle();
    for (const p of waiting) {
      const mails = sentTo(p.Email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.internalDate).toBeGreaterThanOrEqual(tuesdayOpen);
      expect(mails[0]!.internalDate).toBeLessThan(tuesdayOpen + HOUR);
    }

    // Thursday 10:00 (day 3): step 2 for the seven still enrolled; five go, Person 07's is a card.
    world.clock.advance(enrolledAt + 3 * DAY + 60_000 - world.clock.now());
    await cycle();
    const card = world.trello.cards('Review').find((c) => c.name.includes(failing))!;
    expect(card).toBeDefined();
    expect(card.labels).toContain('Audit failed');
    const person07 = people.find((p) => p.Name === failing)!;
    expect(records(world)[person07.Email]?.['Sequence status']).toBe('Waiting for review');
    expect(sentOn(day(enrolledAt + 3 * DAY))).toHaveLength(5);
    // The reviewer edits the card and approves it.
    world.trello.editDescription(
      card.id,
      card.desc.replace(/^(Subject: .*\n\n)/, '$1Edited by the reviewer. '),
    );
    world.trello.moveCard(card.id, 'Approved');
    await cycle();
    // Friday 09:00: Thursday's cap held the rest (and the approval) until Friday's opening.
    world.clock.advance(enrolledAt + 4 * DAY - HOUR + 60_000 - world.clock.now());
    await cycle();
    const reviewed = sentTo(person07.Email).sort((a, b) => a.internalDate - b.internalDate);
    expect(reviewed).toHaveLength(2);
    expect(reviewed[1]!.text).toContain('Edited by the reviewer. ');
    expect(reviewed[1]!.threadId).toBe(reviewed[0]!.threadId);

    // Next Monday (day 7) and Tuesday: step 3.
    world.clock.advance(enrolledAt + 7 * DAY + 60_000 - world.clock.now());
    await cycle();
    world.clock.advance(enrolledAt + 8 * DAY - HOUR + 60_000 - world.clock.now());
    await cycle();

    const stopped = [r1!, r2!, unsub!].map((p) => p.Email);
    const others = people.filter((p) => !stopped.includes(p.Email));
    expect(others).toHaveLength(7);
    recs = records(world);
    const afters = [0, 3 * DAY, 7 * DAY];
    for (const p of others) {
      const mails = sentTo(p.Email).sort((a, b) => a.internalDate - b.internalDate);
      expect(mails, p.Name).toHaveLength(3);
      expect(new Set(mails.map((m) => m.threadId)).size).toBe(1);
      expect(mails[1]!.subject).toBe(`Re: ${mails[0]!.subject}`);
      mails.forEach((m, i) => {
        const at = new Date(m.internalDate);
        // At its day (or the next opening when the cap held it), inside the window.
        expect(m.internalDate).toBeGreaterThanOrEqual(enrolledAt + afters[i]!);
        expect(m.internalDate).toBeLessThan(enrolledAt + afters[i]! + DAY);
        expect(at.getUTCDay()).toBeGreaterThanOrEqual(1);
        expect(at.getUTCDay()).toBeLessThanOrEqual(5);
        expect(at.getUTCHours()).toBeGreaterThanOrEqual(9);
        expect(at.getUTCHours()).toBeLessThan(17);
      });
      expect(recs[p.Email]?.['Sequence status']).toMatch(/^Completed \d{4}-\d\d-\d\d$/);
    }
    for (const email of stopped) expect(sentTo(email)).toHaveLength(1);
    // Never more than 5 a day.
    const perDay = new Map<string, number>();
    for (const m of world.gmail.sent())
      perDay.set(day(m.internalDate), (perDay.get(day(m.internalDate)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBeLessThanOrEqual(5);
    expect(world.gmail.sent()).toHaveLength(7 * 3 + 3);
    expect(existsSync(join(dir, 'do-not-contact.json'))).toBe(true);
  }, 60_000);
});
