// The pitch recipe end to end through the real SDKs and the emulators: a row becomes a draft and a
// review card; the reviewer's drag decides what happens next.
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pitchBaton, pitchWorld, statuses } from './pitch-world.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

const leads = Array.from({ length: 20 }, (_, i) => ({
  Name: `Lead ${i + 1}`,
  Email: `lead${i + 1}@client${i + 1}.example`,
  Company: `Client ${i + 1} Ltd`,
  Notes: i % 2 === 0 ? 'Runs a bakery with two shops' : 'Wants fewer spreadsheets',
}));

describe('pitch: 20 leads through review', () => {
  it('drafts, reviews, then sends approved, discards rejected and rewrites sent-back pitches', async () => {
    for (const lead of leads) world.addLead(lead);
    const dir = await tempDir();

    // Cycle 1: every row becomes a draft and a card in Review.
    let baton = await pitchBaton(world, dir);
    await baton.runOnce('pitch');
    await baton.stop();

    const drafts = world.gmail.drafts();
    expect(drafts).toHaveLength(20);
    expect(drafts.map((d) => d.to).sort()).toEqual(leads.map((l) => l.Email).sort());
    for (const draft of drafts) {
      const lead = leads.find((l) => l.Email === draft.to)!;
      expect(draft.text).toContain(lead.Company);
      expect(draft.subject.length).toBeGreaterThan(3);
    }
    const inReview = world.trello.cards('Review');
    expect(inReview).toHaveLength(20);
    expect(inReview.map((c) => c.name).sort()).toEqual(
      leads.map((l) => `Pitch: ${l.Name} (${l.Company})`).sort(),
    );
    const card1 = inReview.find((c) => c.name.startsWith('Pitch: Lead 1 '))!;
    const draft1 = drafts.find((d) => d.to === leads[0]!.Email)!;
    expect(card1.desc).toContain(draft1.text.trim().split('\n')[0]);
    expect(card1.desc).toContain('Open the draft in Gmail');
    expect(Object.values(statuses(world))).toEqual(Array(20).fill('In review'));

    // Every model call's tokens and estimated cost are in the run's journal.
    const store = new FileStore({ dir });
    await store.open({ readOnly: true });
    const [run] = await store.listRuns({ recipe: 'pitch' });
    const usage = run?.journal.find((e) => e.id === 'write-pitch')?.annotations?.usage as
      | { totalTokens: number; costUsd?: number; model: string }
      | undefined;
    expect(usage?.model).toBe('gpt-4o-mini');
    expect(usage?.totalTokens).toBeGreaterThan(0);
    expect(usage?.costUsd).toBeGreaterThan(0);

    // The reviewer works through the board.
    const cardOf = (i: number) =>
      inReview.find((c) => c.name === `Pitch: ${leads[i]!.Name} (${leads[i]!.Company})`)!;
    const edited = 'Hi Lead 1,\n\nShort and sweet: can we talk on Tuesday?\n\nSam';
    world.trello.editDescription(cardOf(0).id, `${edited}\n\n---\n${cardOf(0).desc.split('\n---\n')[1]}`);
    for (let i = 0; i < 10; i++) world.trello.moveCard(cardOf(i).id, 'Approved');
    for (let i = 10; i < 15; i++) world.trello.moveCard(cardOf(i).id, 'Rejected');
    for (let i = 15; i < 17; i++) {
      world.trello.moveCard(cardOf(i).id, 'Needs changes');
      world.trello.comment(cardOf(i).id, 'Mention our free first consultation.');
    }
    const before17 = world.gmail.drafts().find((d) => d.to === leads[16]!.Email)!.text;

    // Cycle 2 (a new process, as cron would start it).
    baton = await pitchBaton(world, dir);
    await baton.runOnce('pitch');
    await baton.stop();

    const sent = world.gmail.sent();
    expect(sent.map((m) => m.to).sort()).toEqual(
      leads
        .slice(0, 10)
        .map((l) => l.Email)
        .sort(),
    );
    expect(sent.find((m) => m.to === leads[0]!.Email)?.text.trim()).toBe(edited);
    const remainingDrafts = world.gmail.drafts().map((d) => d.to);
    for (const lead of leads.slice(10, 15)) expect(remainingDrafts).not.toContain(lead.Email);
    const after17 = world.gmail.drafts().find((d) => d.to === leads[16]!.Email)!.text;
    expect(after17).not.toBe(before17);
    expect(after17).toContain('Mention our free first consultation');

    const status = statuses(world);
    for (const lead of leads.slice(0, 10))
      expect(status[lead.Email]).toMatch(/^Sent \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    for (const lead of leads.slice(10, 15)) expect(status[lead.Email]).toBe('Rejected');
    for (const lead of leads.slice(15, 20)) expect(status[lead.Email]).toBe('In review');
    expect(world.trello.cards('Review').map((c) => c.name)).toHaveLength(5);
    expect(world.trello.card(cardOf(0).id)?.comments[0]?.text).toMatch(/^Sent \d{4}-/);
  });
});
