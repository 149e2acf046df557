// The records trigger: an empty status in the view is work; one request per idle poll; claims; re-queues by a person.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type AirtableItem,
  type RecordsOptions,
  records,
  setRecordStatus,
  type TableRef,
} from '../../../connectors/airtable/index.ts';
import { NotFoundError } from '../../../connectors/core/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/log.ts';
import { AirtableEmulator } from '../../../src/sandbox/airtable/index.ts';
import type { PollContext, TriggerItem } from '../../../src/triggers/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { EDITOR, fastClient, leadsTable, TOKEN } from './fixture.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock, perBaseLimit: 10_000, perTokenLimit: 10_000 });
useEmulators(airtable.handlers());
airtable.addToken(TOKEN, EDITOR);

let leads: TableRef;
const ctx = (): PollContext => ({
  cursor: { get: async () => undefined, set: async () => undefined },
  log: silentLogger,
  now: () => clock.now(),
  signal: new AbortController().signal,
});
const watch = (options: Partial<RecordsOptions> = {}) =>
  records(fastClient(), {
    ...leads,
    view: 'To pitch',
    statusField: 'Status',
    runField: 'Baton Run',
    claimSettleMs: 0,
    clock,
    ...options,
  });
const addLead = (fields: Record<string, unknown>) => airtable.addRecord(leads.base, 'Leads', fields);
const lead = (id: string) => airtable.record(leads.base, 'Leads', id)!.fields;

/** The query of the n-th request the emulator saw. */
const queryOf = (n: number) => new URL(`https://x${airtable.requests.all()[n]!.path}`).searchParams;

/** Polls once; returns the items and how many requests the poll made. */
async function poll(trigger = watch()) {
  airtable.requests.clear();
  const { items = [] } = await trigger.poll(ctx());
  return { items, requests: airtable.requests.count() };
}

beforeEach(() => {
  leads = leadsTable(airtable);
  // The person's view: leads with a company, best score first.
  airtable.defineView(leads.base, 'Leads', 'To pitch', {
    filter: "{Company} != ''",
    sort: [{ field: 'Score', direction: 'desc' }],
  });
});

describe('polling', () => {
  it('finds records in the view whose status is empty, in one request', async () => {
    const low = addLead({ Name: 'Ada', Company: 'Acme', Score: 3 });
    const high = addLead({ Name: 'Bob', Company: 'Bolt', Score: 9 });
    addLead({ Name: 'Cy', Company: 'Corp', Score: 5, Status: 'Pitched' });
    addLead({ Name: 'No company', Score: 10 });

    const { items, requests } = await poll();
    expect(requests).toBe(1);
    expect(items.map((i) => [i.key, i.payload.fields.Name])).toEqual([
      [high, 'Bob'],
      [low, 'Ada'],
    ]);
    expect(queryOf(0).get('view')).toBe('To pitch');
    expect(queryOf(0).get('filterByFormula')).toBe("{Status} = ''");
  });

  it('costs one request per idle poll, asking only for the fields it needs', async () => {
    addLead({ Name: 'Done', Company: 'Acme', Status: 'Pitched' });
    const trigger = watch({ fields: ['Name', 'Email'] });
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      expect(await poll(trigger)).toEqual({ items: [], requests: 1 });
    }
    expect(queryOf(0).getAll('fields[]')).toEqual(['Name', 'Email', 'Status', 'Baton Run']);
  });

  it('works from a formula instead of a view', async () => {
    addLead({ Name: 'Ada', Score: 3 });
    const keen = addLead({ Name: 'Bob', Score: 8 });
    const { items } = await poll(watch({ view: undefined, formula: '{Score} > 5' }));
    expect(items.map((i) => i.key)).toEqual([keen]);
  });

  it('reads further pages only when there is more work than one page', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => addLead({ Name: `L${i}`, Company: 'Co', Score: 10 - i }));
    const { items, requests } = await poll(watch({ pageSize: 2 }));
    expect(items.map((i) => i.key)).toEqual(ids);
    expect(requests).toBe(3);
  });
});

