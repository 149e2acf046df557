// Builds the pitch recipe from the environment: one client per service, the two triggers, settings.

import { AnthropicClient } from '../../connectors/anthropic/index.ts';
import type { ServicePolicy } from '../../connectors/core/index.ts';
import { GmailClient } from '../../connectors/gmail/index.ts';
import {
  createGoogleAuth,
  GOOGLE_SCOPES,
  type GoogleCredentials,
  readServiceAccountKey,
} from '../../connectors/google/index.ts';
import { OpenAIClient } from '../../connectors/openai/index.ts';
import { newRows, SheetsClient } from '../../connectors/sheets/index.ts';
import { alertWhenStuck, SlackNotifier } from '../../connectors/slack/index.ts';
import { cardMoved, TrelloClient } from '../../connectors/trello/index.ts';
import { parseEnv } from '../../src/config.ts';
import type { Recipe } from '../../src/engine/index.ts';
import { type Llm, type LlmRoles, llmFor, llmRoles, userPrices } from '../../src/llm/index.ts';
import { declareServices } from '../../src/runtime/metrics.ts';
import type { Trigger } from '../../src/triggers/index.ts';
import type { RecipeEnvironment, RecipeFactory } from '../index.ts';
import { IN_FLIGHT, type ListRole, type PitchServices, pitchRecipe } from '../pitch.ts';
import { brandGuidelines, PitchEnv, pitchConfigured, pitchProblems } from './config.ts';

/** Client tuning a test or the bench may change (retry delays, rate budgets, claim settle time). */
export interface PitchTuning {
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Circuit breaker: consecutive failures that pause a service, and for how long. */
  breaker?: { breakAfter?: number; pauseMs?: number };
  /** 'relaxed' lifts the clients' rate budgets (tests against relaxed emulators); documented by default. */
  limits?: 'documented' | 'relaxed';
  claimSettleMs?: number;
  reconcileEveryMs?: number;
  pollIntervalMs?: number;
}

