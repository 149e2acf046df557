// The newRows trigger on a 500-row sheet: finds work cheaply, survives inserted and sorted rows, claims once.
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../connectors/core/index.ts';
import { newRows, type SheetRow, type SheetsClient } from '../../../connectors/sheets/index.ts';
import type { Trigger, TriggerItem } from '../../../src/triggers/trigger.ts';
import { useEmulators } from '../../support/msw.ts';
import { memoryCursor, pollContext, sheetsWorld } from './fixture.ts';

const world = sheetsWorld();
const { clock, auth, emulator } = world;
useEmulators(auth.handlers(), emulator.handlers());

const HEADER = ['Name', 'Email', 'Company', 'Notes', 'Status'];
const TEN_MINUTES = 10 * 60_000;
/** Rows 2–500 are leads; these have no Status yet (the rest are Done). */
const UNPROCESSED = [50, 100, 150, 200, 250, 300, 350, 400, 450, 496, 497, 498, 499, 500];

function leadSheet(): string[][] {
  const rows = [HEADER];
  for (let r = 2; r <= 500; r++) {
    rows.push([
      `Lead ${r}`,
      `Lead${r}@Example.com`,
      `Company ${(r * 37) % 101}`,
      r % 7 === 0 ? 'met at the fair' : '',
      UNPROCESSED.includes(r) ? '' : 'Done',
    ]);
  }
  return rows;
}

/** Cells one read of the whole tab would return (trailing empty cells are left out). */
const FULL_READ_CELLS = leadSheet()
  .map((row) => row.length - [...row].reverse().findIndex((c) => c !== ''))
  .reduce((a, b) => a + b, 0);

async function claimAll(trigger: Trigger<SheetRow>, items: TriggerItem<SheetRow>[]) {
  const claimed: TriggerItem<SheetRow>[] = [];
  for (const item of items) {
    const c = await trigger.claim?.(item);
    if (c) claimed.push(c);
  }
  return claimed;
}

