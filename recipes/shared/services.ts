// One client per service per process, shared by every recipe: their rate limiters and circuit
// breakers are shared too, so N recipes never go N times over Trello's, Airtable's or Google's limits.

import { z } from 'zod';
import {
  type AirtableCallBudget,
  AirtableClient,
  airtableBudgetFromEnv,
} from '../../connectors/airtable/index.ts';
import { AnthropicClient } from '../../connectors/anthropic/index.ts';
import type { ServicePolicy } from '../../connectors/core/index.ts';
import { DriveClient } from '../../connectors/drive/index.ts';
import { GmailClient, gmailReplies } from '../../connectors/gmail/index.ts';
import {
  createGoogleAuth,
  type GoogleCredentials,
  readServiceAccountKey,
} from '../../connectors/google/index.ts';
import { NotionClient } from '../../connectors/notion/index.ts';
import { OpenAIClient } from '../../connectors/openai/index.ts';
import { SheetsClient } from '../../connectors/sheets/index.ts';
import { alertWhenStuck, SlackNotifier } from '../../connectors/slack/index.ts';
import { SlidesClient } from '../../connectors/slides/index.ts';
import { cardMoved, TrelloClient } from '../../connectors/trello/index.ts';
import { type Llm, LlmEnvFields, type LlmRoles, llmFor, llmRoles, userPrices } from '../../src/llm/index.ts';
import type { Trigger } from '../../src/triggers/index.ts';
import { googleScopesFor } from '../google-scopes.ts';
import type { RecipeEnvironment } from '../index.ts';
import { leadsConfigured } from '../leads/config.ts';
import { leadsTable } from '../leads/schema.ts';
import { newsletterConfigured, newsletterSource } from '../newsletter/config.ts';
import { pathwayConfigured } from '../pathway/config.ts';
import { pathwayTable } from '../pathway/schema.ts';
import { sequenceConfigured, sequenceTables } from '../sequence/config.ts';
import { businessProfile } from './profile.ts';
import type { ListRole } from './review/index.ts';
import { SendRules, sendingSettings, type UnsubscribedTable } from './sending/index.ts';

/** Client tuning a test or the bench may change (retry delays, rate budgets). */
export interface ServiceTuning {
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Circuit breaker: consecutive failures that pause a service, and for how long. */
  breaker?: { breakAfter?: number; pauseMs?: number };
  /** 'relaxed' lifts the clients' rate budgets (tests against relaxed emulators); documented by default. */
  limits?: 'documented' | 'relaxed';
  /** Clients kept at their documented budgets under 'relaxed' (a test about that service's limit). */
  documented?: readonly ('sheets' | 'gmail' | 'trello')[];
  reconcileEveryMs?: number;
  pollIntervalMs?: number;
  /** Airtable's wait after a 429 (default 30 s, its penalty): a test whose emulator penalises for less waits less. */
  airtableRateLimitedDelayMs?: number;
}

/** The review board's list names by role, each with the variable that names it. */
export function reviewListNames(env: NodeJS.ProcessEnv): Record<ListRole, { name: string; envVar: string }> {
  const name = (envVar: string, fallback: string) => ({
    name: env[envVar]?.trim() || fallback,
    envVar,
  });
  return {
    review: name('TRELLO_REVIEW_LIST', 'Review'),
    approved: name('TRELLO_APPROVED_LIST', 'Approved'),
    rejected: name('TRELLO_REJECTED_LIST', 'Rejected'),
    changes: name('TRELLO_CHANGES_LIST', 'Needs changes'),
  };
}

/**
 * The process's clients, made on first use from the (already validated) environment. Every recipe
 * built from the same `RecipeEnvironment.env` object gets the same instance (`sharedServices`).
 */
export class SharedServices {
  readonly #env: NodeJS.ProcessEnv;
  readonly #environment: RecipeEnvironment;
  readonly #tuning: ServiceTuning;
  readonly #made = new Map<string, unknown>();

  constructor(environment: RecipeEnvironment, tuning: ServiceTuning = {}) {
    this.#environment = environment;
    this.#env = environment.env;
    this.#tuning = tuning;
  }

  get log() {
    return this.#environment.log;
  }

  get clock() {
    return this.#environment.clock;
  }

  get tuning(): ServiceTuning {
    return this.#tuning;
  }

  #once<T>(name: string, make: () => T): T {
    if (!this.#made.has(name)) this.#made.set(name, make());
    return this.#made.get(name) as T;
  }

