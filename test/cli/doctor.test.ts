// `baton doctor` against the emulated world: every check passes on a good setup, and each problem a
// user can have shows up as a ✗ line saying what to fix, with a non-zero exit code.
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { recordsTriggerId } from '../../connectors/airtable/index.ts';
import { runDoctor } from '../../src/cli/commands/doctor.ts';
import { createWorld, REVIEW_LISTS, SANDBOX_CREDENTIALS } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { weekOldTestingToken } from '../support/expired-sign-in.ts';
import { useEmulators } from '../support/msw.ts';
import { freePort } from '../support/ports.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const world = createWorld({ limits: 'relaxed' });
useEmulators(world.handlers());
const tempDir = useTempDirs();

function listening(port: number): Promise<Server> {
  const server = createServer();
  return new Promise((done) => server.listen(port, '127.0.0.1', () => done(server)));
}

/** Runs doctor over the world's .env plus `changes`; returns the exit code and the printed lines. */
async function doctor(changes: Record<string, string | undefined> = {}) {
  const env: NodeJS.ProcessEnv = {
    ...world.env,
    BATON_DATA_DIR: await tempDir(),
    BATON_HTTP_PORT: String(await freePort()),
    ...changes,
  };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete env[name];
  const lines: string[] = [];
  const code = await runDoctor(
    env,
    { out: (text) => lines.push(...text.split('\n')) },
    {
      tuning: { limits: 'relaxed', retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 } },
    },
  );
  const line = (label: string) => lines.find((l) => l.slice(2).startsWith(`${label}:`)) ?? '';
  return { code, lines, line };
}

