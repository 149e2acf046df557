// newRows.claimAll: a poll's rows claimed with one write and one read-back, right under races, sorts and new columns.
import { describe, expect, it } from 'vitest';
import {
  type NewRowsOptions,
  newRows,
  type SheetRow,
  setRowStatus,
} from '../../../connectors/sheets/index.ts';
import type { Clock } from '../../../src/clock.ts';
import type { Trigger, TriggerItem } from '../../../src/triggers/trigger.ts';
import { useEmulators } from '../../support/msw.ts';
import { beforeNextWrite, pollContext, sheetsWorld } from './fixture.ts';

const world = sheetsWorld();
const { clock, auth, emulator } = world;
const server = useEmulators(auth.handlers(), emulator.handlers());

const HEADER = ['Name', 'Email', 'Company', 'Status', 'Baton Run'];

/** `total` leads; every `doneEvery`-th one is already processed (Status Done, its old run key). */
function leads(total: number, doneEvery: number): string[][] {
  const rows = [HEADER];
  for (let i = 1; i <= total; i++) {
    const done = i % doneEvery === 0;
    const email = `lead${i}@example.com`;
    rows.push([
      `Lead ${i}`,
      email,
      `Company ${(i * 37) % 101}`,
      done ? 'Done' : '',
      done ? `${email}#old${i}` : '',
    ]);
  }
  return rows;
}

/** Reads by data filter are POSTs, but count as reads (developers.google.com/sheets/api/limits). */
const isRead = (r: { method: string; path: string }) =>
  r.method === 'GET' || /values:batchGetByDataFilter$/.test(r.path);
const reads = () => emulator.requests.all().filter(isRead).length;
const writes = () => emulator.requests.all().filter((r) => !isRead(r)).length;
const records = (id: string) => emulator.rowsAsRecords(id, 'Leads');

function trigger(id: string, options: Partial<NewRowsOptions> = {}): Trigger<SheetRow> {
  return newRows(world.client(), { spreadsheetId: id, tab: 'Leads', claimSettleMs: 0, ...options });
}

async function pollItems(t: Trigger<SheetRow>): Promise<TriggerItem<SheetRow>[]> {
  return (await t.poll(pollContext(clock))).items ?? [];
}

async function claimAll(t: Trigger<SheetRow>, items: TriggerItem<SheetRow>[]) {
  if (!t.claimAll) throw new Error('newRows has claimAll');
  return t.claimAll(items);
}

/** Each claim names the row now at its number, and that row carries its run key. */
function expectRightRows(id: string, claimed: TriggerItem<SheetRow>[]): void {
  const now = records(id);
  for (const c of claimed) {
    expect(now[c.payload.rowNumber - 2]).toMatchObject({
      Email: c.payload.values.Email,
      Status: 'Queued',
      'Baton Run': c.key,
    });
    expect(c.key).toBe(`${c.payload.rowKey}#${c.payload.token}`);
  }
}

