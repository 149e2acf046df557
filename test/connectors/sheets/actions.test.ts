// setRowStatus and readRow find a claimed row by its token, wherever sorting or inserts moved it.
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../connectors/core/index.ts';
import {
  newRows,
  readRow,
  type SheetRow,
  type SheetRowRef,
  type SheetsClient,
  setRowStatus,
} from '../../../connectors/sheets/index.ts';
import type { Trigger } from '../../../src/triggers/trigger.ts';
import { useEmulators } from '../../support/msw.ts';
import { pollContext, sheetsWorld } from './fixture.ts';

const world = sheetsWorld();
const { clock, auth, emulator } = world;
useEmulators(auth.handlers(), emulator.handlers());

let id: string;
let sheets: SheetsClient;
let trigger: Trigger<SheetRow>;
let ref: SheetRowRef;

beforeEach(async () => {
  id = emulator.createSpreadsheet({
    tabs: {
      Leads: [
        ['Name', 'Email', 'Status', 'Baton Run', 'Draft'],
        ['Zoe', 'zoe@example.com'],
        ['Ada', 'ada@example.com', 'Done'],
        ['Max', 'max@example.com', 'Done'],
      ],
    },
  });
  sheets = world.client();
  trigger = newRows(sheets, { spreadsheetId: id, tab: 'Leads', keyColumn: 'Email', claimSettleMs: 0 });
  const [item] = (await trigger.poll(pollContext(clock))).items ?? [];
  const claimed = await trigger.claim?.(item!);
  const { token } = claimed!.payload;
  ref = { ...claimed!.payload, token: token! };
  emulator.requests.clear();
});

describe('setRowStatus', () => {
  it('writes Status and result cells as text in one request, after the rows were sorted', async () => {
    emulator.sortRows(id, 'Leads', 'Name');
    const { rowNumber } = await setRowStatus(sheets, ref, 'Drafted', {
      Draft: '=HYPERLINK("https://x.example")',
    });
    expect(rowNumber).toBe(4);
    expect(emulator.rowsAsRecords(id, 'Leads')[2]).toEqual({
      Name: 'Zoe',
      Email: 'zoe@example.com',
      Status: 'Drafted',
      'Baton Run': `zoe@example.com#${ref.token}`,
      Draft: '=HYPERLINK("https://x.example")',
    });
    const writes = emulator.requests.all().filter((r) => r.method !== 'GET');
    expect(writes).toHaveLength(1);
  });

  it('adds a result column the header lacks', async () => {
    await setRowStatus(sheets, ref, 'Pitched', { 'Pitched at': '2026-01-05' });
    expect(emulator.rows(id, 'Leads')[0]).toEqual([
      'Name',
      'Email',
      'Status',
      'Baton Run',
      'Draft',
      'Pitched at',
    ]);
    expect(emulator.rowsAsRecords(id, 'Leads')[0]).toMatchObject({
      Status: 'Pitched',
      'Pitched at': '2026-01-05',
    });
  });

  it('refuses to touch a row the user re-queued, or deleted', async () => {
    emulator.setCell(id, 'Leads', 'C2', '');
    clock.advance(10 * 60_000);
    const [again] = (await trigger.poll(pollContext(clock))).items ?? [];
    await trigger.claim?.(again!);
    const err = await setRowStatus(sheets, ref, 'Done').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(emulator.rowsAsRecords(id, 'Leads')[0]?.Status).toBe('Queued');

    emulator.deleteRow(id, 'Leads', 2);
    await expect(readRow(sheets, ref)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('readRow', () => {
  it('returns the row as it is now, at its current number', async () => {
    emulator.insertRow(id, 'Leads', 2, ['Eve', 'eve@example.com', 'Done']);
    emulator.setCell(id, 'Leads', 'A3', 'Zoë');
    const row = await readRow(sheets, ref);
    expect(row).toMatchObject({ rowKey: 'zoe@example.com', rowNumber: 3, token: ref.token });
    expect(row.values).toMatchObject({ Name: 'Zoë', Status: 'Queued' });
  });
});
