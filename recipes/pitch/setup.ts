// Builds the pitch recipe from the environment: one client per service, the two triggers, settings.
import { GmailClient } from '../../connectors/gmail/index.ts';
import {
  createGoogleAuth,
  GOOGLE_SCOPES,
  type GoogleCredentials,
  readServiceAccountKey,
} from '../../connectors/google/index.ts';
import { OpenAIClient } from '../../connectors/openai/index.ts';
import { newRows, SheetsClient } from '../../connectors/sheets/index.ts';
import { cardMoved, TrelloClient } from '../../connectors/trello/index.ts';
import { parseEnv } from '../../src/config.ts';
import type { Recipe } from '../../src/engine/index.ts';
import { createLlm } from '../../src/llm/index.ts';
import type { RecipeEnvironment, RecipeFactory } from '../index.ts';
import { IN_FLIGHT, type ListRole, type PitchServices, pitchRecipe } from '../pitch.ts';
import { brandGuidelines, PitchEnv, pitchConfigured, pitchProblems } from './config.ts';

/** Client tuning a test or the bench may change (retry delays, rate budgets, claim settle time). */
export interface PitchTuning {
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
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
  const retry = tuning.retry ?? {};
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
  const openai = new OpenAIClient({
    apiKey: env.OPENAI_API_KEY,
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    log,
    ...retry,
    ...(relaxed ? { limits: { requests: fast } } : {}),
  });

  const listNames: Record<ListRole, string> = {
    review: env.TRELLO_REVIEW_LIST,
    approved: env.TRELLO_APPROVED_LIST,
    rejected: env.TRELLO_REJECTED_LIST,
    changes: env.TRELLO_CHANGES_LIST,
  };
  let lists: Promise<Record<ListRole, string>> | undefined;
  const services: PitchServices = {
    sheets,
    gmail,
    trello,
    llm: createLlm({ client: openai, model: env.OPENAI_MODEL }),
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
    triggers: {
      leads: newRows(sheets, {
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
      reviews: cardMoved(trello, {
        boardId: env.TRELLO_BOARD_ID,
        lists: [listNames.approved, listNames.rejected, listNames.changes],
        ...(tuning.reconcileEveryMs !== undefined ? { reconcileEveryMs: tuning.reconcileEveryMs } : {}),
        ...(tuning.pollIntervalMs !== undefined ? { intervalMs: tuning.pollIntervalMs } : {}),
      }),
    },
  };

  return pitchRecipe(services, {
    senderName: env.PITCH_SENDER_NAME,
    offer: env.PITCH_OFFER,
    guidelines: brandGuidelines(env.BRAND_GUIDELINES),
    lists: listNames,
    minConfidence: env.PITCH_MIN_CONFIDENCE,
    approvalTimeout: env.PITCH_APPROVAL_TIMEOUT,
  }) as Recipe;
}

export const pitchFactory: RecipeFactory = {
  name: 'pitch',
  configured: pitchConfigured,
  problems: pitchProblems,
  create: (environment) => buildPitch(environment),
};