describe.each([
  { mode: 'with a key column', keyColumn: 'Email' as string | undefined },
  { mode: 'by row content', keyColumn: undefined },
])('claimAll $mode', ({ keyColumn }) => {
  const keyed = keyColumn ? { keyColumn } : {};

  it('claims the 200 rows a poll found with two writes and one read', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leads(220, 11) } });
    const t = trigger(id, keyed);
    const items = await pollItems(t);
    expect(items).toHaveLength(200);
    emulator.requests.clear();
    const claimed = await claimAll(t, items);
    expect(claimed).toHaveLength(200);
    // The poll's read stands in for a read before the claim. Tag the rows and read them as tagged (one
    // write: the rows come back in its response), write Status and Run through the tags, read them
    // back after the settle: two writes and one read in all.
    expect(writes()).toBe(2);
    expect(reads()).toBe(1);
    expectRightRows(id, claimed);
    const done = records(id).filter((r) => r.Status === 'Done');
    expect(done).toHaveLength(20);
    for (const r of done) expect(r['Baton Run']).toMatch(/#old\d+$/);
  });

  it('two processes claiming the same rows at once: each row has exactly one winner', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leads(30, 5) } });
    const [a, b, c] = [0, 1, 2].map(() => trigger(id, { ...keyed, claimSettleMs: 150 })) as [
      Trigger<SheetRow>,
      Trigger<SheetRow>,
      Trigger<SheetRow>,
    ];
    const [itemsA, itemsB, itemsC] = [await pollItems(a), await pollItems(b), await pollItems(c)];
    expect(itemsA).toHaveLength(24);
    const [wonA, wonB, wonC] = await Promise.all([
      claimAll(a, itemsA),
      claimAll(b, itemsB.slice(8)),
      c.claim?.(itemsC[12]!).then((won) => (won ? [won] : [])) ?? [],
    ]);
    const winners = [...wonA, ...wonB, ...wonC];
    const byRow = new Map<number, string[]>();
    for (const w of winners)
      byRow.set(w.payload.rowNumber, [...(byRow.get(w.payload.rowNumber) ?? []), w.key]);
    expect([...byRow.keys()].sort((x, y) => x - y)).toEqual(itemsA.map((i) => i.payload.rowNumber));
    for (const keys of byRow.values()) expect(keys).toHaveLength(1);
    expectRightRows(id, winners);
  });

  it('rows sorted after a poll too old to trust: read again, and the right rows claimed', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leads(40, 2) } });
    const t = trigger(id, { ...keyed, claimTrustsPollMs: 0 });
    const items = await pollItems(t);
    emulator.sortRows(id, 'Leads', 'Company');
    const before = records(id);
    const claimed = await claimAll(t, items);
    expect(claimed.map((c) => c.payload.values.Email).sort()).toEqual(
      items.map((i) => i.payload.values.Email).sort(),
    );
    expectRightRows(id, claimed);
    const claimedRows = new Set(claimed.map((c) => c.payload.rowNumber - 2));
    records(id).forEach((row, i) => {
      if (!claimedRows.has(i)) expect(row).toEqual(before[i]);
    });
  });

  it('rows sorted in the instant between the poll and the write: no row hit by mistake, the rest claimed next poll', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leads(40, 2) } });
    const t = trigger(id, keyed);
    const items = await pollItems(t);
    emulator.sortRows(id, 'Leads', 'Company');
    const before = records(id);
    const claimed = await claimAll(t, items);
    expectRightRows(id, claimed);
    const claimedRows = new Set(claimed.map((c) => c.payload.rowNumber - 2));
    records(id).forEach((row, i) => {
      if (!claimedRows.has(i)) expect(row).toEqual(before[i]);
    });
    expect(claimed.length).toBeLessThan(items.length);
    const rest = await claimAll(t, await pollItems(t));
    expectRightRows(id, rest);
    expect([...claimed, ...rest].map((c) => c.payload.values.Email).sort()).toEqual(
      items.map((i) => i.payload.values.Email).sort(),
    );
  });

  it.each([
    // Bea sorts above Ann: row 3, where the poll saw Bea, now holds Ann's live run.
    ['sorted', (id: string) => emulator.sortRows(id, 'Leads', 'Company')],
    // Cy is inserted above: Ann moves down to row 3.
    ['inserted', (id: string) => emulator.insertRow(id, 'Leads', 2, ['Cy', 'cy@example.com', 'C Co'])],
  ])(
    'rows %s between the poll and the claim: a live run keeps its row, the new lead is claimed next poll',
    async (_, edit) => {
      const id = emulator.createSpreadsheet({
        tabs: { Leads: [HEADER, ['Ann', 'ann@example.com', 'Z Co']] },
      });
      const t = trigger(id, keyed);
      const [ann] = await claimAll(t, await pollItems(t));
      const annRef = { ...ann!.payload, token: ann!.payload.token! };
      await setRowStatus(world.client(), annRef, 'In review');
      emulator.addRow(id, 'Leads', ['Bea', 'bea@example.com', 'A Co']);
      const items = await pollItems(t);
      expect(items.map((i) => i.payload.rowNumber)).toEqual([3]);
      beforeNextWrite(server, () => edit(id));
      await claimAll(t, items);
      expect(records(id).find((r) => r.Email === 'ann@example.com')).toMatchObject({
        Status: 'In review',
        'Baton Run': ann!.key,
      });
      await setRowStatus(world.client(), annRef, 'Sent');
      expect(records(id).find((r) => r.Email === 'ann@example.com')?.Status).toBe('Sent');
      const next = await pollItems(t);
      expect(next.map((i) => i.payload.values.Email)).toContain('bea@example.com');
      const bea = (await claimAll(t, next)).find((c) => c.payload.values.Email === 'bea@example.com');
      expect(records(id).find((r) => r.Email === 'bea@example.com')).toMatchObject({
        Status: 'Queued',
        'Baton Run': bea?.key,
      });
    },
  );

  it('rows sorted while the claim settles: the claims stand, found again by their tokens', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leads(40, 2) } });
    const sortingClock: Clock = {
      now: () => 0,
      sleep: async () => emulator.sortRows(id, 'Leads', 'Company', 'desc'),
    };
    const t = trigger(id, { ...keyed, claimSettleMs: 1000, clock: sortingClock });
    const items = await pollItems(t);
    emulator.requests.clear();
    const claimed = await claimAll(t, items);
    expect(claimed).toHaveLength(items.length);
    expectRightRows(id, claimed);
    expect(writes()).toBe(2);
    expect(reads()).toBe(1);
  });
});

