// `baton setup`: an empty base, database and board get everything the leads recipe needs, a second run
// creates nothing, a token without schema.bases:write gets the fields to add by hand, a Status-type
// Status is refused; doctor's schema checks are red before and green after. Real SDKs, emulators via msw.
import { describe, expect, it } from 'vitest';
import { NotionClient } from '../../connectors/notion/index.ts';
import type { RecipeFactory } from '../../recipes/index.ts';
import { checkLeadsSchema } from '../../recipes/leads/check-schema.ts';
import { LEADS_NOTION_STATUS_WORDS } from '../../recipes/leads/schema.ts';
import { leadsSetup } from '../../recipes/leads/setup-schema.ts';
import { pitchFactory } from '../../recipes/pitch/setup.ts';
import { type ServiceTuning, sharedServices } from '../../recipes/shared/services.ts';
import { runSetup } from '../../src/cli/commands/setup.ts';
import { ManualClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { NotionEmulator } from '../../src/sandbox/notion/index.ts';
import type { PropertySpec } from '../../src/sandbox/notion/schema.ts';
import { TrelloEmulator } from '../../src/sandbox/trello/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock, perBaseLimit: 100_000, perTokenLimit: 100_000 });
const notion = new NotionEmulator({ clock, requestsPerWindow: 1_000_000, burstPerSecond: 1_000_000 });
const trello = new TrelloEmulator({ clock, perTokenLimit: 100_000, perKeyLimit: 100_000 });
useEmulators(airtable.handlers(), notion.handlers(), trello.handlers());

const CREATOR = 'pat-setup-creator';
airtable.addToken(CREATOR, {
  scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'schema.bases:write'],
});
/** What Baton's token often is: an Editor that may read the schema but not change it. */
const EDITOR = 'pat-setup-editor';
airtable.addToken(EDITOR, {
  permission: 'edit',
  scopes: ['data.records:read', 'data.records:write', 'schema.bases:read'],
});
const RECORDS_ONLY = 'pat-setup-records';
airtable.addToken(RECORDS_ONLY, { scopes: ['data.records:read', 'data.records:write'] });
const NOTION_TOKEN = 'ntn_setup_secret';
notion.addIntegration(NOTION_TOKEN);
trello.addCredentials('setup-key', 'setup-token');

const TUNING: ServiceTuning = {
  limits: 'relaxed',
  retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 },
};

const leadsFactory: RecipeFactory = {
  name: 'leads',
  configured: (env) => Boolean(env.AIRTABLE_BASE_ID),
  problems: () => [],
  create: () => {
    throw new Error('not built in this test');
  },
  setup: leadsSetup,
  schemaChecks: checkLeadsSchema,
};
const factories = [pitchFactory, leadsFactory];

const USER_FIELDS = ['Name', 'Email', 'Company', 'Website', 'Notes'] as const;

/** A base whose Leads table has only the user's fields, a dossier database with only a title, an empty board. */
function world(
  options: {
    notion?: Record<string, PropertySpec>;
    userFields?: readonly string[];
    airtableToken?: string;
  } = {},
) {
  const base = airtable.createBase('CRM');
  airtable.createTable(
    base,
    'Leads',
    (options.userFields ?? USER_FIELDS).map((name) => ({
      name,
      type: name === 'Email' ? 'email' : name === 'Website' ? 'url' : 'singleLineText',
    })),
  );
  const dossier = notion.createDatabase({
    title: 'Dossiers',
    properties: options.notion ?? { Lead: 'title' },
  });
  const board = trello.createBoard({ name: 'Review', lists: [] });
  const env: NodeJS.ProcessEnv = {
    AIRTABLE_TOKEN: options.airtableToken ?? CREATOR,
    AIRTABLE_BASE_ID: base,
    NOTION_TOKEN,
    // As copied from Notion's "Copy link".
    LEADS_NOTION_DATABASE_ID: `https://www.notion.so/acme/Dossiers-${dossier.databaseId.replace(/-/g, '')}?v=1`,
    TRELLO_API_KEY: 'setup-key',
    TRELLO_TOKEN: 'setup-token',
    TRELLO_BOARD_ID: board.boardId,
  };
  return { base, dossier, boardId: board.boardId, env };
}

