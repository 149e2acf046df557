// One Baton per Airtable base: instances announce themselves in the base's `Baton` table. A second
// one is refused naming the first, may start once the first stops cleanly or goes stale; renewals
// are rare (every 15 minutes at most: the monthly budget counts them); a base without the table is
// said once in the log and left unguarded.
import { hostname } from 'node:os';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AIRTABLE_RENEW_MS,
  airtableInstanceHome,
  airtableRenewEveryMs,
  BATON_TABLE,
  BATON_TABLE_SCHEMA,
  records,
  type TableRef,
} from '../../connectors/airtable/index.ts';
import { buildLeads } from '../../recipes/leads/setup.ts';
import { ManualClock } from '../../src/clock.ts';
import { defineRecipe } from '../../src/engine/index.ts';
import { InstanceBusyError, parseHeartbeat } from '../../src/instances/index.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { fastClient, leadsTable, TOKEN } from '../connectors/airtable/fixture.ts';
import { capturedLog } from '../support/captured-log.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken(TOKEN, {
  scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'schema.bases:write'],
});
const tempDir = useTempDirs();

const POLL_MS = 5 * 60_000;
let leads: TableRef;

beforeEach(() => {
  leads = leadsTable(airtable);
  airtable.requests.clear();
});

/** The base gets its Baton table the way `baton setup leads` makes it: the metadata API. */
async function withBatonTable(): Promise<void> {
  await fastClient().createTable(leads.base, BATON_TABLE_SCHEMA);
  airtable.requests.clear();
}

/** A Baton process polling the Leads table every 5 minutes, announcing itself as `baton start` does. */
function instance(dataDir: string, log: Logger = silentLogger, renewEveryMs = AIRTABLE_RENEW_MS): Baton {
  // Each process has its own client, as two machines would.
  const client = fastClient();
  const recipe = defineRecipe({
    name: 'leads',
    input: z.unknown(),
    triggers: [
      records(client, {
        ...leads,
        statusField: 'Status',
        runField: 'Baton Run',
        intervalMs: POLL_MS,
        claimSettleMs: 0,
        instanceHome: airtableInstanceHome(client, leads.base, { renewEveryMs, log }),
        clock,
        log,
      }),
    ],
    run: async () => undefined,
  });
  return new Baton({
    store: new FileStore({ dir: dataDir, log }),
    recipes: [recipe],
    log,
    clock,
    pollIntervalMs: POLL_MS,
    onceRetryHorizonMs: 0,
    instance: { dataDir, settleMs: 0 },
  });
}

const batonRows = () => airtable.records(leads.base, BATON_TABLE);
const heartbeats = () => batonRows().map((r) => parseHeartbeat(String(r.fields.Heartbeat)));
const batonRequests = (method?: string) =>
  airtable.requests.filter({ ...(method ? { method } : {}), path: /\/v0\/app\w+\/Baton(\?|$|\/)/ });

