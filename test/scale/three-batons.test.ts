// Three Baton processes on the pitch recipe, sharing one Redis through openCoordination: they poll the
// Leads sheet one at a time, so every lead gets exactly one draft and one review card.
import { afterAll, describe, expect, it } from 'vitest';
import { type Coordination, openCoordination } from '../../src/scale/index.ts';
import { pitchBaton, pitchWorld, statuses } from '../recipes/pitch-world.ts';
import { useEmulators } from '../support/msw.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const redis = useRedis();
const tempDir = useTempDirs();

const opened: Coordination[] = [];
afterAll(async () => {
  for (const c of opened) await c.close();
});

const leads = Array.from({ length: 9 }, (_, i) => ({
  Name: `Lead ${i + 1}`,
  Email: `lead${i + 1}@client${i + 1}.example`,
  Company: `Client ${i + 1} Ltd`,
  Notes: 'Runs a bakery with two shops',
}));

describe('three Batons in one Redis group', { timeout: 30_000 }, () => {
  it('give every lead one draft and one card, however many cycles run at once', async () => {
    for (const lead of leads) world.addLead(lead);
    const processes = await Promise.all(
      [0, 1, 2].map(async () => {
        const scale = await openCoordination(redis.url);
        opened.push(scale);
        return pitchBaton(world, await tempDir(), { scale });
      }),
    );
    expect(new Set(opened.map((c) => c.group)).size).toBe(1);
    for (let cycle = 0; cycle < 2; cycle++) await Promise.all(processes.map((b) => b.runOnce('pitch')));
    for (const baton of processes) await baton.stop();

    const drafts = world.gmail.drafts();
    expect(drafts.map((d) => d.to).sort()).toEqual(leads.map((l) => l.Email).sort());
    const cards = world.trello.cards('Review');
    expect(cards).toHaveLength(leads.length);
    expect(Object.values(statuses(world)).every((s) => s === 'In review')).toBe(true);
    // Each trigger (the Leads sheet, the review board) was polled by one process; the others stood by.
    const triggers = processes[0]!.pollerStates().map((p) => p.trigger);
    expect(triggers.length).toBeGreaterThan(1);
    for (const trigger of triggers) {
      const pollers = processes.filter((b) =>
        b.pollerStates().some((p) => p.trigger === trigger && p.polls > 0),
      );
      expect(pollers).toHaveLength(1);
    }
  });
});