it('a column inserted left of Status: the next poll notices, and the claim writes the right cells', async () => {
  const id = emulator.createSpreadsheet({ tabs: { Leads: leads(4, 2) } });
  const t = trigger(id, { keyColumn: 'Email' });
  await claimAll(t, await pollItems(t));
  await world.api().spreadsheets.batchUpdate({
    spreadsheetId: id,
    requestBody: {
      requests: [
        { insertDimension: { range: { sheetId: 0, dimension: 'COLUMNS', startIndex: 2, endIndex: 3 } } },
      ],
    },
  });
  emulator.setCell(id, 'Leads', 'C1', 'Phone');
  emulator.addRow(id, 'Leads', { Name: 'New', Email: 'new@example.com', Phone: '555' });
  const items = await pollItems(t);
  expect(items.map((i) => i.payload.values)).toEqual([
    { Name: 'New', Email: 'new@example.com', Phone: '555', Company: '', Status: '', 'Baton Run': '' },
  ]);
  const [claimed] = await claimAll(t, items);
  expect(records(id).at(-1)).toEqual({
    Name: 'New',
    Email: 'new@example.com',
    Phone: '555',
    Company: '',
    Status: 'Queued',
    'Baton Run': claimed?.key,
  });
});

it('tags of claims that are over are removed at the next reconcile, in one search and one write', async () => {
  const id = emulator.createSpreadsheet({ tabs: { Leads: leads(6, 100) } });
  const t = trigger(id, { keyColumn: 'Email', inFlightStatuses: ['Queued', 'In review'] });
  const claimed = await claimAll(t, await pollItems(t));
  const tagged = async () => {
    const res = await world.api().spreadsheets.developerMetadata.search({
      spreadsheetId: id,
      requestBody: { dataFilters: [{ developerMetadataLookup: { metadataKey: 'baton.claim' } }] },
    });
    return (res.data.matchedDeveloperMetadata ?? []).map((m) => m.developerMetadata?.metadataValue).sort();
  };
  expect(await tagged()).toEqual(claimed.map((c) => c.payload.token).sort());
  const [done, review, requeued] = claimed;
  await setRowStatus(world.client(), { ...done!.payload, token: done!.payload.token! }, 'Done');
  await setRowStatus(world.client(), { ...review!.payload, token: review!.payload.token! }, 'In review');
  emulator.setCell(id, 'Leads', `D${requeued!.payload.rowNumber}`, '');
  emulator.setCell(id, 'Leads', `E${requeued!.payload.rowNumber}`, '');
  clock.advance(10 * 60_000);
  emulator.requests.clear();
  const items = await pollItems(t);
  expect(items.filter((i) => !i.claimed).map((i) => i.payload.values.Email)).toEqual([
    requeued!.payload.values.Email,
  ]);
  const path = (r: { path: string }) => r.path.replace(/^\/v4\/spreadsheets\/[^/:]+/, '');
  expect(
    emulator.requests
      .all()
      .filter((r) => r.method === 'POST')
      .map(path),
  ).toEqual(['/developerMetadata:search', ':batchUpdate']);
  expect(await tagged()).toEqual(
    claimed
      .slice(1)
      .filter((c) => c !== requeued)
      .map((c) => c.payload.token)
      .sort(),
  );
});
