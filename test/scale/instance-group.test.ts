// Instances sharing a Redis are one Baton: on an Airtable base, they accept each other instead of
// refusing; an instance of another group, or of none, is still refused naming the one there.
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AIRTABLE_RENEW_MS,
  airtableInstanceHome,
  BATON_TABLE,
  BATON_TABLE_SCHEMA,
  records,
  type TableRef,
} from '../../connectors/airtable/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { defineRecipe } from '../../src/engine/index.ts';
import { InstanceBusyError, parseHeartbeat } from '../../src/instances/index.ts';
import { silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { redisGroup } from '../../src/scale/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { fastClient, leadsTable, TOKEN } from '../connectors/airtable/fixture.ts';
import { useEmulators } from '../support/msw.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken(TOKEN, {
  scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'schema.bases:write'],
});
const redis = useRedis();
const tempDir = useTempDirs();
const POLL_MS = 5 * 60_000;

let leads: TableRef;
beforeEach(async () => {
  leads = leadsTable(airtable);
  await fastClient().createTable(leads.base, BATON_TABLE_SCHEMA);
});

const opened: Baton[] = [];
afterAll(async () => {
  for (const b of opened) await b.stop().catch(() => undefined);
});

/** A Baton process on the Leads table, announcing itself (in `group` when given) as `baton start` does. */
async function instance(group?: string): Promise<Baton> {
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
        instanceHome: airtableInstanceHome(client, leads.base, { renewEveryMs: AIRTABLE_RENEW_MS }),
        clock,
      }),
    ],
    run: async () => undefined,
  });
  const baton = new Baton({
    store: new FileStore({ dir: await tempDir(), log: silentLogger }),
    recipes: [recipe],
    clock,
    pollIntervalMs: POLL_MS,
    onceRetryHorizonMs: 0,
    instance: { dataDir: await tempDir(), settleMs: 0, ...(group ? { group } : {}) },
  });
  opened.push(baton);
  return baton;
}

const heartbeats = () =>
  airtable.records(leads.base, BATON_TABLE).map((r) => parseHeartbeat(String(r.fields.Heartbeat)));

describe('instances in one Redis group', { timeout: 30_000 }, () => {
  it('gets one group id per Redis, whatever the connection, and never the password', async () => {
    const a = new Redis(redis.url);
    const first = await redisGroup(a);
    a.disconnect();
    const second = await redisGroup(redis.url.replace('127.0.0.1', 'localhost'));
    expect(first).toMatch(/^redis:[0-9a-f]{12}$/);
    expect(second).toBe(first);
  });

  it('accepts instances of the same group on a base and keeps each one’s heartbeat', async () => {
    const group = await redisGroup(redis.url);
    const [a, b, c] = [await instance(group), await instance(group), await instance(group)];
    for (const baton of [a, b, c]) await baton.open();
    expect(
      heartbeats()
        .map((h) => h?.id)
        .sort(),
    ).toEqual([a.instanceId, b.instanceId, c.instanceId].sort());
    expect(heartbeats().every((h) => h?.group === group)).toBe(true);
    // A renewal by one leaves the others alone.
    clock.advance(AIRTABLE_RENEW_MS);
    await a.runOnce();
    expect(heartbeats()).toHaveLength(3);
    for (const baton of [a, b, c]) await baton.stop();
    expect(heartbeats()).toEqual([]);
  });

  it('still refuses an instance outside the group, and a group member beside a lone instance', async () => {
    const group = await redisGroup(redis.url);
    const member = await instance(group);
    await member.open();
    const lone = await instance();
    await expect(lone.open()).rejects.toBeInstanceOf(InstanceBusyError);
    const otherGroup = await instance('redis:0123456789ab');
    await expect(otherGroup.open()).rejects.toBeInstanceOf(InstanceBusyError);
    await member.stop();

    const first = await instance();
    await first.open();
    await expect((await instance(group)).open()).rejects.toBeInstanceOf(InstanceBusyError);
    await first.stop();
  });
});
