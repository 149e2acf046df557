// The emulated world a newcomer, a recipe test or the bench runs Baton against: every service's
// emulator on one clock, sandbox credentials, a Leads sheet and a review board, and the environment
// variables that point Baton at them.
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'msw';
import { LEADS_NOTION_STATUS_WORDS, LEADS_TIERS } from '../../recipes/leads/schema.ts';
import { PATHWAY_TIERS, PATHWAY_VIEWS } from '../../recipes/pathway/schema.ts';
import { type Clock, systemClock } from '../clock.ts';
import { AirtableEmulator } from './airtable/index.ts';
import { AnthropicEmulator } from './anthropic/index.ts';
import { DriveEmulator } from './drive/index.ts';
import { GmailEmulator } from './gmail/index.ts';
import { GoogleAuthEmulator } from './google/auth.ts';
import { LinkedInEmulator } from './linkedin/index.ts';
import { NotionEmulator } from './notion/index.ts';
import { OpenAIEmulator } from './openai/index.ts';
import { SheetsEmulator } from './sheets/index.ts';
import { SlackEmulator } from './slack/index.ts';
import { SlidesEmulator } from './slides/index.ts';
import { TrelloEmulator } from './trello/index.ts';
import { WebhookSinkEmulator } from './webhooks/index.ts';
import { WebsitesEmulator } from './websites/index.ts';

/** The sample sequences file shipped at the project root (absolute: the sandbox may run from anywhere). */
export const SAMPLE_SEQUENCES_FILE = fileURLToPath(new URL('../../sequences.yaml', import.meta.url));

/** Fake credentials: they only open the emulators. */
export const SANDBOX_CREDENTIALS = {
  mailbox: 'founder@sandbox.example',
  googleClientId: 'sandbox-client.apps.googleusercontent.com',
  googleClientSecret: 'sandbox-client-secret',
  googleRefreshToken: 'sandbox-refresh-token',
  trelloKey: 'sandbox-trello-key',
  trelloToken: 'sandbox-trello-token',
  openaiKey: 'sk-sandbox-offline-model',
  anthropicKey: 'sk-ant-sandbox-offline-model',
  airtableToken: 'patSandboxToken.offline',
  notionToken: 'ntn_sandbox_integration_secret',
  linkedinToken: 'AQVsandbox-linkedin-member-token',
} as const;

export const LEAD_COLUMNS = ['Name', 'Email', 'Company', 'Website', 'Notes'];
export const REVIEW_LISTS = ['Review', 'Approved', 'Rejected', 'Needs changes'];
/** The lead fields a person fills in the Airtable Leads table. */
export const AIRTABLE_LEAD_FIELDS = ['Name', 'Email', 'Company', 'Website', 'Notes'] as const;
/** The contact fields a form (or the Gmail inbound) fills in the Airtable Contacts table. */
export const AIRTABLE_CONTACT_FIELDS = ['Name', 'Email', 'Company', 'Message', 'Source', 'Value'] as const;
/** The Leads table's views a user makes, by the Status they show. */
export const LEAD_VIEWS = {
  New: "{Status} = ''",
  'Needs review': "{Status} = 'Needs review'",
  Hot: "{Tier} = 'Hot'",
  Nurture: "{Tier} = 'Nurture'",
  // Who gets the weekly newsletter (NEWSLETTER_VIEW): the README gives this formula.
  Newsletter: "AND({Status} = 'Nurture', NOT({Unsubscribed}))",
} as const;

/** Emulators whose limits `WorldOptions.documented` can keep while the others are relaxed. */
export type DocumentedService = 'sheets' | 'gmail' | 'trello';

export interface WorldOptions {
  clock?: Clock;
  /**
   * 'documented' keeps every emulator at the service's documented limits (the sandbox, the bench);
   * 'relaxed' lifts them so functional tests run at full speed (a test about limits sets its own).
   */
  limits?: 'documented' | 'relaxed';
  /**
   * Emulators kept at their documented limits under 'relaxed': a test about one service's limit
   * (Trello's 100 per 10 s) runs the others at full speed.
   */
  documented?: readonly DocumentedService[];
  /** Simulated model latency in ms (default 0). */
  modelLatencyMs?: number;
}

