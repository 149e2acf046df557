// AirtableClient against Airtable's limits: a 429 means a 30-second penalty, waited out on the emulator's clock.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TableRef } from '../../../connectors/airtable/index.ts';
import { ServiceError } from '../../../connectors/core/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { AirtableEmulator } from '../../../src/sandbox/airtable/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { fastClient, leadsTable, TOKEN } from './fixture.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock }); // Airtable's own limits: 5 per second per base, 30 s penalty
useEmulators(airtable.handlers());
airtable.addToken(TOKEN);

let leads: TableRef;
beforeEach(() => {
  clock.advance(120_000);
  leads = leadsTable(airtable);
  airtable.addRecord(leads.base, 'Leads', { Name: 'Ada' });
  airtable.requests.clear();
});

const refused = () => airtable.requests.all().filter((r) => r.status === 429).length;

describe('429 and the 30-second penalty', () => {
  it('waits until the penalty is over, then every request succeeds', async () => {
    // A client allowed more than Airtable's 5/s (as if another app shared the base), retrying fast; its
    // breaker is set out of reach here because every retry inside the penalty counts as a failure.
    const client = fastClient({ policy: { maxAttempts: 100, breakAfter: 1000 } });
    const pages = Promise.all(Array.from({ length: 7 }, () => client.listPage(leads)));
    await vi.waitFor(() => expect(refused()).toBeGreaterThanOrEqual(6));
    expect(airtable.inPenalty(leads.base)).toBe(true);
    const statuses = airtable.requests.all().map((r) => r.status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5).every((s) => s === 429)).toBe(true); // nothing gets through during the penalty

    clock.advance(30_000);
    const results = await pages;
    expect(results.every((p) => p.records.length === 1)).toBe(true);
    expect(client.stats.rateLimited).toBeGreaterThanOrEqual(6);
  });

  it('gives up after its attempts with a retryable error that explains the limit', async () => {
    const client = fastClient({ policy: { maxAttempts: 3 } });
    for (let i = 0; i < 5; i++) await client.listPage(leads);
    const err = await client.listPage(leads).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ retryable: true, status: 429 });
    expect((err as Error).message).toContain('5 requests per second per base');
    expect(refused()).toBe(3);
  });
});
