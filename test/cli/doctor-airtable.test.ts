// `baton doctor` shows the month's Airtable calls when Airtable is configured, and names a wrong budget setting.
import { describe, expect, it } from 'vitest';
import { airtableBudgetFromEnv, flushAirtableBudgets } from '../../connectors/airtable/index.ts';
import { doctorLine } from '../support/doctor.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const doctor = (env: NodeJS.ProcessEnv) => doctorLine(env, 'Airtable calls:');

const tempDir = useTempDirs();

describe('baton doctor: Airtable calls', () => {
  it('shows month-to-date and the projection; ✗ once the month is spent', async () => {
    const dataDir = await tempDir();
    const env = { BATON_DATA_DIR: dataDir, AIRTABLE_BASE_ID: 'appDoctor', AIRTABLE_PLAN: 'team' };
    const budget = airtableBudgetFromEnv(env, { dataDir });
    for (let i = 0; i < 40; i++) budget.count('appDoctor');
    await flushAirtableBudgets();
    expect((await doctor(env)).line).toMatch(
      /^✓ Airtable calls: Airtable \(base appDoctor\): 40 calls this month, projected [\d,]+ of 100,000 \(team plan\); polling every 5m$/,
    );

    const spent = await doctor({ ...env, AIRTABLE_PLAN: 'free', AIRTABLE_MONTHLY_CALLS: '40' });
    expect(spent.code).toBe(1);
    expect(spent.line).toMatch(/^✗ Airtable calls: .*polls stopped until .*AIRTABLE_MONTHLY_CALLS/);
  });

  it('names a wrong setting, and says nothing of Airtable when it is not configured', async () => {
    const dataDir = await tempDir();
    const wrong = await doctor({
      BATON_DATA_DIR: dataDir,
      AIRTABLE_BASE_ID: 'appX',
      AIRTABLE_POLL_INTERVAL: 'soon',
    });
    expect(wrong.line).toMatch(/^✗ Airtable calls: .*AIRTABLE_POLL_INTERVAL 'soon' is not a duration/);
    expect((await doctor({ BATON_DATA_DIR: dataDir })).line).toBeUndefined();
  });
});