describe.each([
  { mode: 'with a key column', keyColumn: 'Email' as string | undefined },
  { mode: 'by row content', keyColumn: undefined },
])('newRows $mode', ({ keyColumn }) => {
  let id: string;
  let sheets: SheetsClient;
  let trigger: Trigger<SheetRow>;
  let ctx: ReturnType<typeof pollContext>;

  beforeEach(() => {
    id = emulator.createSpreadsheet({ title: 'Pitch', tabs: { Leads: leadSheet() } });
    sheets = world.client();
    trigger = newRows(sheets, {
      spreadsheetId: id,
      tab: 'Leads',
      claimSettleMs: 0,
      ...(keyColumn ? { keyColumn } : {}),
    });
    ctx = pollContext(clock);
    emulator.requests.clear();
  });

  const emails = (items: TriggerItem<SheetRow>[]) => items.map((i) => i.payload.values.Email);

  it('first poll finds exactly the rows with an empty Status, without reading the whole sheet', async () => {
    const served = emulator.cellsServed;
    const { items = [] } = await trigger.poll(ctx);
    expect(emails(items)).toEqual(UNPROCESSED.map((r) => `Lead${r}@Example.com`));
    expect(items.map((i) => i.payload.rowNumber)).toEqual(UNPROCESSED);
    expect(items[0]?.payload.values).toEqual({
      Name: 'Lead 50',
      Email: 'Lead50@Example.com',
      Company: `Company ${(50 * 37) % 101}`,
      Notes: '',
      Status: '',
    });
    if (keyColumn) expect(items[0]?.key).toBe('lead50@example.com');
    else expect(items[0]?.key).toMatch(/^row-[0-9a-f]{16}$/);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
    // Metadata, header, one batchGet of the bookkeeping columns, the unprocessed rows, one window.
    expect(emulator.requests.count()).toBeLessThanOrEqual(5);
    const bookkeepingColumns = keyColumn ? 2 : 1;
    const bound = bookkeepingColumns * 499 + HEADER.length * (1 + UNPROCESSED.length);
    expect(emulator.cellsServed - served).toBeLessThanOrEqual(bound);
    expect(bound).toBeLessThan(FULL_READ_CELLS / 2);
  });

  it('after the rows are claimed, an idle poll is one request that reads only the header row', async () => {
    const { items = [] } = await trigger.poll(ctx);
    const claimed = await claimAll(trigger, items);
    expect(claimed).toHaveLength(UNPROCESSED.length);
    const records = emulator.rowsAsRecords(id, 'Leads');
    for (const c of claimed) {
      const record = records[c.payload.rowNumber - 2];
      expect(record?.Status).toBe('Queued');
      expect(record?.['Baton Run']).toBe(c.key);
      expect(c.key).toBe(`${c.payload.rowKey}#${c.payload.token}`);
    }
    emulator.requests.clear();
    const served = emulator.cellsServed;
    const idle = await trigger.poll(ctx);
    expect(idle.items).toEqual([]);
    expect(emulator.requests.count()).toBe(1);
    // The header (now with the Baton Run column the claims added) rides along: a claim trusts it.
    expect(emulator.cellsServed - served).toBe(HEADER.length + 1);
  });

  it('appended rows are read on their own: one request, a handful of cells', async () => {
    await claimAll(trigger, (await trigger.poll(ctx)).items ?? []);
    for (const n of [1, 2, 3])
      emulator.addRow(id, 'Leads', { Name: `New ${n}`, Email: `new${n}@example.com` });
    emulator.requests.clear();
    const served = emulator.cellsServed;
    const { items = [] } = await trigger.poll(ctx);
    expect(emails(items)).toEqual(['new1@example.com', 'new2@example.com', 'new3@example.com']);
    expect(items.map((i) => i.payload.rowNumber)).toEqual([501, 502, 503]);
    expect(emulator.requests.count()).toBe(1);
    expect(emulator.cellsServed - served).toBe(6 + HEADER.length + 1);
  });

  it('a row inserted above, then a sort, neither re-triggers processed rows nor skips the new one', async () => {
    await claimAll(trigger, (await trigger.poll(ctx)).items ?? []);
    emulator.insertRow(id, 'Leads', 10, {
      Name: 'Inserted',
      Email: 'inserted@example.com',
      Company: 'Aardvark',
    });
    emulator.sortRows(id, 'Leads', 'Company');
    expect(emulator.cell(id, 'Leads', 'A2')).toBe('Inserted');
    const before = await trigger.poll(ctx);
    expect(before.items).toEqual([]); // only the reconcile looks above the last known row
    clock.advance(TEN_MINUTES);
    const { items = [] } = await trigger.poll(ctx);
    expect(emails(items)).toEqual(['inserted@example.com']);
    const [claimed] = await claimAll(trigger, items);
    expect(claimed?.payload.values.Name).toBe('Inserted');
    expect(emulator.rowsAsRecords(id, 'Leads').filter((r) => r.Status === '')).toEqual([]);
    clock.advance(TEN_MINUTES);
    expect((await trigger.poll(ctx)).items).toEqual([]);
  });

  it('clearing a Status cell re-queues that row under a new key', async () => {
    const { items = [] } = await trigger.poll(ctx);
    const [first] = await claimAll(trigger, items.slice(0, 1));
    const row = first!.payload.rowNumber;
    emulator.setCell(id, 'Leads', `E${row}`, '');
    clock.advance(TEN_MINUTES);
    const again = (await trigger.poll(ctx)).items ?? [];
    expect(again.map((i) => i.payload.rowNumber)).toEqual([row, ...UNPROCESSED.slice(1)]);
    const [second] = await claimAll(trigger, again.slice(0, 1));
    expect(second?.payload.rowKey).toBe(first?.payload.rowKey);
    expect(second?.key).not.toBe(first?.key);
    expect(emulator.rowsAsRecords(id, 'Leads')[row - 2]?.['Baton Run']).toBe(second?.key);
  });

  it('two concurrent claims of one row: exactly one wins', async () => {
    const other = newRows(world.client(), {
      spreadsheetId: id,
      tab: 'Leads',
      claimSettleMs: 30,
      ...(keyColumn ? { keyColumn } : {}),
    });
    const mine = newRows(sheets, {
      spreadsheetId: id,
      tab: 'Leads',
      claimSettleMs: 30,
      ...(keyColumn ? { keyColumn } : {}),
    });
    const [a] = (await mine.poll(pollContext(clock))).items ?? [];
    const [b] = (await other.poll(pollContext(clock))).items ?? [];
    expect(a?.key).toBe(b?.key);
    const results = await Promise.all([mine.claim?.(a!), other.claim?.(b!), mine.claim?.(a!)]);
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(emulator.rowsAsRecords(id, 'Leads')[a!.payload.rowNumber - 2]).toMatchObject({
      Status: 'Queued',
      'Baton Run': winners[0]?.key,
    });
  });

  it('reject writes Skipped with the reason, as text', async () => {
    const [item, next] = (await trigger.poll(ctx)).items ?? [];
    await trigger.reject?.(item!, '=no valid email\naddress');
    expect(emulator.cell(id, 'Leads', `E${item!.payload.rowNumber}`)).toBe(
      'Skipped: =no valid email address',
    );
    const [claimed] = await claimAll(trigger, [next!]);
    await trigger.reject?.(claimed!, 'invalid input');
    expect(emulator.rowsAsRecords(id, 'Leads')[claimed!.payload.rowNumber - 2]?.Status).toBe(
      'Skipped: invalid input',
    );
  });
});