  get #retry() {
    return { ...this.#tuning.retry, ...this.#tuning.breaker };
  }

  get #relaxed() {
    return this.#tuning.limits === 'relaxed';
  }

  #lifted(service: 'sheets' | 'gmail' | 'trello'): boolean {
    return this.#relaxed && !this.#tuning.documented?.includes(service);
  }

  static readonly #fast = { limit: 100_000, intervalMs: 1000 };

  /** Google sign-in (OAuth refresh token or a service account), for Sheets, Gmail, Drive and Slides. */
  googleAuth(): ReturnType<typeof createGoogleAuth> {
    return this.#once('google', () => {
      const env = this.#env;
      const credentials: GoogleCredentials = env.GOOGLE_APPLICATION_CREDENTIALS
        ? {
            kind: 'service-account',
            ...readServiceAccountKey(env.GOOGLE_APPLICATION_CREDENTIALS),
            ...(env.GOOGLE_IMPERSONATE ? { impersonate: env.GOOGLE_IMPERSONATE } : {}),
          }
        : {
            kind: 'oauth',
            clientId: env.GOOGLE_CLIENT_ID ?? '',
            clientSecret: env.GOOGLE_CLIENT_SECRET ?? '',
            refreshToken: env.GOOGLE_REFRESH_TOKEN ?? '',
          };
      // The configured recipes' scopes (what `baton auth google` asked for).
      return createGoogleAuth(credentials, googleScopesFor(env));
    });
  }

  sheets(): SheetsClient {
    return this.#once('sheets', () => {
      const fast = SharedServices.#fast;
      return new SheetsClient({
        auth: this.googleAuth(),
        log: this.log,
        policy: this.#retry,
        ...(this.#lifted('sheets') ? { limits: { read: fast, write: fast } } : {}),
        configHints: { spreadsheet: 'PITCH_SHEET_ID', tab: 'PITCH_SHEET_TAB' },
      });
    });
  }

  gmail(): GmailClient {
    return this.#once('gmail', () => {
      const fast = SharedServices.#fast;
      const name = businessProfile(this.#env).senderName;
      return new GmailClient({
        auth: this.googleAuth(),
        log: this.log,
        ...(name ? { sender: { name } } : {}),
        ...this.#retry,
        ...(this.#lifted('gmail') ? { limits: { read: fast, write: fast, send: fast } } : {}),
      });
    });
  }

  trello(): TrelloClient {
    return this.#once('trello', () => {
      const retry = this.#retry;
      return new TrelloClient({
        key: this.#env.TRELLO_API_KEY ?? '',
        token: this.#env.TRELLO_TOKEN ?? '',
        log: this.log,
        ...retry,
        ...(this.#lifted('trello')
          ? { limits: { request: SharedServices.#fast }, rateLimitedDelayMs: retry.initialDelayMs ?? 5000 }
          : {}),
      });
    });
  }

  /**
   * The workspace's monthly call budget (AIRTABLE_PLAN, AIRTABLE_MONTHLY_CALLS): every request the
   * client makes is counted, and Airtable triggers slow down to fit. Needs the data folder.
   */
  airtableBudget(): AirtableCallBudget | undefined {
    return this.#once('airtable-budget', () => {
      const dataDir = this.#environment.dataDir;
      if (!dataDir) return undefined;
      return airtableBudgetFromEnv(this.#env, {
        dataDir,
        clock: this.clock,
        log: this.log,
        notify: (text) => this.alert(text),
        ...(this.#environment.coordination?.airtableCalls
          ? { shared: this.#environment.coordination.airtableCalls }
          : {}),
      });
    });
  }

  airtable(): AirtableClient {
    return this.#once('airtable', () => {
      const retry = this.#retry;
      const budget = this.airtableBudget();
      return new AirtableClient({
        ...(budget ? { budget } : {}),
        token: this.#env.AIRTABLE_TOKEN ?? '',
        log: this.log,
        policy: retry,
        ...(this.#relaxed
          ? { perBase: SharedServices.#fast, rateLimitedDelayMs: retry.initialDelayMs ?? 30_000 }
          : {}),
        ...(this.#tuning.airtableRateLimitedDelayMs !== undefined
          ? { rateLimitedDelayMs: this.#tuning.airtableRateLimitedDelayMs }
          : {}),
        configHints: { token: 'AIRTABLE_TOKEN', base: 'AIRTABLE_BASE_ID', table: 'LEADS_TABLE' },
      });
    });
  }

  notion(): NotionClient {
    return this.#once('notion', () => {
      const retry = this.#retry;
      return new NotionClient({
        token: this.#env.NOTION_TOKEN ?? '',
        log: this.log,
        policy: retry,
        ...(this.#relaxed ? { limit: SharedServices.#fast } : {}),
        configHints: { token: 'NOTION_TOKEN', database: 'LEADS_NOTION_DATABASE_ID' },
      });
    });
  }

  drive(): DriveClient {
    return this.#once(
      'drive',
      () => new DriveClient({ auth: this.googleAuth(), log: this.log, policy: this.#retry }),
    );
  }

  slides(): SlidesClient {
    return this.#once(
      'slides',
      () => new SlidesClient({ auth: this.googleAuth(), log: this.log, policy: this.#retry }),
    );
  }

  /**
   * The sending manners every send goes through (GMAIL_DAILY_LIMIT, SEND_WINDOW in TZ, do-not-contact):
   * one per process, so the day's count covers every recipe's emails from the mailbox.
   * @throws Error naming the variable when one of them is wrong
   */
  sendRules(): SendRules {
    return this.#once('send-rules', () => {
      const env = this.#env;
      const parsed = sendingSettings(env);
      if (!parsed.ok) throw new Error(`sending configuration: ${parsed.problems.join('; ')}`);
      // Every configured Airtable table with people in it: the leads table (LEADS_TABLE), the
      // pathway's (PATHWAY_TABLE), the newsletter's (NEWSLETTER_TABLE), and the tables sequences
      // enrol from (SEQUENCE_TABLES), each once. A default sequence table (PATHWAY_TABLE while the
      // pathway is off) may not exist: it is left out, since a missing table stops every send.
      const tables: UnsubscribedTable[] = [];
      const add = (table: { base: string; table: string }) => {
        if (!tables.some((t) => t.base === table.base && t.table === table.table))
          tables.push({ base: table.base, table: table.table, emailField: 'Email' });
      };
      if (env.AIRTABLE_BASE_ID?.trim()) {
        const leads = leadsTable(env);
        if (leadsConfigured(env)) add(leads);
        if (pathwayConfigured(env)) add(pathwayTable(env));
        if (newsletterConfigured(env)) add(newsletterSource(env));
        if (sequenceConfigured(env))
          for (const t of sequenceTables(env)) if (!t.optional || t.table === leads.table) add(t);
      }
      const dataDir = this.#environment.dataDir;
      const { sendBook, doNotContact } = this.#environment.coordination ?? {};
      return new SendRules({
        settings: parsed.settings,
        clock: this.clock,
        ...(dataDir ? { dataDir } : {}),
        ...(sendBook ? { book: sendBook } : {}),
        ...(doNotContact ? { doNotContact } : {}),
        ...(tables.length > 0 ? { airtable: () => this.airtable(), unsubscribedTables: tables } : {}),
      });
    });
  }

  /** The one Gmail reply watcher: a reply in a watched thread wakes the run waiting on it, whatever its recipe. */
  gmailReplies(): Trigger {
    return this.#once('gmail-replies', () =>
      this.watched(
        gmailReplies(this.gmail(), {
          ...(this.#tuning.pollIntervalMs !== undefined ? { intervalMs: this.#tuning.pollIntervalMs } : {}),
        }),
        'the Gmail reply watcher',
      ),
    );
  }

  /** Slack, when SLACK_WEBHOOK_URL is set. Best effort: a failure is logged and never fails a run. */
  slack(): SlackNotifier | undefined {
    return this.#once('slack', () => {
      const url = this.#env.SLACK_WEBHOOK_URL?.trim();
      return url ? new SlackNotifier({ webhookUrl: url, log: this.log }) : undefined;
    });
  }

  /** Sends `text` to Slack when it is configured; never throws. */
  async alert(text: string): Promise<void> {
    await this.slack()?.notify({ text });
  }

  /** A trigger stuck on something only a person can fix (an expired Google sign-in) alerts Slack once. */
  watched<T extends Trigger>(trigger: T, what: string): T {
    const slack = this.slack();
    return slack ? alertWhenStuck(trigger, slack, what) : trigger;
  }

  /** The writer's and the auditor's models (LLM_MODEL, AUDITOR_MODEL), one client per provider. */
  models(recipe: string): { llm: Llm; auditor: Llm; roles: LlmRoles } {
    return this.#once(`models:${recipe}`, () => {
      const roles = this.#roles();
      const clients = this.llmClients();
      // Every call counts in the process's ledger under the recipe and stops at BATON_LLM_DAILY_BUDGET.
      const spend = this.#environment.llmSpend;
      const options = {
        prices: userPrices(z.object(LlmEnvFields).parse(this.#env)),
        ...(spend ? { meter: { spend, recipe } } : {}),
      };
      return {
        roles,
        llm: llmFor(roles.writer, clients, options),
        auditor: llmFor(roles.auditor, clients, options),
      };
    });
  }

  /** One client per provider the models use: a key is only needed (and checked) where it is used. */
  llmClients(): { openai?: OpenAIClient; anthropic?: AnthropicClient } {
    return this.#once('llm-clients', () => {
      const env = this.#env;
      const roles = this.#roles();
      const uses = (provider: string) =>
        roles.writer.provider === provider || roles.auditor.provider === provider;
      const fast = SharedServices.#fast;
      const openai = uses('openai')
        ? new OpenAIClient({
            apiKey: env.OPENAI_API_KEY ?? '',
            ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
            log: this.log,
            ...this.#retry,
            ...(this.#relaxed ? { limits: { requests: fast } } : {}),
          })
        : undefined;
      const anthropic = uses('anthropic')
        ? new AnthropicClient({
            apiKey: env.ANTHROPIC_API_KEY ?? '',
            ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
            log: this.log,
            ...this.#retry,
            ...(this.#relaxed ? { limits: { requests: fast } } : {}),
          })
        : undefined;
      return { ...(openai ? { openai } : {}), ...(anthropic ? { anthropic } : {}) };
    });
  }

  #roles(): LlmRoles {
    return this.#once('roles', () => llmRoles(z.object(LlmEnvFields).parse(this.#env)));
  }

  /** The review board's list ids by role, found once (a list created meanwhile is found on the next try). */
  reviewLists(): Promise<Record<ListRole, string>> {
    const cached = this.#made.get('review-lists') as Promise<Record<ListRole, string>> | undefined;
    if (cached) return cached;
    const found = this.trello()
      .findLists(this.#env.TRELLO_BOARD_ID ?? '', reviewListNames(this.#env))
      .catch((err: unknown) => {
        this.#made.delete('review-lists');
        throw err;
      });
    this.#made.set('review-lists', found);
    return found;
  }

  /**
   * The one trigger that watches the review board for every recipe: card moves wake the run that
   * waits on the card, whichever recipe it belongs to. Every recipe lists this same object; the
   * runtime polls it once.
   */
  reviewBoard(): Trigger {
    return this.#once('review-board', () => {
      const names = reviewListNames(this.#env);
      const archiveDays = Number(this.#env.TRELLO_ARCHIVE_AFTER_DAYS?.trim() || 30);
      return this.watched(
        cardMoved(this.trello(), {
          boardId: this.#env.TRELLO_BOARD_ID ?? '',
          // Review too: a reviewer who takes a card back out of Needs changes is heard.
          lists: [names.review.name, names.approved.name, names.rejected.name, names.changes.name],
          archive: { lists: [names.approved.name, names.rejected.name], afterDays: archiveDays },
          ...(this.#tuning.reconcileEveryMs !== undefined
            ? { reconcileEveryMs: this.#tuning.reconcileEveryMs }
            : {}),
          ...(this.#tuning.pollIntervalMs !== undefined ? { intervalMs: this.#tuning.pollIntervalMs } : {}),
        }),
        'the review board',
      );
    });
  }

  /** Each made client's service policy, for metrics. */
  policies(): ServicePolicy[] {
    const policies: ServicePolicy[] = [];
    for (const [name, client] of this.#made) {
      if (name === 'sheets' || name === 'gmail') policies.push((client as SheetsClient | GmailClient).policy);
    }
    const llm = this.#made.get('llm-clients') as ReturnType<SharedServices['llmClients']> | undefined;
    if (llm?.openai) policies.push(llm.openai.policy);
    if (llm?.anthropic) policies.push(llm.anthropic.policy);
    return policies;
  }
}

const registry = new WeakMap<object, SharedServices>();

/** The process's shared services for this environment (one per `env` object), made on first call. */
export function sharedServices(environment: RecipeEnvironment, tuning?: ServiceTuning): SharedServices {
  let services = registry.get(environment.env);
  if (!services) {
    services = new SharedServices(environment, tuning ?? environment.tuning);
    registry.set(environment.env, services);
  }
  return services;
}