export function buildPitch(environment: RecipeEnvironment, tuning: PitchTuning = {}): Recipe {
  const parsed = parseEnv(PitchEnv, environment.env);
  if (!parsed.ok) throw new Error(`pitch configuration: ${parsed.problems.join('; ')}`);
  const env = parsed.config;
  const { log } = environment;
  const retry = { ...tuning.retry, ...tuning.breaker };
  const fast = { limit: 100_000, intervalMs: 1000 };
  const relaxed = tuning.limits === 'relaxed';

  const credentials: GoogleCredentials = env.GOOGLE_APPLICATION_CREDENTIALS
    ? {
        kind: 'service-account',
        ...readServiceAccountKey(env.GOOGLE_APPLICATION_CREDENTIALS),
        ...(env.GOOGLE_IMPERSONATE ? { impersonate: env.GOOGLE_IMPERSONATE } : {}),
      }
    : {
        kind: 'oauth',
        clientId: env.GOOGLE_CLIENT_ID!,
        clientSecret: env.GOOGLE_CLIENT_SECRET!,
        refreshToken: env.GOOGLE_REFRESH_TOKEN!,
      };
  const auth = createGoogleAuth(credentials, [
    GOOGLE_SCOPES.sheets,
    GOOGLE_SCOPES.gmail,
    GOOGLE_SCOPES.gmailRead,
  ]);

  const sheets = new SheetsClient({
    auth,
    log,
    policy: retry,
    ...(relaxed ? { limits: { read: fast, write: fast } } : {}),
    configHints: { spreadsheet: 'PITCH_SHEET_ID', tab: 'PITCH_SHEET_TAB' },
  });
  const gmail = new GmailClient({
    auth,
    log,
    sender: { name: env.PITCH_SENDER_NAME },
    ...retry,
    ...(relaxed ? { limits: { read: fast, write: fast, send: fast } } : {}),
  });
  const trello = new TrelloClient({
    key: env.TRELLO_API_KEY,
    token: env.TRELLO_TOKEN,
    log,
    ...retry,
    ...(relaxed ? { limits: { request: fast }, rateLimitedDelayMs: retry.initialDelayMs ?? 5000 } : {}),
  });
  // One client per provider the models use: a key is only needed (and checked) where it is used.
  const roles = llmRoles(env);
  const uses = (provider: string) =>
    roles.writer.provider === provider || roles.auditor.provider === provider;
  const openai = uses('openai')
    ? new OpenAIClient({
        apiKey: env.OPENAI_API_KEY ?? '',
        ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
        log,
        ...retry,
        ...(relaxed ? { limits: { requests: fast } } : {}),
      })
    : undefined;
  const anthropic = uses('anthropic')
    ? new AnthropicClient({
        apiKey: env.ANTHROPIC_API_KEY ?? '',
        ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
        log,
        ...retry,
        ...(relaxed ? { limits: { requests: fast } } : {}),
      })
    : undefined;
  const clients = { ...(openai ? { openai } : {}), ...(anthropic ? { anthropic } : {}) };
  // Every call counts in the process's ledger under 'pitch' and stops at BATON_LLM_DAILY_BUDGET.
  const llmOptions = {
    prices: userPrices(env),
    ...(environment.llmSpend ? { meter: { spend: environment.llmSpend, recipe: 'pitch' } } : {}),
  };
  const llm = llmFor(roles.writer, clients, llmOptions);
  const auditor = llmFor(roles.auditor, clients, llmOptions);

  const listNames: Record<ListRole, string> = {
    review: env.TRELLO_REVIEW_LIST,
    approved: env.TRELLO_APPROVED_LIST,
    rejected: env.TRELLO_REJECTED_LIST,
    changes: env.TRELLO_CHANGES_LIST,
  };
  // Alerts are best effort: a Slack failure is logged by the notifier and never fails the run.
  const slack = env.SLACK_WEBHOOK_URL
    ? new SlackNotifier({ webhookUrl: env.SLACK_WEBHOOK_URL, log })
    : undefined;
  // A trigger stuck on something only a person can fix (an expired Google sign-in) alerts Slack once.
  const watched = <T extends Trigger>(trigger: T, what: string): T =>
    slack ? alertWhenStuck(trigger, slack, what) : trigger;
  let lists: Promise<Record<ListRole, string>> | undefined;
  const services: PitchServices = {
    sheets,
    gmail,
    trello,
    llm,
    auditor,
    lists() {
      lists ??= trello
        .findLists(env.TRELLO_BOARD_ID, {
          review: { name: listNames.review, envVar: 'TRELLO_REVIEW_LIST' },
          approved: { name: listNames.approved, envVar: 'TRELLO_APPROVED_LIST' },
          rejected: { name: listNames.rejected, envVar: 'TRELLO_REJECTED_LIST' },
          changes: { name: listNames.changes, envVar: 'TRELLO_CHANGES_LIST' },
        })
        .catch((err: unknown) => {
          lists = undefined; // a list created meanwhile is found on the next try
          throw err;
        });
      return lists;
    },
    ...(slack
      ? {
          alert: async (text: string) => {
            await slack.notify({ text });
          },
        }
      : {}),
    triggers: {
      leads: watched(
        newRows(sheets, {
          spreadsheetId: env.PITCH_SHEET_ID,
          tab: env.PITCH_SHEET_TAB,
          statusColumn: 'Status',
          keyColumn: env.PITCH_KEY_COLUMN,
          inFlightStatuses: IN_FLIGHT,
          clock: environment.clock,
          log,
          ...(tuning.claimSettleMs !== undefined ? { claimSettleMs: tuning.claimSettleMs } : {}),
          ...(tuning.reconcileEveryMs !== undefined ? { reconcileEveryMs: tuning.reconcileEveryMs } : {}),
          ...(tuning.pollIntervalMs !== undefined ? { intervalMs: tuning.pollIntervalMs } : {}),
        }),
        'the lead sheet',
      ),
      reviews: watched(
        cardMoved(trello, {
          boardId: env.TRELLO_BOARD_ID,
          // Review too: a reviewer who takes a card back out of Needs changes is heard.
          lists: [listNames.review, listNames.approved, listNames.rejected, listNames.changes],
          archive: {
            lists: [listNames.approved, listNames.rejected],
            afterDays: env.TRELLO_ARCHIVE_AFTER_DAYS,
          },
          ...(tuning.reconcileEveryMs !== undefined ? { reconcileEveryMs: tuning.reconcileEveryMs } : {}),
          ...(tuning.pollIntervalMs !== undefined ? { intervalMs: tuning.pollIntervalMs } : {}),
        }),
        'the review board',
      ),
    },
  };

  const recipe = pitchRecipe(services, {
    senderName: env.PITCH_SENDER_NAME,
    offer: env.PITCH_OFFER,
    guidelines: brandGuidelines(env.BRAND_GUIDELINES),
    lists: listNames,
    minConfidence: env.PITCH_MIN_CONFIDENCE,
    approvalTimeout: env.PITCH_APPROVAL_TIMEOUT,
    maxRevisions: env.PITCH_MAX_REVISIONS,
  }) as Recipe;
  builtParts.set(recipe, {
    env,
    auth,
    sheets,
    gmail,
    trello,
    ...clients,
    roles,
    llm,
    auditor,
  });
  declareServices(recipe, [
    sheets.policy,
    gmail.policy,
    {
      service: 'trello',
      get stats() {
        return trello.stats;
      },
      get paused() {
        return trello.paused;
      },
    },
    ...[openai?.policy, anthropic?.policy].filter((p): p is ServicePolicy => p !== undefined),
  ]);
  return recipe;
}

/** The clients and settings `buildPitch` made for a recipe: what `baton doctor` checks, built the same way. */
export interface PitchParts {
  env: PitchEnv;
  auth: ReturnType<typeof createGoogleAuth>;
  sheets: SheetsClient;
  gmail: GmailClient;
  trello: TrelloClient;
  /** Made only when a model setting names the provider. */
  openai?: OpenAIClient;
  anthropic?: AnthropicClient;
  /** The writer's and the auditor's `provider:model`. */
  roles: LlmRoles;
  llm: Llm;
  /** The auditor's model (AUDITOR_MODEL); the writer's when unset. */
  auditor: Llm;
}

const builtParts = new WeakMap<Recipe, PitchParts>();

/** The parts behind a recipe made by `buildPitch` (undefined for any other recipe). */
export function pitchParts(recipe: Recipe): PitchParts | undefined {
  return builtParts.get(recipe);
}

/** The review board's lists by role, each with the variable that names it (for `findLists`). */
export function pitchLists(env: PitchEnv): Record<ListRole, { name: string; envVar: string }> {
  return {
    review: { name: env.TRELLO_REVIEW_LIST, envVar: 'TRELLO_REVIEW_LIST' },
    approved: { name: env.TRELLO_APPROVED_LIST, envVar: 'TRELLO_APPROVED_LIST' },
    rejected: { name: env.TRELLO_REJECTED_LIST, envVar: 'TRELLO_REJECTED_LIST' },
    changes: { name: env.TRELLO_CHANGES_LIST, envVar: 'TRELLO_CHANGES_LIST' },
  };
}

export const pitchFactory: RecipeFactory = {
  name: 'pitch',
  configured: pitchConfigured,
  problems: pitchProblems,
  create: (environment) => buildPitch(environment),
};
