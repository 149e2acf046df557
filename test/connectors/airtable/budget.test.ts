// The monthly call budget: every request Airtable receives is counted, kept across restarts, and polls slow down (then stop) to fit.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AirtableBudgetConfigError,
  AirtableCallBudget,
  airtableBudgetFromEnv,
  CallLedger,
  records,
  type TableRef,
} from '../../../connectors/airtable/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { AirtableEmulator } from '../../../src/sandbox/airtable/index.ts';
import { FileStore } from '../../../src/store/index.ts';
import { Poller } from '../../../src/triggers/index.ts';
import { capturedLog } from '../../support/captured-log.ts';
import { useEmulators } from '../../support/msw.ts';
import { pollContext } from '../../support/poll-context.ts';
import { useTempDirs } from '../../support/temp-dir.ts';
import { EDITOR, fastClient, leadsTable, TOKEN } from './fixture.ts';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken(TOKEN, EDITOR);
const tempDir = useTempDirs();

let leads: TableRef;
let dataDir: string;
/** The first millisecond of the month after the clock's (time only moves forward). */
const nextMonth = () => {
  const d = new Date(clock.now());
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
beforeEach(async () => {
  // Each test starts on the 5th at 09:00 UTC of a month of its own: 26 to 23 days before the next.
  clock.set(nextMonth() + 4 * 86_400_000 + 9 * 3_600_000);
  leads = leadsTable(airtable);
  dataDir = await tempDir();
  airtable.requests.clear();
});
afterEach(() => airtable.faults.clear());

async function openStore() {
  const store = new FileStore({ dir: await tempDir() });
  await store.open();
  return store;
}

const notices: string[] = [];
afterEach(() => {
  notices.length = 0;
});

/** A budget in `dataDir` (the registry's single object per base is tested apart). */
function budget(options: { calls?: number; intervalMs?: number; plan?: 'free' | 'team' } = {}) {
  const { log, lines } = capturedLog();
  const b = new AirtableCallBudget({
    workspace: leads.base,
    plan: options.plan ?? 'free',
    monthlyCalls: options.calls ?? 1_000,
    pollIntervalMs: options.intervalMs ?? 5 * 60_000,
    ledger: new CallLedger(dataDir),
    clock,
    log,
    notify: async (text) => {
      notices.push(text);
    },
  });
  return { budget: b, lines };
}

const watch = (client: ReturnType<typeof fastClient>, b: AirtableCallBudget) =>
  records(client, {
    ...leads,
    statusField: 'Status',
    runField: 'Baton Run',
    claimSettleMs: 0,
    clock,
    budget: b,
  });

describe('counting', () => {
  it('counts every request Airtable receives: polls, claims, writes, setup, and a 429 retried', async () => {
    const { budget: b } = budget({ plan: 'team', calls: 100_000 });
    const client = fastClient({ budget: b });
    const id = airtable.addRecord(leads.base, 'Leads', { Name: 'Ada' });
    const trigger = watch(client, b);

    airtable.faults.failNext(1, 429); // the poll's first attempt is refused, the retry gets through
    const { items = [] } = await trigger.poll(pollContext(clock));
    expect(items).toHaveLength(1);
    await trigger.claim?.(items[0]!); // re-read, write, read back
    await client.updateRecords(leads, [{ id, fields: { Note: 'hello' } }]);
    await client.tableSchema(leads); // the metadata API counts too

    const received = airtable.requests.all();
    expect(received.filter((r) => r.status === 429)).toHaveLength(1);
    expect(received.some((r) => r.method === 'PATCH')).toBe(true);
    expect(b.calls).toBe(received.length);
    expect(b.calls).toBe(7); // 2 poll attempts + 3 claim + 1 write + 1 schema
  });

  it('keeps the count in the data folder: a new process goes on from it', async () => {
    const first = budget().budget;
    const client = fastClient({ budget: first });
    for (let i = 0; i < 3; i++) await client.listPage(leads);
    await first.flush();

    const { budget: second } = budget();
    expect(second.calls).toBe(3);
    await fastClient({ budget: second }).listPage(leads);
    expect(second.calls).toBe(4);
  });

  it('starts again at 0 when the UTC month changes, also for a count read back from the file', async () => {
    const { budget: b } = budget();
    const client = fastClient({ budget: b });
    await client.listPage(leads);
    await client.listPage(leads);
    await b.flush();

    clock.set(nextMonth() + 1000);
    expect(b.calls).toBe(0);
    await client.listPage(leads);
    expect(b.calls).toBe(1);
    await b.flush();
    expect(budget().budget.calls).toBe(1);

    clock.set(nextMonth() + 1000); // the file says last month: a new process starts at 0
    expect(budget().budget.calls).toBe(0);
  });
});

describe('pacing', () => {
  it('slows the polls to fit the month, saying so once in the log and once to people', async () => {
    // 26.6 days left at 5 minutes is ~7,700 polls: far over a budget of 100 calls a month.
    const { budget: b, lines } = budget({ calls: 100 });
    const trigger = watch(fastClient({ budget: b }), b);

    // What is left, less a 20% reserve for claims and writes, spread over what is left of the month.
    const fits = Math.ceil((nextMonth() - clock.now()) / 80 / 1000) * 1000;
    expect(trigger.intervalMs).toBe(fits); // ~8 hours
    expect(b.usage().projected).toBeLessThanOrEqual(100);
    expect(b.usage().projected).toBeGreaterThan(70);

    for (let i = 0; i < 5; i++) {
      await trigger.poll(pollContext(clock));
      clock.advance(trigger.intervalMs ?? 0);
    }
    expect(b.calls).toBe(5);
    const said = () => lines.filter((l) => String(l.msg).includes('polling every'));
    expect(said()).toHaveLength(1);
    expect(said()[0]!.msg).toContain('instead of 5m');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain(`Airtable (${leads.base}): 0 of 100 API calls used this month (free plan)`);

    // Writes eat into the month (30 requests): the pace changes materially, and that is said once more.
    const before = trigger.intervalMs ?? 0;
    await fastClient({ budget: b }).createRecords(
      leads,
      Array.from({ length: 300 }, (_, i) => ({ Name: `Lead ${i}` })),
    );
    expect(b.calls).toBe(35);
    expect(trigger.intervalMs).toBeGreaterThan(before * 1.25);
    expect(said()).toHaveLength(2);
    expect(notices).toHaveLength(2);
  });

  it('does not say it again after a restart in the same month', async () => {
    const first = budget();
    expect(watch(fastClient({ budget: first.budget }), first.budget).intervalMs).toBeGreaterThan(5 * 60_000);
    await first.budget.flush();
    expect(notices).toHaveLength(1);

    const second = budget();
    const trigger = watch(fastClient({ budget: second.budget }), second.budget);
    await trigger.poll(pollContext(clock));
    expect(trigger.intervalMs).toBeGreaterThan(5 * 60_000);
    expect(second.lines).toHaveLength(0);
    expect(notices).toHaveLength(1);
  });

  it('keeps the configured interval when the month fits (Team, 5 minutes) and says nothing', () => {
    const { budget: b, lines } = budget({ plan: 'team', calls: 100_000 });
    const trigger = watch(fastClient({ budget: b }), b);
    expect(trigger.intervalMs).toBe(5 * 60_000);
    expect(b.usage()).toMatchObject({ paced: false, stopped: false });
    expect(lines).toHaveLength(0);
    expect(notices).toHaveLength(0);
  });

  it('the poller waits the paced interval, re-read after each poll', async () => {
    const { budget: b } = budget();
    const trigger = watch(fastClient({ budget: b }), b);
    const poller = new Poller({
      trigger,
      store: await openStore(),
      handle: async () => {},
      defaultIntervalMs: 60_000,
      clock,
    });
    poller.start();
    await vi.waitFor(() => expect(poller.state.nextPollAt).toBeDefined());
    const first = poller.state.nextPollAt! - clock.now();
    expect(first).toBeGreaterThan(40 * 60_000); // not BATON_POLL_INTERVAL's 1 min, nor 5 min
    expect(first).toBe(poller.intervalMs);
    await poller.stop();
  });

  it('stops polling once the month is spent, lets writes through, and polls again next month', async () => {
    const { budget: b, lines } = budget({ calls: 3 });
    const client = fastClient({ budget: b });
    const trigger = watch(client, b);
    const poller = new Poller({
      trigger,
      store: await openStore(),
      handle: async () => {},
      defaultIntervalMs: 60_000,
      clock,
    });
    for (let i = 0; i < 3; i++) await client.listPage(leads);

    airtable.requests.clear();
    expect(trigger.paused).toBe(true);
    await poller.pollOnce();
    expect(poller.state).toMatchObject({ polls: 0, skipped: 1 });
    expect(airtable.requests.count()).toBe(0);
    // A run in progress still writes.
    await client.createRecords(leads, [{ Name: 'Late' }]);
    expect(b.calls).toBe(4);
    expect(b.usage()).toMatchObject({ stopped: true, calls: 4 });
    expect(lines.filter((l) => String(l.msg).includes('budget is spent'))).toHaveLength(1);
    const until = new Date(nextMonth()).toISOString().slice(0, 10);
    expect(notices.filter((n) => n.includes(`stops polling Airtable until ${until}`))).toHaveLength(1);

    clock.set(nextMonth() + 1000);
    expect(trigger.paused).toBe(false);
    await poller.pollOnce();
    expect(poller.state.polls).toBe(1);
  });
});

describe('from the environment', () => {
  it('builds one budget per base and data folder, shared by every recipe', () => {
    const env = { AIRTABLE_BASE_ID: leads.base, AIRTABLE_PLAN: 'team', AIRTABLE_POLL_INTERVAL: '2m' };
    const one = airtableBudgetFromEnv(env, { dataDir, clock });
    expect(airtableBudgetFromEnv(env, { dataDir, clock })).toBe(one);
    expect(one).toMatchObject({
      workspace: leads.base,
      plan: 'team',
      limit: 100_000,
      configuredIntervalMs: 120_000,
    });
    const free = airtableBudgetFromEnv({ AIRTABLE_BASE_ID: 'appOther' }, { dataDir, clock });
    expect(free).toMatchObject({ plan: 'free', limit: 1_000, configuredIntervalMs: 300_000 });
    const custom = airtableBudgetFromEnv(
      { AIRTABLE_BASE_ID: 'appThird', AIRTABLE_PLAN: 'business', AIRTABLE_MONTHLY_CALLS: '2500' },
      { dataDir, clock },
    );
    expect(custom.limit).toBe(2_500);
    expect(
      airtableBudgetFromEnv({ AIRTABLE_BASE_ID: 'appFourth', AIRTABLE_PLAN: 'business' }, { dataDir, clock })
        .limit,
    ).toBe(Number.POSITIVE_INFINITY);
  });

  it.each([
    [{ AIRTABLE_PLAN: 'pro' }, 'AIRTABLE_PLAN must be free, team or business'],
    [{ AIRTABLE_MONTHLY_CALLS: '-5' }, 'AIRTABLE_MONTHLY_CALLS must be a positive whole number'],
    [{ AIRTABLE_MONTHLY_CALLS: 'lots' }, 'AIRTABLE_MONTHLY_CALLS must be a whole number'],
    [{ AIRTABLE_POLL_INTERVAL: 'often' }, "AIRTABLE_POLL_INTERVAL 'often' is not a duration"],
    [{ AIRTABLE_BASE_ID: '' }, 'AIRTABLE_BASE_ID is required'],
  ])('names the variable that is wrong: %o', (vars, message) => {
    const env = { AIRTABLE_BASE_ID: 'appX', ...vars };
    const err = (() => {
      try {
        airtableBudgetFromEnv(env, { dataDir, clock });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AirtableBudgetConfigError);
    expect((err as Error).message).toContain(message);
  });
});
