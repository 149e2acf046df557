// The reviewer's side in detail: a comment that comes after the drag, and a card nobody decides on.
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pitchBaton, pitchWorld, statuses } from './pitch-world.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pitch review', () => {
  it('waits for the comment when a card is sent back before the reviewer wrote one', async () => {
    world.addLead({ Name: 'Rita Revise', Email: 'rita@leads.example', Company: 'Revise Co' });
    const dir = await tempDir();
    const cycle = async () => {
      const baton = await pitchBaton(world, dir);
      await baton.runOnce('pitch');
      await baton.stop();
    };
    await cycle();
    const card = world.trello.cards('Review').find((c) => c.name.includes('Rita'))!;
    const firstDraft = world.gmail.drafts().find((d) => d.to === 'rita@leads.example')!.text;

    world.trello.moveCard(card.id, 'Needs changes');
    await cycle();
    expect(statuses(world)['rita@leads.example']).toBe('Revising');
    expect(world.gmail.drafts().find((d) => d.to === 'rita@leads.example')?.text).toBe(firstDraft);

    world.trello.comment(card.id, 'Say we are based in Leeds too.');
    await cycle();
    expect(statuses(world)['rita@leads.example']).toBe('In review');
    expect(world.gmail.drafts().find((d) => d.to === 'rita@leads.example')?.text).toContain(
      'Say we are based in Leeds too',
    );
    expect(world.trello.card(card.id)?.listName).toBe('Review');
  });

  it('expires a card nobody decides on within PITCH_APPROVAL_TIMEOUT: nothing sent, draft deleted, card archived', async () => {
    world.addLead({ Name: 'Ed Expire', Email: 'ed@leads.example', Company: 'Slow Reply Ltd' });
    const dir = await tempDir();
    const env = { PITCH_APPROVAL_TIMEOUT: '1s' };
    let baton = await pitchBaton(world, dir, { env });
    await baton.runOnce('pitch');
    await baton.stop();
    expect(statuses(world)['ed@leads.example']).toBe('In review');

    await sleep(1200);
    baton = await pitchBaton(world, dir, { env });
    await baton.runOnce('pitch');
    await baton.stop();
    expect(statuses(world)['ed@leads.example']).toBe('Expired');
    const card = world.trello.cards().find((c) => c.name.includes('Ed Expire'))!;
    expect(card.comments[0]?.text).toMatch(/^No decision within 1s \(in review since .*\): nothing was sent/);
    expect(card.comments[0]?.text).toContain('clear its Status in the sheet');
    // Archived, so a late drag to Approved cannot look like an approval nobody acts on.
    expect(card.closed).toBe(true);
    expect(world.gmail.drafts().some((d) => d.to === 'ed@leads.example')).toBe(false);
    expect(world.gmail.sent().map((m) => m.to)).not.toContain('ed@leads.example');
  });
});