describe('newRows recovery and edge cases', () => {
  it('release gives a never-started claim back', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leadSheet() } });
    const trigger = newRows(world.client(), { spreadsheetId: id, tab: 'Leads', claimSettleMs: 0 });
    const ctx = pollContext(clock);
    const [item] = (await trigger.poll(ctx)).items ?? [];
    const claimed = await trigger.claim?.(item!);
    await trigger.release?.(claimed!);
    expect(emulator.rowsAsRecords(id, 'Leads')[item!.payload.rowNumber - 2]).toMatchObject({
      Status: '',
      'Baton Run': '',
    });
    clock.advance(TEN_MINUTES);
    expect((await trigger.poll(ctx)).items?.map((i) => i.key)).toContain(item!.key);
  });

  it('after losing its data folder, Baton hands in-flight rows over as claimed, under the same key', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leadSheet() } });
    const options = { spreadsheetId: id, tab: 'Leads', keyColumn: 'Email', claimSettleMs: 0 };
    const before = newRows(world.client(), options);
    const items = (await before.poll(pollContext(clock))).items ?? [];
    const claimed = await claimAll(before, items.slice(0, 3));
    emulator.sortRows(id, 'Leads', 'Company', 'desc');

    const after = newRows(world.client(), { ...options, inFlightStatuses: ['queued'] });
    const found = (await after.poll(pollContext(clock, memoryCursor()))).items ?? [];
    const recovered = found.filter((i) => i.claimed);
    expect(recovered.map((i) => i.key).sort()).toEqual(claimed.map((c) => c.key).sort());
    expect(found.filter((i) => !i.claimed)).toHaveLength(UNPROCESSED.length - 3);
    expect(await after.claim?.(recovered[0]!)).toBe(recovered[0]);
  });

  it('a tab with a full grid: idle polls stay one request, rows added by append are found', async () => {
    const rows = leadSheet().slice(0, 21);
    const id = emulator.createSpreadsheet({ tabs: { Leads: rows }, gridSize: { rows: 21 } });
    const sheets = world.client();
    const trigger = newRows(sheets, { spreadsheetId: id, tab: 'Leads', claimSettleMs: 0 });
    const ctx = pollContext(clock);
    await claimAll(trigger, (await trigger.poll(ctx)).items ?? []);
    emulator.requests.clear();
    expect((await trigger.poll(ctx)).items).toEqual([]);
    expect(emulator.requests.count()).toBe(1);
    await sheets.append(id, "'Leads'!A1", [['Late', 'late@example.com']]);
    expect(emulator.gridSize(id, 'Leads').rows).toBe(22);
    expect((await trigger.poll(ctx)).items?.map((i) => i.payload.values.Email)).toEqual(['late@example.com']);
  });

  it('rows deleted under the cursor make the poll reconcile instead of failing', async () => {
    const id = emulator.createSpreadsheet({
      tabs: { Leads: leadSheet().slice(0, 21) },
      gridSize: { rows: 21 },
    });
    const trigger = newRows(world.client(), { spreadsheetId: id, tab: 'Leads', claimSettleMs: 0 });
    const ctx = pollContext(clock);
    await claimAll(trigger, (await trigger.poll(ctx)).items ?? []);
    emulator.deleteRow(id, 'Leads', 21);
    emulator.deleteRow(id, 'Leads', 20);
    emulator.setCell(id, 'Leads', 'E5', '');
    expect((await trigger.poll(ctx)).items?.map((i) => i.payload.rowNumber)).toEqual([5]);
  });

  it('rows deleted so the grid ends inside the read window: the clamped read makes the poll reconcile', async () => {
    const id = emulator.createSpreadsheet({
      tabs: { Leads: leadSheet().slice(0, 101) },
      gridSize: { rows: 400 },
    });
    const trigger = newRows(world.client(), { spreadsheetId: id, tab: 'Leads', claimSettleMs: 0 });
    const ctx = pollContext(clock);
    await claimAll(trigger, (await trigger.poll(ctx)).items ?? []);
    // The next poll reads rows 102–301; the person deletes empty rows 191–400 and ten leads.
    await world.api().spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { deleteDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 190, endIndex: 400 } } },
          { deleteDimension: { range: { sheetId: 0, dimension: 'ROWS', startIndex: 10, endIndex: 20 } } },
        ],
      },
    });
    const row = emulator.addRow(id, 'Leads', { Name: 'Late', Email: 'late@example.com' });
    expect(row).toBe(92);
    const items = (await trigger.poll(ctx)).items ?? [];
    expect(items.map((i) => i.payload.values.Email)).toEqual(['late@example.com']);
  });

  it('429s and 5xx during a poll and a claim are retried; nothing is lost or doubled', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leadSheet() } });
    const trigger = newRows(world.client(), { spreadsheetId: id, tab: 'Leads', claimSettleMs: 0 });
    emulator.faults.failNext(2, 429).failNext(1, 503);
    const items = (await trigger.poll(pollContext(clock))).items ?? [];
    expect(items.map((i) => i.payload.rowNumber)).toEqual(UNPROCESSED);
    emulator.faults.failNext(1, 500, { match: /values:batchUpdate/ });
    const claimed = await claimAll(trigger, items);
    expect(claimed).toHaveLength(UNPROCESSED.length);
    expect(emulator.rowsAsRecords(id, 'Leads').filter((r) => r.Status === 'Queued')).toHaveLength(
      UNPROCESSED.length,
    );
  });

  it('a wrong tab or key column fails the poll with the fix', async () => {
    const id = emulator.createSpreadsheet({ tabs: { Leads: leadSheet().slice(0, 5) } });
    const wrongTab = newRows(world.client(), { spreadsheetId: id, tab: 'Prospects' });
    await expect(wrongTab.poll(pollContext(clock))).rejects.toThrow(
      new NotFoundError('sheets', `Sheet tab 'Prospects' not found in spreadsheet ${id.slice(0, 6)}…`, {
        hint: 'check PITCH_SHEET_TAB',
      }).message,
    );
    const wrongKey = newRows(world.client(), { spreadsheetId: id, tab: 'Leads', keyColumn: 'E-mail' });
    await expect(wrongKey.poll(pollContext(clock))).rejects.toBeInstanceOf(NotFoundError);
  });
});