describe('one Baton per Airtable base', () => {
  it('refuses a second instance naming the first, and lets it start once the first stops', async () => {
    await withBatonTable();
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    const first = instance(dirA);
    await first.open();
    expect(batonRows()).toEqual([
      expect.objectContaining({
        fields: expect.objectContaining({
          Instance: first.instanceId,
          Host: hostname(),
          'Data folder': dirA,
        }),
      }),
    ]);
    // Stale only after three missed 15-minute renewals, whatever the 5-minute poll.
    expect(heartbeats()[0]).toMatchObject({ id: first.instanceId, staleAfterMs: 45 * 60_000 });

    const second = instance(dirB);
    const refused = await second.open().catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(InstanceBusyError);
    const message = (refused as Error).message;
    expect(message).toContain(`Airtable base ${leads.base}`);
    expect(message).toContain(`instance ${first.instanceId} on host ${hostname()}`);
    expect(message).toContain(`data folder ${dirA}`);
    expect(batonRows()).toHaveLength(1); // the refused one left nothing behind
    // Nothing went into the Leads table: it would be polled as a lead.
    expect(airtable.records(leads.base, 'Leads')).toEqual([]);

    await first.stop();
    expect(batonRows()).toEqual([]); // a clean stop removes the heartbeat
    const third = instance(dirB);
    await third.open();
    expect(heartbeats()).toEqual([expect.objectContaining({ id: third.instanceId, dataDir: dirB })]);
    await third.stop();
  });

  it('lets a newcomer take over a stale heartbeat; the first, when it polls again, stands down', async () => {
    await withBatonTable();
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    const first = instance(dirA);
    await first.open();

    clock.advance(44 * 60_000); // not yet stale: 45 minutes
    const early = await instance(dirB)
      .open()
      .catch((err: unknown) => err);
    expect(early).toBeInstanceOf(InstanceBusyError);

    clock.advance(2 * 60_000); // the first has not renewed for 46 minutes (a hung process)
    const { log, lines } = capturedLog();
    const second = instance(dirB, log);
    await second.open();
    expect(lines.map((l) => l.msg)).toContainEqual(
      expect.stringMatching(new RegExp(`^taking over from a stale Baton: instance ${first.instanceId}`)),
    );
    expect(heartbeats().map((b) => b?.id)).toEqual([second.instanceId]);

    // The first's renewal finds its record gone, and the live second one there: it stops polling.
    const displaced = await first.runOnce().catch((err: unknown) => err);
    expect(displaced).toBeInstanceOf(InstanceBusyError);
    expect((displaced as Error).message).toContain(`instance ${second.instanceId}`);
    expect(heartbeats().map((b) => b?.id)).toEqual([second.instanceId]);
    await first.stop();
    await second.stop();
  });

  it('renews the heartbeat at most every 15 minutes, however often it polls', async () => {
    await withBatonTable();
    const baton = instance(await tempDir());
    await baton.open();
    // Joining: one listing, one create, one read-back.
    expect(batonRequests().map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
    airtable.requests.clear();
    const start = clock.now();

    for (let poll = 1; poll <= 12; poll++) {
      clock.advance(POLL_MS);
      await baton.runOnce();
    }
    // 12 polls in an hour: 12 listings of Leads, and 4 renewals (one PATCH each), 15 minutes apart.
    expect(airtable.requests.count({ method: 'GET', path: /\/Leads\?/ })).toBe(12);
    const renewals = batonRequests('PATCH');
    expect(renewals.map((r) => (r.at - start) / 60_000)).toEqual([15, 30, 45, 60]);
    expect(batonRequests()).toHaveLength(4); // nothing else on the Baton table
    expect(heartbeats()[0]?.beatAt).toBe(start + 60 * 60_000);

    await baton.stop();
    expect(batonRequests('DELETE')).toHaveLength(1);
    expect(batonRows()).toEqual([]);
  });

  it('renews daily on a Free plan budget, every 15 minutes on Team', () => {
    expect(airtableRenewEveryMs(100_000)).toBe(15 * 60_000); // ~2,900 calls a month, 2.9%
    expect(airtableRenewEveryMs(Number.POSITIVE_INFINITY)).toBe(15 * 60_000);
    expect(airtableRenewEveryMs(1_000)).toBe(24 * 3_600_000); // 30 calls a month: 3%
    expect(airtableRenewEveryMs(10_000)).toBe(144 * 60_000); // 300 calls a month: 3%
    expect(airtableRenewEveryMs(10)).toBe(24 * 3_600_000); // never slower than daily
  });

  it('the leads recipe guards its base, renewing as rarely as AIRTABLE_PLAN needs', async () => {
    const world = createWorld({ limits: 'relaxed', clock });
    const homeOf = async (env: Record<string, string>) => {
      const recipe = buildLeads({
        env: { ...world.env, ...env },
        log: silentLogger,
        clock,
        dataDir: await tempDir(),
      });
      return recipe.triggers.find((t) => t.id.startsWith('airtable:'))?.instanceHome;
    };
    const free = await homeOf({ AIRTABLE_PLAN: 'free' });
    expect(free).toMatchObject({
      id: `airtable:${world.env.AIRTABLE_BASE_ID}`,
      renewEveryMs: 24 * 3_600_000,
    });
    expect(await homeOf({ AIRTABLE_PLAN: 'team' })).toMatchObject({ renewEveryMs: 15 * 60_000 });
  });

  it('on a Free plan, a day of polls costs one renewal', async () => {
    await withBatonTable();
    const baton = instance(await tempDir(), silentLogger, airtableRenewEveryMs(1_000));
    await baton.open();
    expect(heartbeats()[0]?.staleAfterMs).toBe(3 * 24 * 3_600_000);
    airtable.requests.clear();
    for (let hour = 1; hour <= 25; hour++) {
      clock.advance(60 * 60_000);
      await baton.runOnce();
    }
    expect(batonRequests('PATCH')).toHaveLength(1);
    await baton.stop();
  });

  it('without a Baton table: one log line, no failure, and no more calls spent on it', async () => {
    const [dirA, dirB] = [await tempDir(), await tempDir()];
    const { log, lines } = capturedLog();
    const first = instance(dirA, log);
    await first.open();
    for (let poll = 1; poll <= 6; poll++) {
      clock.advance(20 * 60_000);
      await first.runOnce();
    }
    const said = lines.filter((l) => /no usable 'Baton' table/.test(String(l.msg)));
    expect(said).toHaveLength(1);
    expect(said[0]?.msg).toContain(`Airtable base ${leads.base}`);
    expect(said[0]?.msg).toContain('baton setup leads');
    expect(batonRequests()).toHaveLength(1); // the one listing that found it missing
    expect(airtable.requests.count({ method: 'GET', path: /\/Leads\?/ })).toBe(6);

    // Unguarded: a second instance is not detected here (Sheets and Trello still guard theirs).
    const second = instance(dirB, log);
    await second.open();
    await first.stop();
    await second.stop();
    expect(lines.filter((l) => l.level === 50)).toEqual([]);
  });
});
