// Two processes calling one Airtable workspace, sharing Redis: the monthly call budget counts their
// requests together, so polls stop when the group (not each process) has spent the month's calls.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { AirtableCallBudget, CallLedger } from '../../connectors/airtable/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { RedisCallCount } from '../../src/scale/index.ts';
import { EDITOR, fastClient, leadsTable, TOKEN } from '../connectors/airtable/fixture.ts';
import { useEmulators } from '../support/msw.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const clock = new ManualClock(Date.UTC(2026, 2, 5, 9));
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken(TOKEN, EDITOR);
const redis = useRedis();
const tempDir = useTempDirs();
const LIMIT = 50;

const connections: Redis[] = [];
afterAll(() => {
  for (const c of connections) c.disconnect();
});

/** A process: its own data folder and budget for the workspace, and an AirtableClient counting into it. */
async function processBudget(workspace: string, shared: boolean) {
  let count: RedisCallCount | undefined;
  if (shared) {
    const connection = new Redis(redis.url);
    connections.push(connection);
    count = new RedisCallCount({ redis: connection });
  }
  const budget = new AirtableCallBudget({
    workspace,
    plan: 'free',
    monthlyCalls: LIMIT,
    pollIntervalMs: 5 * 60_000,
    ledger: new CallLedger(await tempDir()),
    clock,
    ...(count ? { shared: count } : {}),
  });
  return { budget, client: fastClient({ budget }) };
}

async function callsFrom(workspace: string, shared: boolean) {
  const leads = leadsTable(airtable);
  const [a, b] = [await processBudget(workspace, shared), await processBudget(workspace, shared)];
  const before = airtable.requests.all().length;
  for (let i = 0; i < 30; i++) await a.client.listPage(leads);
  for (let i = 0; i < 25; i++) await b.client.listPage(leads);
  expect(airtable.requests.all().length - before).toBe(55);
  // Each flush adds what its process counted; the last one to flush reads both processes' calls, and
  // the other sees them at its next read (within seconds, in the background).
  await Promise.all([a.budget.flush(), b.budget.flush()]);
  await Promise.all([a.budget.flush(), b.budget.flush()]);
  return [a.budget, b.budget] as const;
}

describe('RedisCallCount', { timeout: 30_000 }, () => {
  it('counts two processes’ calls together: both stop polling once the group spent the month', async () => {
    const [a, b] = await callsFrom('wspShared', true);
    expect(a.calls).toBe(55);
    expect(b.calls).toBe(55);
    expect(a.pollsStopped()).toBe(true);
    expect(b.pollsStopped()).toBe(true);
  });

  it('is what stops them: two counts of their own each stay under the month’s calls', async () => {
    const [a, b] = await callsFrom('wspApart', false);
    expect([a.calls, b.calls]).toEqual([30, 25]);
    expect(a.pollsStopped()).toBe(false);
    expect(b.pollsStopped()).toBe(false);
  });

  it('lets a process that made no calls see the group’s count', async () => {
    await callsFrom('wspIdle', true);
    const idle = await processBudget('wspIdle', true);
    idle.budget.pollIntervalFor();
    await idle.budget.flush();
    expect(idle.budget.calls).toBe(55);
    expect(idle.budget.pollsStopped()).toBe(true);
  });
});