describe('baton doctor', () => {
  it('passes every check on a complete, working setup', async () => {
    // A lead typed in before Baton ever ran: the first start leaves it alone, and doctor says so.
    world.addAirtableLead({ Name: 'Olga Older', Email: 'olga@leads.example' });
    world.addContact({ Name: 'Otto Older', Email: 'otto@contacts.example', Source: 'form' });
    const { code, lines, line } = await doctor();
    expect(code).toBe(0);
    const checks = lines.filter((l) => /^[✓✗–!] /.test(l));
    // The content recipe adds its calendar, its review lists, ffmpeg and the LinkedIn token.
    expect(checks).toHaveLength(28);
    expect(line('ffmpeg')).toMatch(/^✓ ffmpeg: ffmpeg version /);
    expect(line('LinkedIn token')).toBe(
      `✓ LinkedIn token: accepted for Sam Sandbox (${world.linkedinAuthor})`,
    );
    expect(line('Notion content calendar')).toMatch(/^✓ /);
    // One warning, which does not fail doctor: the world sets no postal address.
    expect(checks.filter((l) => !l.startsWith('✓ '))).toEqual([line('Sending')]);
    expect(line('Sending')).toBe(
      '! Sending: at most 400 emails a day; unattended ones at any time; SENDER_ADDRESS is not set, so unattended emails carry no postal address (anti-spam laws such as CAN-SPAM ask for one) — set SENDER_ADDRESS',
    );
    expect(line('Configuration')).toContain('recipes: pitch, leads, pathway, sequence, newsletter, content');
    expect(line('Airtable view Newsletter')).toBe(
      "✓ Airtable view Newsletter: view 'Newsletter' of 'Leads' is there",
    );
    expect(line('Notion newsletter archive')).toMatch(/^✓ /);
    expect(line('Airtable Contacts table')).toMatch(/^✓ /);
    expect(line('Sequences file')).toMatch(
      /^✓ Sequences file: .*sequences\.yaml: nurture \(3 steps\), onboarding \(\d+ steps\)$/,
    );
    expect(line('Airtable Leads table (sequences)')).toMatch(/^✓ .*table 'Leads' has all 6 fields/);
    expect(line('Airtable Contacts table (sequences)')).toMatch(/^✓ .*table 'Contacts' has all 6 fields/);
    expect(line('Other Baton instances on Airtable')).toContain(
      `none on Airtable base ${world.airtableBaseId}`,
    );
    expect(line('Older leads')).toContain(
      '1 lead(s) are in the table already: the first start leaves them alone',
    );
    expect(line('Older contacts')).toBe(
      '✓ Older contacts: 1 contact(s) are in the table already: the first start leaves them alone (run `baton run pathway --backfill` to process them)',
    );
    expect(line('Lead sheet')).toContain("tab 'Leads' has the columns Name, Email");
    expect(line('Lead sheet')).toContain('Baton adds a Status column');
    expect(line('Review board')).toContain(REVIEW_LISTS.map((l) => `'${l}'`).join(', '));
    expect(line('Model')).toContain('gpt-4o-mini answered');
    expect(line('Other Baton instances')).toContain(
      `none on spreadsheet ${world.spreadsheetId}, Trello board ${world.env.TRELLO_BOARD_ID}`,
    );
    expect(line('Airtable Baton table')).toBe(
      "✓ Airtable Baton table: table 'Baton' has all 4 fields Baton reads and writes",
    );
    expect(lines.at(-1)).toContain('All 28 checks passed');
  });

  it('shows the sending manners, without a warning once SENDER_ADDRESS is set', async () => {
    const { code, line } = await doctor({
      SENDER_ADDRESS: '1 Main St, Leeds',
      SEND_WINDOW: 'Mon-Fri 09:00-17:00',
      TZ: 'Europe/London',
    });
    expect(code).toBe(0);
    expect(line('Sending')).toBe(
      '✓ Sending: at most 400 emails a day; unattended ones Mon-Fri 09:00-17:00 (Europe/London)',
    );
  });

  it('names a missing variable and checks no service', async () => {
    const { code, line } = await doctor({ OFFER: undefined });
    expect(code).toBe(1);
    expect(line('Configuration')).toMatch(/^✗ .*OFFER is required/);
    expect(line('Google sign-in')).toMatch(/^– .*not checked/);
    expect(line('Model')).toMatch(/^– /);
    expect(line('Data folder')).toMatch(/^✓ /);
  });

  it('says when OpenAI refuses the API key', async () => {
    const { code, line } = await doctor({ OPENAI_API_KEY: 'sk-not-a-real-key' });
    expect(code).toBe(1);
    expect(line('OpenAI sign-in')).toMatch(/^✗ .*rejected the API key.*check OPENAI_API_KEY/);
    expect(line('OpenAI sign-in')).not.toContain('sk-not-a-real-key');
    expect(line('Model')).toMatch(/^– .*fix 'OpenAI sign-in' first/);
    expect(line('Trello sign-in')).toMatch(/^✓ /);
  });

  it('says to run `baton auth google` when the refresh token was revoked', async () => {
    const c = SANDBOX_CREDENTIALS;
    world.auth.registerRefreshToken({
      clientId: c.googleClientId,
      clientSecret: c.googleClientSecret,
      refreshToken: 'revoked-refresh-token',
      email: 'former-owner@sandbox.example',
    });
    world.auth.revoke('former-owner@sandbox.example');
    const { code, line } = await doctor({ GOOGLE_REFRESH_TOKEN: 'revoked-refresh-token' });
    expect(code).toBe(1);
    expect(line('Google sign-in')).toMatch(
      /^✗ Google sign-in: Google refused GOOGLE_REFRESH_TOKEN \(invalid_grant/,
    );
    expect(line('Google sign-in')).toContain('run `baton auth google`');
    expect(line('Google sign-in')).not.toContain('revoked-refresh-token');
    expect(line('Lead sheet')).toMatch(/^– /);
  });

  it('says to sign in again and publish the app when a Testing app’s week-old token expired', async () => {
    const expired = weekOldTestingToken(world.auth);
    try {
      const { code, line } = await doctor({ GOOGLE_REFRESH_TOKEN: 'token-from-last-week' });
      expect(code).toBe(1);
      expect(line('Google sign-in')).toMatch(
        /^✗ Google sign-in: Google refused GOOGLE_REFRESH_TOKEN \(invalid_grant: Token has been expired or revoked\.\) — run `baton auth google`/,
      );
      expect(line('Google sign-in')).toContain('your OAuth app is in "Testing"');
      expect(line('Google sign-in')).toContain('Publish app');
      expect(line('Google sign-in')).not.toContain('token-from-last-week');
    } finally {
      expired.restore();
    }
  });

  it('says which spreadsheet id is wrong', async () => {
    const { code, line } = await doctor({ PITCH_SHEET_ID: '1NoSuchSpreadsheetHere' });
    expect(code).toBe(1);
    expect(line('Lead sheet')).toMatch(/^✗ .*Spreadsheet 1NoSuc… not found.*check PITCH_SHEET_ID/);
  });

  it('says which tab is missing', async () => {
    const { code, line } = await doctor({ PITCH_SHEET_TAB: 'Prospects' });
    expect(code).toBe(1);
    expect(line('Lead sheet')).toMatch(/^✗ .*Sheet tab 'Prospects' not found.*check PITCH_SHEET_TAB/);
  });

  it('says which required column the tab lacks', async () => {
    const sheet = world.sheets.createSpreadsheet({
      title: 'Leads',
      tabs: { Leads: [['Name', 'Company', 'Notes']] },
    });
    const { code, line } = await doctor({ PITCH_SHEET_ID: sheet });
    expect(code).toBe(1);
    expect(line('Lead sheet')).toMatch(
      /^✗ .*tab 'Leads' has no Email column in row 1 \(found: Name, Company, Notes\).*add a header cell named Email/,
    );
  });

  it('names every list the review board lacks and the variable to set', async () => {
    const board = world.trello.createBoard({ name: 'Half a board', lists: ['Review', 'Approved'] });
    const { code, line } = await doctor({ TRELLO_BOARD_ID: board.boardId });
    expect(code).toBe(1);
    expect(line('Review board')).toMatch(/^✗ /);
    expect(line('Review board')).toContain("Trello list 'Rejected' not found");
    expect(line('Review board')).toContain('TRELLO_REJECTED_LIST');
    expect(line('Review board')).toContain("Trello list 'Needs changes' not found");
    expect(line('Review board')).toContain('TRELLO_CHANGES_LIST');
    expect(line('Review board')).not.toContain("'Approved' not found");
  });

  it('says when the model does not exist', async () => {
    const { code, line } = await doctor({ OPENAI_MODEL: 'gpt-nonexistent' });
    expect(code).toBe(1);
    expect(line('OpenAI sign-in')).toMatch(/^✓ /);
    expect(line('Model')).toMatch(/^✗ .*model gpt-nonexistent not found.*check OPENAI_MODEL/);
  });

  it('checks each configured provider: OpenAI for the writer, Anthropic for AUDITOR_MODEL', async () => {
    const { code, lines, line } = await doctor({
      LLM_MODEL: 'openai:gpt-4o-mini',
      AUDITOR_MODEL: 'anthropic:claude-sonnet-4-6',
    });
    expect(code).toBe(0);
    expect(lines.filter((l) => /^[✓✗–!] /.test(l))).toHaveLength(30);
    expect(line('OpenAI sign-in')).toMatch(/^✓ .*accepted OPENAI_API_KEY/);
    expect(line('Anthropic sign-in')).toMatch(
      /^✓ Anthropic sign-in: https:\/\/api\.anthropic\.com accepted ANTHROPIC_API_KEY \(\d+ models offered\)/,
    );
    expect(line('Model')).toContain('openai:gpt-4o-mini answered');
    expect(line('Auditor model')).toContain('anthropic:claude-sonnet-4-6 answered');
  });

  it('says which key and which model are wrong on Anthropic, and skips what depends on them', async () => {
    const wrongKey = await doctor({
      LLM_MODEL: 'anthropic:claude-haiku-4-5',
      ANTHROPIC_API_KEY: 'sk-ant-not-real-123456',
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.line('OpenAI sign-in')).toBe('');
    expect(wrongKey.line('Anthropic sign-in')).toMatch(/^✗ .*rejected the API key.*check ANTHROPIC_API_KEY/);
    expect(wrongKey.line('Anthropic sign-in')).not.toContain('not-real-123456');
    expect(wrongKey.line('Model')).toMatch(/^– .*fix 'Anthropic sign-in' first/);

    const wrongModel = await doctor({ AUDITOR_MODEL: 'anthropic:claude-imaginary-9' });
    expect(wrongModel.code).toBe(1);
    expect(wrongModel.line('Model')).toMatch(/^✓ /);
    expect(wrongModel.line('Auditor model')).toMatch(
      /^✗ Auditor model: model claude-imaginary-9 not found .*check AUDITOR_MODEL/,
    );
  });

  it('asks for ANTHROPIC_API_KEY only when an anthropic: model is configured', async () => {
    const ok = await doctor({ ANTHROPIC_API_KEY: undefined });
    expect(ok.code).toBe(0);
    const missing = await doctor({
      ANTHROPIC_API_KEY: undefined,
      AUDITOR_MODEL: 'anthropic:claude-haiku-4-5',
    });
    expect(missing.code).toBe(1);
    expect(missing.line('Configuration')).toMatch(
      /ANTHROPIC_API_KEY is required .*AUDITOR_MODEL=anthropic:claude-haiku-4-5/,
    );
  });

  it("counts the contacts older than the pathway's first start, which it leaves alone, and says how to process them", async () => {
    // Otto (above) and Olive came in before the first start; a record Baton made from mail is work
    // whenever it was made; Nina came in after.
    world.addContact({ Name: 'Olive Older', Email: 'olive@contacts.example', Source: 'form' });
    world.airtable.addRecord(world.airtableBaseId, 'Contacts', {
      Name: 'Mia Mail',
      Email: 'mia@contacts.example',
      'Gmail Message': 'msg-1',
    });
    const enabledAt = new Date(Date.now() + 500).toISOString();
    await new Promise((done) => setTimeout(done, 1100));
    world.addContact({ Name: 'Nina Newer', Email: 'nina@contacts.example', Source: 'form' });
    const dir = await tempDir();
    const store = new FileStore({ dir });
    await store.open();
    await store.setCursor(recordsTriggerId({ base: world.airtableBaseId, table: 'Contacts' }), { enabledAt });
    await store.close();

    const { code, line } = await doctor({ BATON_DATA_DIR: dir });
    expect(code).toBe(0);
    expect(line('Older contacts')).toBe(
      `✓ Older contacts: 2 contact(s) created before the first start (${enabledAt}) are waiting: run \`baton run pathway --backfill\` to process them on purpose`,
    );
    const backfill = await doctor({ BATON_DATA_DIR: dir, PATHWAY_BACKFILL: 'true' });
    expect(backfill.line('Older contacts')).toBe(
      '✓ Older contacts: 2 contact(s) without a Status will be processed (PATHWAY_BACKFILL is on)',
    );
  });

  it('names the process that holds the data folder', async () => {
    const dir = await tempDir();
    const running = new FileStore({ dir });
    await running.open();
    try {
      const { code, line } = await doctor({ BATON_DATA_DIR: dir });
      expect(code).toBe(1);
      expect(line('Data folder')).toMatch(new RegExp(`^✗ .*pid ${process.pid}`));
    } finally {
      await running.close();
    }
  });

  it('says when the HTTP port is taken, and which variable moves it', async () => {
    const taken = await listening(0);
    const { port } = taken.address() as { port: number };
    try {
      const { code, line } = await doctor({ BATON_HTTP_PORT: String(port) });
      expect(code).toBe(1);
      expect(line('HTTP port')).toMatch(
        new RegExp(`^✗ .*port ${port} on 127.0.0.1 is already in use.*BATON_HTTP_PORT`),
      );
    } finally {
      await new Promise((done) => taken.close(done));
    }
  });
});
