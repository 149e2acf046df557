// `baton doctor` with BATON_REDIS_URL, against a real redis-server: the `Airtable calls` line is the
// whole group's month (what every process counted in Redis, under BATON_REDIS_PREFIX), not this
// machine's data folder, and is not checked when Redis cannot be reached.
import { describe, expect, it } from 'vitest';
import { utcMonth } from '../../connectors/airtable/budget-math.ts';
import { airtableBudgetFromEnv, flushAirtableBudgets } from '../../connectors/airtable/index.ts';
import { RedisCallCount } from '../../src/scale/index.ts';
import { doctorLine } from '../support/doctor.ts';
import { freePort } from '../support/ports.ts';
import { useRedis, useRedisClient } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const doctor = (env: NodeJS.ProcessEnv) => doctorLine(env, 'Airtable calls:');

const redis = useRedis();
const tempDir = useTempDirs();
const client = useRedisClient(redis);

/** A data folder whose own process counted 40 calls this month; the group counted `groupCalls`. */
async function scaledOut(prefix: string, base: string, groupCalls: number) {
  const dataDir = await tempDir();
  const env = {
    BATON_DATA_DIR: dataDir,
    BATON_REDIS_URL: redis.url,
    BATON_REDIS_PREFIX: prefix,
    AIRTABLE_BASE_ID: base,
    AIRTABLE_PLAN: 'team',
  };
  const own = airtableBudgetFromEnv(env, { dataDir });
  for (let i = 0; i < 40; i++) own.count(base);
  await flushAirtableBudgets();
  await new RedisCallCount({ redis: client(), prefix }).add(base, utcMonth(Date.now()).key, groupCalls);
  return env;
}

describe('baton doctor: Airtable calls in scale-out', { timeout: 30_000 }, () => {
  it("shows the whole group's month from Redis, not this machine's data folder", async () => {
    const env = await scaledOut('doctor-calls-1:', 'appDoctorGroup', 412);
    // Another group on the same server counts its own month.
    await new RedisCallCount({ redis: client(), prefix: 'doctor-calls-other:' }).add(
      'appDoctorGroup',
      utcMonth(Date.now()).key,
      9_000,
    );
    expect((await doctor(env)).line).toMatch(
      /^✓ Airtable calls: Airtable \(base appDoctorGroup\): 412 calls this month \(whole group\), projected [\d,]+ of 100,000 \(team plan\); polling every 5m$/,
    );
  });

  it("is ✗ when the group's calls spent the month, though this machine made few", async () => {
    const env = await scaledOut('doctor-calls-2:', 'appDoctorSpent', 500);
    const spent = await doctor({ ...env, AIRTABLE_MONTHLY_CALLS: '500' });
    expect(spent.code).toBe(1);
    expect(spent.line).toMatch(
      /^✗ Airtable calls: Airtable \(base appDoctorSpent\): 500 calls this month \(whole group\), all 500 of the team plan's: polls stopped until .*AIRTABLE_MONTHLY_CALLS/,
    );
  });

  it('is not checked when Redis cannot be reached', async () => {
    const env = await scaledOut('doctor-calls-3:', 'appDoctorDown', 1);
    const { line } = await doctor({ ...env, BATON_REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(line).toBe("– Airtable calls: not checked (fix 'Redis' first)");
  });
});