export interface EmulatedWorld {
  clock: Clock;
  auth: GoogleAuthEmulator;
  sheets: SheetsEmulator;
  gmail: GmailEmulator;
  trello: TrelloEmulator;
  openai: OpenAIEmulator;
  /** Claude, answered by the same offline model: set `LLM_MODEL`/`AUDITOR_MODEL` to `anthropic:…` to use it. */
  anthropic: AnthropicEmulator;
  slack: SlackEmulator;
  /** The mailbox owner's Drive, and Slides decks kept as files in it (lead decks copy a template). */
  drive: DriveEmulator;
  slides: SlidesEmulator;
  airtable: AirtableEmulator;
  notion: NotionEmulator;
  /** Demo company websites (and a trap for any request to a private address). */
  websites: WebsitesEmulator;
  /** LinkedIn publishing (Posts and Images APIs) for the sandbox member `linkedinAuthor`. */
  linkedin: LinkedInEmulator;
  /** The sandbox member's person URN (LINKEDIN_AUTHOR). */
  linkedinAuthor: string;
  /** Endpoints receiving webhooks; `publishWebhookUrl` is CONTENT_PUBLISH_WEBHOOK_URL. */
  webhooks: WebhookSinkEmulator;
  publishWebhookUrl: string;
  spreadsheetId: string;
  /** The Airtable base holding the Leads table. */
  airtableBaseId: string;
  /** The Notion dossier database and its data source. */
  dossiers: { databaseId: string; dataSourceId: string };
  /** The Notion database sent newsletter issues are archived in. */
  newsletterArchive: { databaseId: string; dataSourceId: string };
  /** The content calendar (CONTENT_NOTION_DATABASE_ID): one page per post, and one per video with its transcript. */
  contentCalendar: { databaseId: string; dataSourceId: string };
  /** The Drive folder the phone uploads daily videos to (CONTENT_DRIVE_FOLDER_ID). */
  videoFolderId: string;
  boardId: string;
  lists: Record<string, string>;
  handlers(): RequestHandler[];
  /** What a user's .env would say for every recipe, pointed at this world. */
  env: Record<string, string>;
  /** Adds a lead record to the Airtable Leads table, as a form would; returns its id. */
  addAirtableLead(lead: Partial<Record<(typeof AIRTABLE_LEAD_FIELDS)[number], string>>): string;
  /** Adds a person to the Airtable Contacts table (the pathway's), as a form would; returns its id. */
  addContact(contact: Partial<Record<(typeof AIRTABLE_CONTACT_FIELDS)[number], string | number>>): string;
  /** Adds a lead row to the Leads tab, as a person typing it in. */
  addLead(lead: Partial<Record<(typeof LEAD_COLUMNS)[number], string>>): number;
}