/** `baton setup …` in a fresh process (new clients): its exit code and printed lines. */
async function setup(env: NodeJS.ProcessEnv, names: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSetup(
    { ...env },
    names,
    { out: (t) => out.push(...t.split('\n')), err: (t) => err.push(t) },
    {
      factories,
      tuning: TUNING,
      log: silentLogger,
      clock,
    },
  );
  return { code, out, err, line: (label: string) => out.find((l) => l.slice(2).startsWith(`${label}:`)) };
}

/** `baton doctor`'s schema checks for leads, in a fresh process: label → ✓/✗ and the text. */
async function doctor(env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const fresh = { ...env };
  const services = sharedServices({ env: fresh, log: silentLogger, clock }, TUNING);
  const results: Record<string, string> = {};
  for (const check of await checkLeadsSchema(services, fresh)) {
    try {
      results[check.label] = `✓ ${await check.run()}`;
    } catch (e) {
      results[check.label] = `✗ ${(e as Error).message}`;
    }
  }
  return results;
}

const boardLists = (boardId: string) => trello.boardView(boardId).lists.map((l) => l.name);

describe('baton setup leads', () => {
  it('creates every field, property and list on an empty base, database and board, and prints what it did', async () => {
    const w = world();
    const before = await doctor(w.env);
    expect(before['Airtable Leads table']).toMatch(
      /^✗ table 'Leads': no field Status \(single line text\), .*Tier \(single select: Hot, Nurture\).* — run `baton setup` to add them$/,
    );
    expect(before['Notion dossier database']).toMatch(
      /^✗ 'Dossiers': no property Company \(text\);.* — run `baton setup`/,
    );
    expect(before['Airtable Baton table']).toMatch(
      /^✗ base app\w+ has no table 'Baton' .*a second Baton on this base would not be detected — run `baton setup` to create it/,
    );
    expect(before['Review board lists']).toBe(
      "✗ the board has no open list 'Review', 'Approved', 'Rejected', 'Needs changes' — run `baton setup` to create them",
    );

    const run = await setup(w.env);
    expect(run.code).toBe(0);
    expect(run.out).toContain('leads:');
    expect(run.out).not.toContain('pitch:'); // not configured: no PITCH_SHEET_ID
    expect(run.line('Airtable Leads')).toBe(
      '✓ Airtable Leads: added Status (single line text), Status detail (long text), Baton Run (single line text), Score (number), Confidence (number), Tier (single select: Hot, Nurture), Reasons (long text), Research (URL), Sequence (single line text), Unsubscribed (checkbox)',
    );
    expect(run.line('Airtable Baton table')).toBe(
      "✓ Airtable Baton table: added table 'Baton': Instance (single line text), Host (single line text), Data folder (single line text), Heartbeat (long text)",
    );
    expect(airtable.fields(w.base, 'Baton').map((f) => [f.name, f.type])).toEqual([
      ['Instance', 'singleLineText'],
      ['Host', 'singleLineText'],
      ['Data folder', 'singleLineText'],
      ['Heartbeat', 'multilineText'],
    ]);
    expect(run.line('Notion dossier database')).toBe(
      `✓ Notion dossier database: added Company (text), Email (email), Score (number), Tier (select: Hot, Nurture), Status (select: ${LEADS_NOTION_STATUS_WORDS.join(', ')}), Airtable (url), Baton key (text); 1 property already there`,
    );
    expect(run.line('Trello board')).toBe(
      "✓ Trello board: added 'Review', 'Approved', 'Rejected', 'Needs changes'",
    );

    const fields = Object.fromEntries(airtable.fields(w.base, 'Leads').map((f) => [f.name, f]));
    expect(fields.Score).toMatchObject({ type: 'number', options: { precision: 1 } });
    expect(fields.Confidence).toMatchObject({ type: 'number', options: { precision: 2 } });
    expect(fields.Tier?.type).toBe('singleSelect');
    expect(((fields.Tier?.options?.choices ?? []) as { name: string }[]).map((c) => c.name)).toEqual([
      'Hot',
      'Nurture',
    ]);
    expect(fields.Research?.type).toBe('url');
    expect(fields['Status detail']?.type).toBe('multilineText');
    const properties = notion.properties(w.dossier.dataSourceId);
    expect(properties.Status).toEqual({ type: 'select', options: [...LEADS_NOTION_STATUS_WORDS] });
    expect(properties['Baton key']).toEqual({ type: 'rich_text' });
    expect(properties.Lead).toEqual({ type: 'title' });
    expect(boardLists(w.boardId)).toEqual(['Review', 'Approved', 'Rejected', 'Needs changes']);

    // The connector writes a dossier into what setup made.
    const client = new NotionClient({ token: NOTION_TOKEN, policy: { initialDelayMs: 1, maxAttempts: 2 } });
    await client.createPage({
      dataSource: w.env.LEADS_NOTION_DATABASE_ID!,
      properties: {
        Lead: 'Ada Lovelace',
        Status: 'Hot: in review',
        Tier: 'Hot',
        Score: 8.5,
        Email: 'ada@example.com',
      },
      idempotencyKey: 'lead-1',
    });
    expect(notion.pages(w.dossier.dataSourceId)[0]?.properties).toMatchObject({
      Status: 'Hot: in review',
      Tier: 'Hot',
      Score: 8.5,
    });

    const after = await doctor(w.env);
    expect(after['Airtable Leads table']).toBe("✓ table 'Leads' has all 15 fields Baton reads and writes");
    expect(after['Notion dossier database']).toBe(
      "✓ 'Dossiers' has the properties Lead, Company, Email, Score, Tier, Status, Airtable, Baton key",
    );
    expect(after['Airtable Baton table']).toBe("✓ table 'Baton' has all 4 fields Baton reads and writes");
    expect(after['Review board lists']).toBe(
      "✓ the board has the lists 'Review', 'Approved', 'Rejected', 'Needs changes'",
    );
  });

  it('creates nothing the second time, and the pitch shares the board', async () => {
    const w = world();
    expect((await setup(w.env)).code).toBe(0);
    airtable.requests.clear();
    notion.requests.clear();
    trello.requests.clear();

    const again = await setup(w.env, ['leads', 'pitch']);
    expect(again.code).toBe(0);
    expect(again.line('Airtable Leads')).toBe('✓ Airtable Leads: all 10 fields there');
    expect(again.line('Airtable Baton table')).toBe('✓ Airtable Baton table: all 4 fields there');
    expect(again.line('Notion dossier database')).toBe('✓ Notion dossier database: all 8 properties there');
    expect(again.out.filter((l) => l.startsWith('✓ Trello board:'))).toEqual([
      '✓ Trello board: all 4 lists there',
      '✓ Trello board: all 4 lists there',
    ]);
    expect(again.line('Lead sheet')).toMatch(
      /^✓ Lead sheet: nothing to create — Baton adds its Status column itself/,
    );
    expect(again.out.at(-1)).toMatch(/^Everything is in place/);
    const writes = (e: { requests: { all(): readonly { method: string; path: string }[] } }) =>
      e.requests.all().filter((r) => r.method !== 'GET');
    expect([...writes(airtable), ...writes(notion), ...writes(trello)]).toEqual([]);
    expect(trello.requests.count()).toBeGreaterThan(0);
    expect(boardLists(w.boardId)).toHaveLength(4);
  });

  it('prints the exact fields to add by hand when the token may not change the schema, and exits 1', async () => {
    const w = world({ airtableToken: EDITOR });
    airtable.addField(w.base, 'Leads', { name: 'Score', type: 'number' });
    const run = await setup(w.env);
    expect(run.code).toBe(1);
    const at = run.out.findIndex((l) => l.startsWith('✗ Airtable Leads:'));
    expect(run.out[at]).toBe(
      '✗ Airtable Leads: the token may not add fields (it needs the schema.bases:write scope, and its user must be a Creator of the base) — add these 9 fields in Airtable by hand, or give the token that scope and run `baton setup` again',
    );
    expect(run.out.slice(at + 1, at + 10)).toEqual([
      '    Status — Single line text',
      '    Status detail — Long text',
      '    Baton Run — Single line text',
      '    Confidence — Number, 2 decimal places',
      '    Tier — Single select with the options Hot, Nurture',
      '    Reasons — Long text',
      '    Research — URL',
      '    Sequence — Single line text',
      '    Unsubscribed — Checkbox',
    ]);
    expect(airtable.fields(w.base, 'Leads').map((f) => f.name)).toEqual([...USER_FIELDS, 'Score']);
    // The other steps still ran.
    expect(run.line('Trello board')).toMatch(/^✓ /);
    // Nor may it create the Baton table: the table to add by hand.
    expect(run.line('Airtable Baton table')).toBe(
      "✗ Airtable Baton table: the token may not create tables (it needs the schema.bases:write scope, and its user must be a Creator of the base) — add a table 'Baton' with the fields Instance (single line text), Host (single line text), Data folder (single line text), Heartbeat (long text) in Airtable by hand, or give the token that scope and run `baton setup` again",
    );
    expect(run.out.at(-1)).toBe('2 step(s) need you: fix the ✗ lines above, then run `baton setup` again.');

    // A token that cannot even read the schema: the missing names are found through the records API.
    const blind = await setup({ ...w.env, AIRTABLE_TOKEN: RECORDS_ONLY });
    expect(blind.code).toBe(1);
    expect(blind.out).toContain('    Tier — Single select with the options Hot, Nurture');
    expect(blind.out).not.toContain('    Score — Number, 1 decimal place');
  });

  it("refuses a Notion 'Status' of type status, keeps a select's options, and says which user field is missing", async () => {
    const w = world({
      notion: {
        Name: 'title',
        Status: 'status',
        Tier: { type: 'select', options: ['Cold', 'Hot'] },
        Score: 'rich_text',
      },
      userFields: ['Name', 'Email', 'Company', 'Notes'],
    });
    const run = await setup(w.env);
    expect(run.code).toBe(1);
    expect(run.line('Notion dossier database')).toBe(
      "✗ Notion dossier database: added Company (text), Email (email), Airtable (url), Baton key (text), options Nurture to Tier; 2 properties already there; 'Score' is a Text property, Baton writes it as Number — change its type to Number in Notion, or rename it and let Baton create its own; 'Status' is a Status property — the Notion API cannot add options to a Status property, so Baton needs a Select named 'Status': change its type to Select in Notion, or rename it (e.g. 'Status (old)') and let Baton create its own",
    );
    const properties = notion.properties(w.dossier.dataSourceId);
    expect(properties.Status?.type).toBe('status');
    expect(properties.Score?.type).toBe('rich_text');
    expect(properties.Tier).toEqual({ type: 'select', options: ['Cold', 'Hot', 'Nurture'] });
    expect(run.line('Airtable Leads')).toMatch(
      /^✗ Airtable Leads: added Status \(single line text\), .*Unsubscribed \(checkbox\); no field 'Website' \(the company's website\) — add it in Airtable/,
    );

    const checks = await doctor(w.env);
    expect(checks['Notion dossier database']).toMatch(
      /^✗ 'Dossiers': 'Score' is a Text property.*; 'Status' is a Status property — the Notion API cannot add options/,
    );
    expect(checks['Airtable Leads table']).toMatch(/^✗ table 'Leads': no field 'Website'/);
  });

  it('accepts a single select Status, and names a field of the wrong type or a select lacking an option', async () => {
    const w = world();
    airtable.addField(w.base, 'Leads', { name: 'Status', type: 'singleSelect', choices: ['Queued', 'Hot'] });
    airtable.addField(w.base, 'Leads', { name: 'Score', type: 'singleLineText' });
    airtable.addField(w.base, 'Leads', { name: 'Tier', type: 'singleSelect', choices: ['Hot'] });
    const run = await setup(w.env, ['leads']);
    expect(run.code).toBe(1);
    expect(run.line('Airtable Leads')).toBe(
      "✗ Airtable Leads: added Status detail (long text), Baton Run (single line text), Confidence (number), Reasons (long text), Research (URL), Sequence (single line text), Unsubscribed (checkbox); 3 fields already there; 'Score' is a single line text field, Baton writes number — change its type in Airtable, or rename it and let Baton create its own; the single select 'Tier' lacks the option Nurture — add it in Airtable (the API cannot change an existing field's options)",
    );
    expect(airtable.fields(w.base, 'Leads').find((f) => f.name === 'Score')?.type).toBe('singleLineText');
    const checks = await doctor(w.env);
    expect(checks['Airtable Leads table']).toMatch(/^✗ table 'Leads': 'Score' is a single line text field/);
    expect(checks['Airtable Leads table']).not.toMatch(/Status/);
  });

  it("leaves the process's clients seeing the new schema (one data source read before, none after)", async () => {
    const w = world();
    const environment = { env: { ...w.env }, log: silentLogger, clock };
    const services = sharedServices(environment, TUNING);
    const checks = () => checkLeadsSchema(services, environment.env);
    const notionCheck = async () =>
      (await checks()).find((c) => c.label === 'Notion dossier database')!.run();
    await expect(notionCheck()).rejects.toThrow(/no property Company/);
    const report = await leadsSetup(environment, { out: () => {} });
    expect(report.steps.map((s) => [s.label, s.ok])).toEqual([
      ['Airtable Leads', true],
      ['Airtable Baton table', true],
      ['Notion dossier database', true],
      ['Trello board', true],
    ]);
    notion.requests.clear();
    await expect(notionCheck()).resolves.toMatch(/^'Dossiers' has the properties Lead, Company/);
    expect(notion.requests.count()).toBe(0);
  });

  it('makes one list even when the answer to a list create is lost', async () => {
    const w = world();
    trello.lostResponses.loseNext(1, { method: 'POST', match: /\/lists\?/ });
    const run = await setup(w.env, ['pitch']);
    expect(run.code).toBe(0);
    expect(run.line('Trello board')).toBe(
      "✓ Trello board: added 'Review', 'Approved', 'Rejected', 'Needs changes'",
    );
    expect(boardLists(w.boardId)).toEqual(['Review', 'Approved', 'Rejected', 'Needs changes']);
    // The answer was lost (the plan is used up): the retry found the list instead of making another.
    expect(trello.lostResponses.take('POST', `/1/boards/${w.boardId}/lists?name=x`)).toBeUndefined();
  });

  it('names an unknown recipe and the shipped ones (exit 78); with nothing configured it says so', async () => {
    const unknown = await setup({}, ['leads', 'invoices']);
    expect(unknown.code).toBe(78);
    expect(unknown.err).toEqual([
      "✗ There is no recipe named 'invoices' — the shipped recipes are pitch, leads",
    ]);
    expect(unknown.out).toEqual([]);

    const none = await setup({});
    expect(none.code).toBe(78);
    expect(none.err[0]).toMatch(/^✗ No recipe is configured/);
  });

  it('names the variable a step lacks', async () => {
    const w = world();
    const run = await setup({ ...w.env, LEADS_NOTION_DATABASE_ID: '', TRELLO_BOARD_ID: undefined });
    expect(run.code).toBe(1);
    expect(run.line('Notion dossier database')).toBe(
      "✗ Notion dossier database: LEADS_NOTION_DATABASE_ID is not set — set it to the dossier database's link or id in .env",
    );
    expect(run.line('Trello board')).toMatch(/^✗ Trello board: TRELLO_BOARD_ID is not set/);
    expect(run.line('Airtable Leads')).toMatch(/^✓ /);
  });
});
