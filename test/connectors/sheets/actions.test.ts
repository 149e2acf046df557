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
import { beforeNextWrite, pollContext, sheetsWorld } from './fixture.ts';

const world = sheetsWorld();
const { clock, auth, emulator } = world;
const server = useEmulators(auth.handlers(), emulator.handlers());

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
    // One read (the header and the row, through its claim's tag) and one write.
    const reads = emulator.requests
      .all()
      .filter(
        (r) => r.method === 'GET' || (r.path.includes('ByDataFilter') && !r.path.includes('batchUpdate')),
      );
    expect(reads).toHaveLength(1);
    expect(emulator.requests.all()).toHaveLength(2);
  });

  it.each([
    ['a row is inserted above it', () => emulator.insertRow(id, 'Leads', 2, ['Bea', 'bea@example.com'])],
    [
      'the rows are sorted',
      () => {
        emulator.addRow(id, 'Leads', ['Bea', 'bea@example.com']);
        emulator.sortRows(id, 'Leads', 'Name');
      },
    ],
  ])(
    'lands on its lead when %s between its read and its write; the other lead still runs',
    async (_, edit) => {
      beforeNextWrite(server, edit);
      const { rowNumber } = await setRowStatus(sheets, ref, 'Drafted', { Draft: 'draft-1' });
      const records = emulator.rowsAsRecords(id, 'Leads');
      expect(records[rowNumber - 2]).toMatchObject({
        Email: 'zoe@example.com',
        Status: 'Drafted',
        Draft: 'draft-1',
      });
      expect(records.find((r) => r.Email === 'bea@example.com')).toMatchObject({ Status: '', Draft: '' });
      clock.advance(10 * 60_000);
      const items = (await trigger.poll(pollContext(clock))).items ?? [];
      expect(items.map((i) => i.payload.values.Email)).toEqual(['bea@example.com']);
    },
  );

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
