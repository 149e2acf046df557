// Builds the pitch recipe from the environment: the shared clients, its sheet trigger and the shared
// review-board trigger, settings.
import type { AnthropicClient } from '../../connectors/anthropic/index.ts';
import type { ServicePolicy } from '../../connectors/core/index.ts';
import type { GmailClient } from '../../connectors/gmail/index.ts';
import type { createGoogleAuth } from '../../connectors/google/index.ts';
import type { OpenAIClient } from '../../connectors/openai/index.ts';
import { newRows, type SheetsClient } from '../../connectors/sheets/index.ts';
import type { TrelloClient } from '../../connectors/trello/index.ts';
import { parseEnv } from '../../src/config.ts';
import type { Recipe } from '../../src/engine/index.ts';
import type { Llm, LlmRoles } from '../../src/llm/index.ts';
import { declareServices } from '../../src/runtime/metrics.ts';
import type { RecipeEnvironment, RecipeFactory } from '../index.ts';
import { IN_FLIGHT, type ListRole, type PitchServices, pitchRecipe } from '../pitch.ts';
import { businessProfile } from '../shared/profile.ts';
import { type ServiceTuning, sharedServices } from '../shared/services.ts';
import { PitchEnv, pitchConfigured, pitchProblems } from './config.ts';
import { pitchSetup } from './setup-schema.ts';

/** Client tuning a test or the bench may change (retry delays, rate budgets, claim settle time). */
export interface PitchTuning extends ServiceTuning {
  claimSettleMs?: number;
}

export function buildPitch(
  environment: RecipeEnvironment,
  tuning: PitchTuning = environment.tuning ?? {},
): Recipe {
  const parsed = parseEnv(PitchEnv, environment.env);
  if (!parsed.ok) throw new Error(`pitch configuration: ${parsed.problems.join('; ')}`);
  const env = parsed.config;
  const { log } = environment;
  const shared = sharedServices(environment, tuning);
  const profile = businessProfile(environment.env);
  const sheets = shared.sheets();
  const gmail = shared.gmail();
  const trello = shared.trello();
  const { llm, auditor, roles } = shared.models('pitch');
  const clients = shared.llmClients();

  const listNames: Record<ListRole, string> = {
    review: env.TRELLO_REVIEW_LIST,
    approved: env.TRELLO_APPROVED_LIST,
    rejected: env.TRELLO_REJECTED_LIST,
    changes: env.TRELLO_CHANGES_LIST,
  };
  const services: PitchServices = {
    sheets,
    gmail,
    trello,
    llm,
    auditor,
    lists: () => shared.reviewLists(),
    sendRules: shared.sendRules(),
    ...(shared.slack() ? { alert: (text: string) => shared.alert(text) } : {}),
    triggers: {
      leads: shared.watched(
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
      reviews: shared.reviewBoard(),
    },
  };

  const recipe = pitchRecipe(services, {
    // PITCH_SENDER_NAME / PITCH_OFFER override the shared profile for the pitch.
    senderName: env.PITCH_SENDER_NAME ?? profile.senderName ?? '',
    offer: env.PITCH_OFFER ?? profile.offer ?? '',
    guidelines: profile.guidelines,
    lists: listNames,
    minConfidence: env.PITCH_MIN_CONFIDENCE,
    approvalTimeout: env.PITCH_APPROVAL_TIMEOUT ?? env.REVIEW_TIMEOUT,
    maxRevisions: env.PITCH_MAX_REVISIONS,
  }) as Recipe;
  builtParts.set(recipe, {
    env,
    auth: shared.googleAuth(),
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
    ...[clients.openai?.policy, clients.anthropic?.policy].filter((p): p is ServicePolicy => p !== undefined),
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
  setup: pitchSetup,
};