export function createWorld(options: WorldOptions = {}): EmulatedWorld {
  const clock = options.clock ?? systemClock;
  const relaxed = options.limits === 'relaxed';
  const lifted = (service: DocumentedService) => relaxed && !options.documented?.includes(service);
  const c = SANDBOX_CREDENTIALS;

  const auth = new GoogleAuthEmulator(clock);
  auth.registerRefreshToken({
    clientId: c.googleClientId,
    clientSecret: c.googleClientSecret,
    refreshToken: c.googleRefreshToken,
    email: c.mailbox,
  });
  const sheets = new SheetsEmulator({
    auth,
    clock,
    ...(lifted('sheets') ? { readsPerMinute: 100_000, writesPerMinute: 100_000 } : {}),
  });
  const gmail = new GmailEmulator({
    auth,
    clock,
    ...(lifted('gmail') ? { quotaUnitsPerMinute: 10_000_000 } : {}),
  });
  gmail.setMailbox(c.mailbox);
  const trello = new TrelloEmulator({
    clock,
    ...(lifted('trello') ? { perTokenLimit: 100_000, perKeyLimit: 100_000 } : {}),
  });
  trello.addCredentials(c.trelloKey, c.trelloToken);
  const openai = new OpenAIEmulator({
    clock,
    apiKeys: [c.openaiKey],
    ...(options.modelLatencyMs ? { latencyMs: options.modelLatencyMs } : {}),
  });
  const anthropic = new AnthropicEmulator({
    clock,
    apiKeys: [c.anthropicKey],
    ...(options.modelLatencyMs ? { latencyMs: options.modelLatencyMs } : {}),
  });

  const slack = new SlackEmulator({ clock, ...(relaxed ? { perSecond: 100_000 } : {}) });
  const drive = new DriveEmulator({ auth, clock, owner: c.mailbox });
  const slides = new SlidesEmulator({ auth, drive, clock, ...(relaxed ? { writesPerMinute: 100_000 } : {}) });
  const webhookUrl = slack.createWebhook('#pitches');

  const airtable = new AirtableEmulator({
    clock,
    ...(relaxed ? { perBaseLimit: 100_000, perTokenLimit: 100_000 } : {}),
  });
  airtable.addToken(c.airtableToken, {
    scopes: ['data.records:read', 'data.records:write', 'schema.bases:read', 'schema.bases:write'],
  });
  const airtableBaseId = airtable.createBase('Sales');
  // The user's own fields; `baton setup leads` adds Baton's (here they are made up front).
  airtable.createTable(airtableBaseId, 'Leads', [
    { name: 'Name', type: 'singleLineText' },
    { name: 'Email', type: 'email' },
    { name: 'Company', type: 'singleLineText' },
    { name: 'Website', type: 'url' },
    { name: 'Notes', type: 'multilineText' },
    { name: 'Status', type: 'singleLineText' },
    { name: 'Status detail', type: 'multilineText' },
    { name: 'Baton Run', type: 'singleLineText' },
    { name: 'Score', type: 'number' },
    { name: 'Confidence', type: 'number' },
    { name: 'Tier', type: 'singleSelect', choices: ['Hot', 'Nurture'] },
    { name: 'Reasons', type: 'multilineText' },
    { name: 'Research', type: 'url' },
    { name: 'Sequence', type: 'singleLineText' },
    { name: 'Sequence status', type: 'singleLineText' },
    { name: 'Sequence run', type: 'singleLineText' },
    { name: 'Sequence enrolled', type: 'dateTime' },
    { name: 'Unsubscribed', type: 'checkbox' },
  ]);
  for (const [view, filter] of Object.entries(LEAD_VIEWS)) {
    airtable.defineView(airtableBaseId, 'Leads', view, { filter });
  }
  // The pathway's Contacts table, with the team's tier views (`baton setup pathway` adds Baton's fields).
  airtable.createTable(airtableBaseId, 'Contacts', [
    { name: 'Name', type: 'singleLineText' },
    { name: 'Email', type: 'email' },
    { name: 'Company', type: 'singleLineText' },
    { name: 'Message', type: 'multilineText' },
    { name: 'Source', type: 'singleLineText' },
    { name: 'Value', type: 'number' },
    { name: 'Status', type: 'singleLineText' },
    { name: 'Status detail', type: 'multilineText' },
    { name: 'Baton Run', type: 'singleLineText' },
    { name: 'Tier', type: 'singleSelect', choices: [...PATHWAY_TIERS] },
    { name: 'Confidence', type: 'number' },
    { name: 'Reason', type: 'multilineText' },
    { name: 'Sequence', type: 'singleLineText' },
    { name: 'Sequence status', type: 'singleLineText' },
    { name: 'Sequence run', type: 'singleLineText' },
    { name: 'Sequence enrolled', type: 'dateTime' },
    { name: 'Unsubscribed', type: 'checkbox' },
    { name: 'Gmail Message', type: 'singleLineText' },
  ]);
  for (const [view, filter] of Object.entries(PATHWAY_VIEWS)) {
    airtable.defineView(airtableBaseId, 'Contacts', view, { filter });
  }
  // Where Baton instances on the base announce themselves (`baton setup leads` makes it too).
  airtable.createTable(airtableBaseId, 'Baton', [
    { name: 'Instance', type: 'singleLineText' },
    { name: 'Host', type: 'singleLineText' },
    { name: 'Data folder', type: 'singleLineText' },
    { name: 'Heartbeat', type: 'multilineText' },
  ]);
  const notion = new NotionEmulator({
    clock,
    // A free workspace: file uploads (thumbnails) up to 5 MiB.
    freePlan: true,
    ...(relaxed ? { requestsPerWindow: 1_000_000, burstPerSecond: 100_000 } : {}),
  });
  notion.addIntegration(c.notionToken, { name: 'Baton' });
  const dossiers = notion.createDatabase({
    title: 'Lead dossiers',
    sharedWith: [c.notionToken],
    properties: {
      Name: 'title',
      Company: 'rich_text',
      Email: 'email',
      Score: 'number',
      Tier: { type: 'select', options: [...LEADS_TIERS] },
      Status: { type: 'select', options: [...LEADS_NOTION_STATUS_WORDS] },
      Airtable: 'url',
      'Baton key': 'rich_text',
    },
  });
  // Where each sent newsletter issue is archived (NEWSLETTER_NOTION_DATABASE_ID).
  const newsletterArchive = notion.createDatabase({
    title: 'Newsletter issues',
    sharedWith: [c.notionToken],
    properties: { Name: 'title', Subject: 'rich_text', Sent: 'number', 'Baton key': 'rich_text' },
  });
  const contentCalendar = notion.createDatabase({
    title: 'Content calendar',
    sharedWith: [c.notionToken],
    properties: {
      Name: 'title',
      Status: { type: 'select', options: ['In review', 'Scheduled', 'Published', 'Rejected'] },
      'Publish at': 'date',
      'Post URL': 'url',
      Video: 'url',
      'Baton key': 'rich_text',
    },
  });
  const videoFolderId = drive.createFolder('Daily videos');
  const websites = new WebsitesEmulator({ clock });
  const linkedin = new LinkedInEmulator({ clock });
  const linkedinMember = linkedin.addMember('Sam Sandbox', { token: c.linkedinToken });
  const webhooks = new WebhookSinkEmulator({ clock });
  const publishWebhookUrl = webhooks.createSink('publish');

  const spreadsheetId = sheets.createSpreadsheet({ title: 'Leads', tabs: { Leads: [LEAD_COLUMNS] } });
  const board = trello.createBoard({ name: 'Pitch review', lists: REVIEW_LISTS });

  return {
    clock,
    auth,
    sheets,
    gmail,
    trello,
    openai,
    anthropic,
    slack,
    drive,
    slides,
    airtable,
    notion,
    websites,
    linkedin,
    linkedinAuthor: linkedinMember.urn,
    webhooks,
    publishWebhookUrl,
    spreadsheetId,
    airtableBaseId,
    dossiers,
    newsletterArchive,
    contentCalendar,
    videoFolderId,
    boardId: board.boardId,
    lists: board.lists,
    handlers: () => [
      ...auth.handlers(),
      ...sheets.handlers(),
      ...gmail.handlers(),
      ...trello.handlers(),
      ...openai.handlers(),
      ...anthropic.handlers(),
      ...slack.handlers(),
      ...drive.handlers(),
      ...slides.handlers(),
      ...airtable.handlers(),
      ...notion.handlers(),
      ...websites.handlers(),
      ...linkedin.handlers(),
      ...webhooks.handlers(),
    ],
    env: {
      OPENAI_API_KEY: c.openaiKey,
      OPENAI_MODEL: 'gpt-4o-mini',
      ANTHROPIC_API_KEY: c.anthropicKey,
      GOOGLE_CLIENT_ID: c.googleClientId,
      GOOGLE_CLIENT_SECRET: c.googleClientSecret,
      GOOGLE_REFRESH_TOKEN: c.googleRefreshToken,
      TRELLO_API_KEY: c.trelloKey,
      TRELLO_TOKEN: c.trelloToken,
      TRELLO_BOARD_ID: board.boardId,
      PITCH_SHEET_ID: spreadsheetId,
      PITCH_SHEET_TAB: 'Leads',
      SENDER_NAME: 'Sam from Sandbox Studio',
      OFFER: 'We build small automations that save a two-person team ten hours a week.',
      BRAND_GUIDELINES: 'Warm, plain words, under 150 words. No hype, no invented facts.',
      SLACK_WEBHOOK_URL: webhookUrl,
      AIRTABLE_TOKEN: c.airtableToken,
      AIRTABLE_BASE_ID: airtableBaseId,
      LEADS_TABLE: 'Leads',
      NOTION_TOKEN: c.notionToken,
      LEADS_NOTION_DATABASE_ID: dossiers.databaseId,
      BOOKING_URL: 'https://cal.com/sandbox-studio/intro',
      NEWSLETTER_TABLE: 'Leads',
      NEWSLETTER_VIEW: 'Newsletter',
      NEWSLETTER_BRIEF: 'One useful automation idea for a small team, and what we shipped this week.',
      NEWSLETTER_NOTION_DATABASE_ID: newsletterArchive.databaseId,
      PATHWAY_TABLE: 'Contacts',
      PATHWAY_GIFT_OFFER: 'a free 30-minute strategy session and 20% off the first month',
      PATHWAY_VIP_VALUE: '10000',
      // The project's sample sequences: the leads' Nurture branch enrols people in `nurture`.
      SEQUENCES_FILE: SAMPLE_SEQUENCES_FILE,
      // A visitor tries the sandbox at any hour: unattended follow-ups go at once, not next weekday 09:00.
      SEND_WINDOW: 'always',
      LINKEDIN_ACCESS_TOKEN: c.linkedinToken,
      LINKEDIN_AUTHOR: linkedinMember.urn,
      CONTENT_PUBLISH_WEBHOOK_URL: publishWebhookUrl,
      CONTENT_DRIVE_FOLDER_ID: videoFolderId,
      CONTENT_NOTION_DATABASE_ID: contentCalendar.databaseId,
    },
    addAirtableLead: (lead) => airtable.addRecord(airtableBaseId, 'Leads', lead),
    addContact: (contact) => airtable.addRecord(airtableBaseId, 'Contacts', contact),
    addLead: (lead) => sheets.addRow(spreadsheetId, 'Leads', lead as Record<string, string>),
  };
}
