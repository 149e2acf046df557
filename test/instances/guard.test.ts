// The instance guard's own rules, on homes kept in memory (the connectors' homes are tested against
// the emulators in the sibling files): a refusal on one source leaves no heartbeat on the others.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import {
  type Heartbeat,
  InstanceBusyError,
  InstanceGuard,
  type InstanceHome,
} from '../../src/instances/index.ts';

class MemoryHome implements InstanceHome {
  readonly label: string;
  beats: Heartbeat[] = [];
  announces = 0;
  constructor(readonly id: string) {
    this.label = `home ${id}`;
  }
  async list() {
    return [...this.beats];
  }
  async announce(beat: Heartbeat, replaces: string[]) {
    this.announces++;
    this.beats = [...this.beats.filter((b) => !replaces.includes(b.id)), beat];
  }
  async renew(beat: Heartbeat) {
    const found = this.beats.some((b) => b.id === beat.id);
    if (found) this.beats = this.beats.map((b) => (b.id === beat.id ? beat : b));
    return found;
  }
  async remove(ids: string[]) {
    this.beats = this.beats.filter((b) => !ids.includes(b.id));
  }
}

/** A clock whose sleeps end only when the test says so. */
function heldClock() {
  const sleeping: (() => void)[] = [];
  const clock: Clock = {
    now: () => 1_000_000,
    sleep: () => new Promise<void>((resolve) => sleeping.push(resolve)),
  };
  const wake = () => {
    for (const resolve of sleeping.splice(0)) resolve();
  };
  return { clock, sleeping, wake };
}

/**
 * Holds the answers to a home's first two reads (taken when called) until the test releases each, by
 * call order; later reads pass.
 */
function holdFirstReads(home: MemoryHome): (() => void)[] {
  const list = home.list.bind(home);
  const releases: (() => void)[] = [];
  home.list = () => {
    if (releases.length === 2) return list();
    const answer = list();
    return new Promise((resolve) => releases.push(() => void answer.then(resolve)));
  };
  return releases;
}

const flush = () => new Promise((r) => setImmediate(r));

/** Another instance's heartbeat, renewed a second ago. */
const liveRival: Heartbeat = {
  id: 'other',
  host: 'vps',
  dataDir: '/srv/baton',
  pid: 7,
  startedAt: 1,
  beatAt: 999_000,
  staleAfterMs: 120_000,
};

/** The guard of instance `id` (default `me`), polling every home each minute. */
const guardOn = (homes: InstanceHome[], clock: Clock, id = 'me') =>
  new InstanceGuard({
    homes: homes.map((home) => ({ home, intervalMs: 60_000 })),
    id,
    dataDir: '/data',
    clock,
  });

describe('InstanceGuard.join', () => {
  it('refuses when one source has a live other instance, before writing on any source', async () => {
    const homes = ['sheets', 'trello'].map((id) => new MemoryHome(id));
    homes[1]!.beats = [liveRival];
    const joined = guardOn(homes, heldClock().clock).join();
    await expect(joined).rejects.toBeInstanceOf(InstanceBusyError);
    await expect(joined).rejects.toThrow(/vps/);
    expect(homes.map((h) => h.announces)).toEqual([0, 0]);
    expect(homes[0]!.beats).toEqual([]);
    expect(homes[1]!.beats.map((b) => b.id)).toEqual(['other']);
  });

  it('announces on every source at once, so start-up waits one settle, not one per source', async () => {
    const homes = ['sheets', 'trello', 'airtable'].map((id) => new MemoryHome(id));
    const { clock, sleeping, wake } = heldClock();
    const guard = guardOn(homes, clock);
    const joined = guard.join();
    await flush();
    expect(sleeping).toHaveLength(1);
    wake();
    await joined;
    expect(homes.map((h) => h.beats.map((b) => b.id))).toEqual([['me'], ['me'], ['me']]);
  });

  it('two newcomers on two sources: one stays on both, the other leaves both', async () => {
    // Both read both sources before either announces; `me` reads the sheet first and the board last.
    // With a moment per source, `me` came first on the sheet and `rival` on the board, and both refused.
    const homes = ['sheets', 'trello'].map((id) => new MemoryHome(id));
    const [sheetReads, boardReads] = homes.map(holdFirstReads);
    let tick = 1_000_000;
    const { sleeping, wake } = heldClock();
    const clock: Clock = { now: () => tick++, sleep: () => new Promise<void>((r) => sleeping.push(r)) };
    const both = Promise.allSettled([guardOn(homes, clock).join(), guardOn(homes, clock, 'rival').join()]);
    for (const release of [sheetReads![0], sheetReads![1], boardReads![1], boardReads![0]]) {
      release!();
      await flush();
    }
    expect(sleeping).toHaveLength(2);
    wake();
    const [mine, theirs] = await both;
    expect(mine.status).toBe('rejected');
    expect(theirs.status).toBe('fulfilled');
    expect(homes.map((h) => h.beats.map((b) => b.id))).toEqual([['rival'], ['rival']]);
  });

  it('settles only once every announce has landed; refused on read-back, removes them all', async () => {
    const sheets = new MemoryHome('sheets');
    const trello = new MemoryHome('trello');
    let finishAnnounce!: () => void;
    const slowAnnounce = trello.announce.bind(trello);
    trello.announce = (beat, replaces) =>
      new Promise<void>((resolve) => {
        finishAnnounce = () => void slowAnnounce(beat, replaces).then(resolve);
      });
    const { clock, sleeping, wake } = heldClock();
    const joined = guardOn([sheets, trello], clock).join();
    await flush();
    expect(sleeping).toHaveLength(0); // the Trello heartbeat is still being written
    // An earlier newcomer's heartbeat lands on the sheet meanwhile.
    sheets.beats.push(liveRival);
    finishAnnounce();
    await flush();
    expect(sleeping).toHaveLength(1);
    wake();
    await expect(joined).rejects.toBeInstanceOf(InstanceBusyError);
    expect(trello.beats).toEqual([]);
    expect(sheets.beats.map((b) => b.id)).toEqual(['other']);
  });
});
