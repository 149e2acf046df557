// `baton status` and `baton doctor` show the month's Airtable calls, read from the data folder Baton owns.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  airtableBudgetFromEnv,
  flushAirtableBudgets,
  type TableRef,
} from '../../../connectors/airtable/index.ts';
import { statusReport } from '../../../src/cli/commands/status.ts';
import { formatStatus } from '../../../src/cli/commands/status-format.ts';
import { ManualClock } from '../../../src/clock.ts';
import { AirtableEmulator } from '../../../src/sandbox/airtable/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { EDITOR, fastClient, leadsTable, TOKEN } from './fixture.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken(TOKEN, EDITOR);
const tempDir = useTempDirs();

let leads: TableRef;
let dataDir: string;
beforeEach(async () => {
  leads = leadsTable(airtable);
  dataDir = await tempDir();
});

describe('baton status', () => {
  it("shows the month's calls, the projection against the plan, and the paced interval", async () => {
    const env = { AIRTABLE_BASE_ID: leads.base };
    const budget = airtableBudgetFromEnv(env, { dataDir, clock });
    const client = fastClient({ budget });
    for (let i = 0; i < 12; i++) await client.listPage(leads);
    await flushAirtableBudgets();

    const report = await statusReport(dataDir, clock.now(), env);
    const usage = budget.usage();
    expect(report.airtable).toMatchObject({
      calls: 12,
      plan: 'free',
      limit: 1000,
      paced: true,
      stopped: false,
    });
    expect(report.airtable).toMatchObject({ projected: usage.projected, intervalMs: usage.intervalMs });
    const text = formatStatus(report);
    expect(text).toMatch(
      new RegExp(
        `Airtable \\(base ${leads.base}\\): 12 calls this month, projected \\d{3} of 1,000 \\(free plan\\); polling every \\d+m to fit`,
      ),
    );
  });

  it('says polls are stopped once the month is spent, and shows nothing when Airtable is not configured', async () => {
    const env = { AIRTABLE_BASE_ID: leads.base, AIRTABLE_MONTHLY_CALLS: '2' };
    const client = fastClient({ budget: airtableBudgetFromEnv(env, { dataDir, clock }) });
    await client.listPage(leads);
    await client.listPage(leads);
    await flushAirtableBudgets();

    const text = formatStatus(await statusReport(dataDir, clock.now(), env));
    expect(text).toContain(
      `Airtable (base ${leads.base}): 2 calls this month, all 2 of the free plan's: polls stopped until 2026-02-01 (UTC)`,
    );
    expect((await statusReport(dataDir, clock.now(), {})).airtable).toBeUndefined();
  });

  it('names a wrong setting instead of failing', async () => {
    const report = await statusReport(dataDir, clock.now(), {
      AIRTABLE_BASE_ID: 'appX',
      AIRTABLE_PLAN: 'gold',
    });
    expect(formatStatus(report)).toContain('AIRTABLE_PLAN must be free, team or business');
  });
});
