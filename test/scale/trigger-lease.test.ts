// Three processes on one trigger, sharing Redis: one polls at a time, and a dead one hands over.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Logger, silentLogger } from '../../src/log.ts';
import { reportOutages, TriggerLease } from '../../src/scale/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { Poller, type Trigger } from '../../src/triggers/index.ts';
import { capturedLog } from '../support/captured-log.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const redis = useRedis();
const tempDir = useTempDirs();
const INTERVAL = 300;
// Generous: a test machine shared by busy processes may stall the event loop for a few hundred ms.
const GRACE = 1000;

interface Poll {
  process: number;
  start: number;
  end: number;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** One "process": its own Redis connection, lease, store and poller on the shared trigger id. */
async function startProcess(index: number, polls: Poll[], triggerId: string, log: Logger = silentLogger) {
  const client = new Redis(redis.url);
  reportOutages(client, log);
  const lease = new TriggerLease({ redis: client });
  const store = new FileStore({ dir: await tempDir() });
  await store.open();
  const trigger: Trigger = {
    id: triggerId,
    intervalMs: INTERVAL,
    async poll() {
      const start = Date.now();
      await new Promise((r) => setTimeout(r, 20));
      polls.push({ process: index, start, end: Date.now() });
      return {};
    },
  };
  const poller = new Poller({
    trigger,
    store,
    handle: async () => undefined,
    defaultIntervalMs: INTERVAL,
    gate: lease,
    leaseGraceMs: GRACE,
  });
  poller.start();
  cleanups.push(async () => {
    await poller.stop();
    await store.close();
    client.disconnect();
  });
  return { client, lease, poller };
}

function expectNoOverlap(polls: Poll[]) {
  const sorted = [...polls].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.start).toBeGreaterThanOrEqual(sorted[i - 1]!.end);
}

describe('TriggerLease', { timeout: 30_000 }, () => {
  it('lets one of three processes poll a trigger; the others stand by', async () => {
    const polls: Poll[] = [];
    const processes = await Promise.all([0, 1, 2].map((i) => startProcess(i, polls, 'leads')));
    await vi.waitFor(() => expect(polls.length).toBeGreaterThanOrEqual(6), { timeout: 10_000, interval: 50 });

    const pollers = new Set(polls.map((p) => p.process));
    expect(pollers.size).toBe(1);
    const holder = [...pollers][0]!;
    expectNoOverlap(polls);
    expect(await processes[0]!.lease.holder('leads')).toBe(processes[holder]!.lease.token);
    for (const [i, p] of processes.entries()) expect(p.poller.state.standby).toBe(i !== holder);
  });

  it('tells a standby when the holder’s turn lapses, at most one interval and the grace away', async () => {
    const a = new TriggerLease({ redis: redis.url });
    const b = new TriggerLease({ redis: redis.url });
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );
    expect(await a.tryHold('sheet', INTERVAL + GRACE)).toEqual({ held: true });
    const refused = await b.tryHold('sheet', INTERVAL + GRACE);
    expect(refused.held).toBe(false);
    expect(!refused.held && refused.retryInMs).toBeLessThanOrEqual(INTERVAL + GRACE);
    // A release by a process that does not hold the lease leaves it alone.
    await b.release('sheet');
    expect(await a.holder('sheet')).toBe(a.token);
    await a.release('sheet');
    expect(await b.tryHold('sheet', INTERVAL)).toEqual({ held: true });
  });

  it('hands polling over when the holder dies (stops renewing) and when it stops cleanly', async () => {
    const polls: Poll[] = [];
    const processes = await Promise.all([0, 1, 2].map((i) => startProcess(i, polls, 'board')));
    await vi.waitFor(() => expect(polls.length).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 50 });
    const first = polls[0]!.process;

    // The machine is gone: its connection drops and it never renews or releases.
    processes[first]!.client.disconnect();
    await processes[first]!.poller.stop();
    const before = polls.length;
    await vi.waitFor(() => expect(polls.slice(before).some((p) => p.process !== first)).toBe(true), {
      timeout: 10_000,
      interval: 50,
    });
    const deadLast = polls.filter((p) => p.process === first).at(-1)!;
    const takeover = polls.find((p) => p.process !== first)!;
    // Not before the dead holder's turn lapsed (no two processes polling in one interval).
    expect(takeover.start).toBeGreaterThanOrEqual(deadLast.start + INTERVAL);
    expect(polls.filter((p) => p.process === first).length).toBe(before);

    // A clean stop releases the turn and the last process takes it.
    const second = takeover.process;
    await processes[second]!.poller.stop();
    const third = [0, 1, 2].find((i) => i !== first && i !== second)!;
    await vi.waitFor(() => expect(polls.some((p) => p.process === third)).toBe(true), {
      timeout: 10_000,
      interval: 50,
    });
    expectNoOverlap(polls);
  });
  it('stops polling while Redis is down and resumes after it restarts (AOF kept the lease)', async () => {
    const polls: Poll[] = [];
    const { log, lines } = capturedLog();
    await Promise.all([0, 1, 2].map((i) => startProcess(i, polls, 'outage', i === 0 ? log : silentLogger)));
    await vi.waitFor(() => expect(polls.length).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 50 });

    await redis.kill();
    const atKill = polls.length;
    // Five intervals without Redis: nobody can tell whose turn it is, so nobody polls.
    await new Promise((r) => setTimeout(r, 5 * INTERVAL));
    expect(polls.length).toBeLessThanOrEqual(atKill + 1); // a poll already past its lease check may finish
    const down = polls.length;

    await redis.restart();
    await vi.waitFor(() => expect(polls.length).toBeGreaterThan(down + 2), { timeout: 20_000, interval: 50 });
    expectNoOverlap(polls);
    // One line for the outage and one for the recovery, however many reconnection attempts.
    expect(lines.map((l) => l.msg)).toEqual([
      'Redis (BATON_REDIS_URL) is unreachable: work waits and retries',
      'Redis (BATON_REDIS_URL) answers again: resuming',
    ]);
  }, 30_000);
});