describe('claiming', () => {
  it('writes Queued and a run key, re-reads, and keys the item <recordId>#<token>', async () => {
    const id = addLead({ Name: 'Ada', Company: 'Acme', Score: 3 });
    const trigger = watch();
    const [item] = (await poll(trigger)).items;
    const claimed = await trigger.claim!(item!);
    expect(claimed?.key).toMatch(new RegExp(`^${id}#[0-9a-f]{8}$`));
    expect(claimed?.payload).toMatchObject({ recordId: id, token: claimed!.key.split('#')[1] });
    expect(lead(id)).toMatchObject({ Status: 'Queued', 'Baton Run': claimed!.key });

    // Baton's own write took the record out of the filter: the next poll is empty.
    expect((await poll(trigger)).items).toEqual([]);
  });

  it('does not claim a record a person changed since the poll', async () => {
    const id = addLead({ Name: 'Ada', Company: 'Acme' });
    const trigger = watch();
    const [item] = (await poll(trigger)).items;
    airtable.updateRecord(leads.base, 'Leads', id, { Status: 'Pitched' });
    expect(await trigger.claim!(item!)).toBeUndefined();
    expect(lead(id)['Baton Run']).toBeUndefined();
  });

  it('lets exactly one of two processes claiming the same record at once win', async () => {
    const id = addLead({ Name: 'Ada', Company: 'Acme' });
    const one = watch({ claimSettleMs: 1000 });
    const two = watch({ claimSettleMs: 1000 });
    const [item] = (await poll(one)).items;
    const claims = Promise.all([one.claim!(item!), two.claim!({ ...item! })]);
    await vi.waitFor(() => expect(airtable.requests.count({ method: 'PATCH' })).toBe(2));
    clock.advance(1000);
    const results = await claims;
    const winners = results.filter((r): r is TriggerItem<AirtableItem> => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(lead(id)['Baton Run']).toBe(winners[0]!.key);
  });

  it('runs a record again under a new key when a person clears its status', async () => {
    const id = addLead({ Name: 'Ada', Company: 'Acme' });
    const trigger = watch();
    const first = await trigger.claim!((await poll(trigger)).items[0]!);
    await setRecordStatus(fastClient(), first!.payload, 'Pitched');
    expect(lead(id).Status).toBe('Pitched');

    airtable.updateRecord(leads.base, 'Leads', id, { Status: '' });
    const { items } = await poll(trigger);
    expect(items.map((i) => i.key)).toEqual([id]);
    const second = await trigger.claim!(items[0]!);
    expect(second?.key).not.toBe(first?.key);
    expect(second?.key.startsWith(`${id}#`)).toBe(true);

    // The first run can no longer write to the record: it belongs to the second run now.
    const stale = await setRecordStatus(fastClient(), first!.payload, 'Done').catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(NotFoundError);
    expect(lead(id).Status).toBe('Queued');
  });

  it('claims without a run field by the status alone', async () => {
    const id = addLead({ Name: 'Ada', Company: 'Acme' });
    const trigger = watch({ runField: undefined, claimStatus: 'Researching' });
    const claimed = await trigger.claim!((await poll(trigger)).items[0]!);
    expect(claimed?.key.startsWith(`${id}#`)).toBe(true);
    expect(lead(id)).toEqual({ Name: 'Ada', Company: 'Acme', Status: 'Researching' });
  });
});

describe('reject, release and recovery', () => {
  it('writes the reason where the person looks when an item is rejected', async () => {
    const id = addLead({ Name: 'Ada', Company: 'Acme' });
    const trigger = watch({ reasonField: 'Note' });
    await trigger.reject!((await poll(trigger)).items[0]!, 'Email is missing');
    expect(lead(id)).toMatchObject({ Status: 'Skipped', Note: 'Email is missing' });
  });

  it('keeps the reason out of a single-select status, so an Editor token can write it', async () => {
    airtable.addField(leads.base, 'Leads', { name: 'Status detail', type: 'multilineText' });
    const id = addLead({ Name: 'Ada', Company: 'Acme' });
    const trigger = watch();
    await trigger.reject!((await poll(trigger)).items[0]!, 'Email is missing');
    expect(lead(id)).toMatchObject({ Status: 'Skipped', 'Status detail': 'Email is missing' });
  });

  it('gives back a claim whose run never started', async () => {
    const id = addLead({ Name: 'Ada', Company: 'Acme' });
    const trigger = watch();
    const claimed = await trigger.claim!((await poll(trigger)).items[0]!);
    await trigger.release!(claimed!);
    expect(lead(id)).toEqual({ Name: 'Ada', Company: 'Acme' });
    expect((await poll(trigger)).items.map((i) => i.key)).toEqual([id]);
  });

  it('hands over in-flight records as already claimed after the data folder was lost', async () => {
    const id = addLead({ Name: 'Ada', Company: 'Acme' });
    const before = watch({ inFlightStatuses: ['Queued'] });
    await poll(before);
    const claimed = await before.claim!((await poll(before)).items[0]!);

    const restarted = watch({ inFlightStatuses: ['Queued'] });
    const first = await poll(restarted);
    expect(first.items).toEqual([expect.objectContaining({ key: claimed!.key, claimed: true })]);
    expect(first.requests).toBe(2);
    expect((await poll(restarted)).requests).toBe(1);
    expect(lead(id).Status).toBe('Queued');
  });
});
