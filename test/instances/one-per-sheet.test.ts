// One Baton per sheet: a second instance (another data folder) on the same lead sheet is refused,
// naming the first; it may start once the first stops cleanly, or once the first's heartbeat is
// stale after a crash — and then the first, if it was only slow, stands down instead of competing.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { INSTANCE_KEY } from '../../connectors/sheets/index.ts';
import { INSTANCE_LIST } from '../../connectors/trello/index.ts';
import { buildPitch } from '../../recipes/pitch/setup.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import { InstanceBusyError, parseHeartbeat } from '../../src/instances/index.ts';
import type { Logger } from '../../src/log.ts';
import { silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import { LEAD_COLUMNS } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { FAST, pitchWorld, statuses } from '../recipes/pitch-world.ts';
import { capturedLog } from '../support/captured-log.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

/** The wall clock, moved forward by `skew` (so a heartbeat can age minutes in a test). */
function skewedClock(): Clock & { skew: number } {
  const clock = {
    skew: 0,
    now: () => Date.now() + clock.skew,
    sleep: (ms: number, signal?: AbortSignal) => systemClock.sleep(ms, signal),
  };
  return clock;
}

/** A Baton that announces itself (as `baton start` does), over `dataDir`. */
function instance(
  dataDir: string,
  clock: Clock,
  log: Logger = silentLogger,
  env: Record<string, string> = {},
): Baton {
  const recipe = buildPitch({ env: { ...world.env, ...env }, log, clock }, { ...FAST, pollIntervalMs: 1000 });
  return new Baton({
    store: new FileStore({ dir: dataDir, log }),
    recipes: [recipe],
    log,
    clock,
    pollIntervalMs: 1000,
    onceRetryHorizonMs: 5000,
    instance: { dataDir, settleMs: 50 },
  });
}

const heartbeats = () =>
  world.sheets
    .spreadsheetMetadata(world.spreadsheetId)
    .filter((m) => m.key === INSTANCE_KEY)
    .map((m) => parseHeartbeat(m.value));

describe('one Baton per sheet', () => {
  it('refuses a second instance naming the first, and lets it start once the first stops', async () => {
    const clock = skewedClock();
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    world.addLead({ Name: 'Ann', Email: 'ann@leads.example', Company: 'Ann Co' });
    const first = instance(dirA, clock);
    await first.open();
    expect(heartbeats()).toEqual([
      expect.objectContaining({ dataDir: dirA, host: hostname(), pid: process.pid }),
    ]);

    const second = instance(dirB, clock);
    const refused = await second.open().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(InstanceBusyError);
    const message = (refused as Error).message;
    expect(message).toContain(`spreadsheet ${world.spreadsheetId}`);
    expect(message).toContain(`on host ${hostname()}`);
    expect(message).toContain(`data folder ${dirA}`);
    expect(message).toMatch(/last heartbeat \d{4}-\d\d-\d\dT/);
    expect(heartbeats()).toHaveLength(1); // the refused one left nothing behind

    await first.runOnce();
    expect(statuses(world)['ann@leads.example']).toBe('In review');
    await first.stop(1000);
    expect(heartbeats()).toEqual([]); // a clean stop removes its heartbeat
    expect(world.trello.cards(INSTANCE_LIST)).toEqual([]);

    await second.open();
    expect(heartbeats()).toEqual([expect.objectContaining({ dataDir: dirB })]);
    await second.stop(1000);
  }, 30_000);

  it('refuses an instance on another sheet that shares the review board, naming the board', async () => {
    const clock = skewedClock();
    const otherSheet = world.sheets.createSpreadsheet({
      title: 'Other leads',
      tabs: { Leads: [LEAD_COLUMNS] },
    });
    const first = instance(await tempDir(), clock);
    await first.open();
    const second = instance(await tempDir(), clock, silentLogger, { PITCH_SHEET_ID: otherSheet });
    const refused = await second.open().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(InstanceBusyError);
    expect((refused as Error).message).toContain(`Trello board ${world.env.TRELLO_BOARD_ID}`);
    // It announced itself on its own sheet first, and took that back when the board refused it.
    expect(world.sheets.spreadsheetMetadata(otherSheet)).toEqual([]);
    await first.stop(1000);
  }, 30_000);

  it('announces itself again at the next renewal when its heartbeat was deleted', async () => {
    const clock = skewedClock();
    const dir = await tempDir();
    const { log, lines } = capturedLog();
    const baton = instance(dir, clock, log);
    await baton.open();
    world.sheets.clearSpreadsheetMetadata(world.spreadsheetId);
    clock.skew += 31_000; // renewals are at least 30 s apart
    await baton.runOnce();
    expect(lines.some((l) => l.msg.includes('our heartbeat is gone'))).toBe(true);
    expect(heartbeats()).toEqual([expect.objectContaining({ id: baton.instanceId, dataDir: dir })]);
    await baton.stop(1000);
    expect(heartbeats()).toEqual([]);
  }, 30_000);

  it('of two instances starting at the same moment, exactly one starts', async () => {
    const clock = skewedClock();
    const batons = [instance(await tempDir(), clock), instance(await tempDir(), clock)];
    const outcomes = await Promise.allSettled(batons.map((b) => b.open()));
    const opened = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [batons[i]!] : []));
    expect(opened).toHaveLength(1);
    expect(outcomes.find((o) => o.status === 'rejected')?.reason).toBeInstanceOf(InstanceBusyError);
    expect(heartbeats()).toHaveLength(1);
    await opened[0]!.stop(1000);
  }, 30_000);

  it("takes over a crashed instance's heartbeat once stale; the first, if alive after all, stands down", async () => {
    const clock = skewedClock();
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    const first = instance(dirA, clock);
    await first.open(); // then "crashes": it never renews
    const { log, lines } = capturedLog();
    const second = instance(dirB, clock, log);
    await expect(second.open()).rejects.toBeInstanceOf(InstanceBusyError);

    clock.skew += 2 * 60_000 - 5000; // not yet stale: max(3 × 1 s poll, 2 min)
    await expect(second.open()).rejects.toBeInstanceOf(InstanceBusyError);
    clock.skew += 10_000;
    await second.open();
    expect(
      lines.some(
        (l) => l.level === 40 && l.msg.includes('taking over from a stale Baton') && l.msg.includes(dirA),
      ),
    ).toBe(true);
    expect(heartbeats()).toEqual([expect.objectContaining({ dataDir: dirB })]);

    // The first was only frozen: its next poll finds its heartbeat gone and the second live.
    world.addLead({ Name: 'Bob', Email: 'bob@leads.example', Company: 'Bob Co' });
    let displaced: InstanceBusyError | undefined;
    void first.displaced.then((err) => {
      displaced = err;
    });
    await expect(first.runOnce()).rejects.toBeInstanceOf(InstanceBusyError);
    await Promise.resolve();
    expect(displaced?.message).toContain(`data folder ${dirB}`);
    expect(statuses(world)['bob@leads.example']).toBe(''); // the first did not touch it
    expect(heartbeats()).toEqual([expect.objectContaining({ dataDir: dirB })]);

    await second.runOnce();
    expect(statuses(world)['bob@leads.example']).toBe('In review');
    await first.stop(1000);
    await second.stop(1000);
    expect(heartbeats()).toEqual([]);
  }, 30_000);
});
