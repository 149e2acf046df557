// Builds the leads recipe from the environment: the shared clients, its Airtable trigger, the shared
// review-board and reply triggers, settings.
import type { LookupFunction } from 'node:net';
import { airtableInstanceHome, airtableRenewEveryMs, records } from '../../connectors/airtable/index.ts';
import type { ServicePolicy } from '../../connectors/core/index.ts';
import { makeDeck } from '../../connectors/slides/index.ts';
import { fetchWebsite } from '../../connectors/website/index.ts';
import { parseEnv } from '../../src/config.ts';
import type { Recipe } from '../../src/engine/index.ts';
import { declareServices } from '../../src/runtime/metrics.ts';
import type { RecipeEnvironment, RecipeFactory } from '../index.ts';
import { IN_FLIGHT, type LeadsServices, leadsRecipe, STATUS } from '../leads.ts';
import { type BusinessProfile, brandGuidelines, businessProfile } from '../shared/profile.ts';
import type { ListRole } from '../shared/review/index.ts';
import { reviewListNames, type ServiceTuning, sharedServices } from '../shared/services.ts';
import { checkLeadsSchema } from './check-schema.ts';
import { DEFAULT_RUBRIC, LeadsEnv, leadsConfigured, leadsProblems } from './config.ts';
import { leadsSetup } from './setup-schema.ts';

/** Tuning a test, the sandbox or the bench may change. */
export interface LeadsTuning extends ServiceTuning {
  claimSettleMs?: number;
  /** Resolves website hostnames (the emulated world's demo sites); the system's DNS by default. */
  websiteLookup?: LookupFunction;
  /** The website fetch's time limit (default 10 s). */
  websiteTimeoutMs?: number;
}

export function buildLeads(
  environment: RecipeEnvironment,
  tuning: LeadsTuning = environment.tuning ?? {},
): Recipe {
  const parsed = parseEnv(LeadsEnv, environment.env);
  if (!parsed.ok) throw new Error(`leads configuration: ${parsed.problems.join('; ')}`);
  const env = parsed.config;
  const shared = sharedServices(environment, tuning);
  const airtable = shared.airtable();
  const { llm, auditor } = shared.models('leads');
  const names = reviewListNames(environment.env);
  const lists = Object.fromEntries(Object.entries(names).map(([role, l]) => [role, l.name])) as Record<
    ListRole,
    string
  >;
  const budget = shared.airtableBudget();
  const deckTemplate = env.LEADS_DECK_TEMPLATE_ID;

  const services: LeadsServices = {
    airtable,
    notion: shared.notion(),
    gmail: shared.gmail(),
    trello: shared.trello(),
    llm,
    auditor,
    lists: () => shared.reviewLists(),
    sendRules: shared.sendRules(),
    ...(shared.slack() ? { alert: (text: string) => shared.alert(text) } : {}),
    fetchWebsite: (url) =>
      fetchWebsite(url, {
        log: environment.log,
        ...(tuning.websiteLookup ? { lookup: tuning.websiteLookup } : {}),
        ...(tuning.websiteTimeoutMs ? { timeoutMs: tuning.websiteTimeoutMs } : {}),
      }),
    ...(deckTemplate
      ? {
          makeDeck: (input) =>
            makeDeck({ drive: shared.drive(), slides: shared.slides(), templateId: deckTemplate, ...input }),
        }
      : {}),
    triggers: {
      leads: shared.watched(
        records(airtable, {
          base: env.AIRTABLE_BASE_ID,
          table: env.LEADS_TABLE,
          ...(env.LEADS_VIEW ? { view: env.LEADS_VIEW } : {}),
          statusField: 'Status',
          runField: 'Baton Run',
          inFlightStatuses: IN_FLIGHT,
          // A person setting Tier on a lead in Needs review wakes its run.
          signalFormula: `AND({Status} = ${JSON.stringify(STATUS.needsReview)}, {Tier} != '')`,
          onlyNewSinceEnabled: !env.LEADS_BACKFILL,
          ...(budget ? { budget } : {}),
          // One Baton per base: heartbeats in its `Baton` table, renewed as rarely as the plan needs.
          instanceHome: airtableInstanceHome(airtable, env.AIRTABLE_BASE_ID, {
            renewEveryMs: airtableRenewEveryMs(budget?.limit),
            log: environment.log,
          }),
          clock: environment.clock,
          log: environment.log,
          ...(tuning.claimSettleMs !== undefined ? { claimSettleMs: tuning.claimSettleMs } : {}),
          ...(tuning.pollIntervalMs !== undefined ? { intervalMs: tuning.pollIntervalMs } : {}),
        }),
        'the Airtable lead table',
      ),
      reviews: shared.reviewBoard(),
      replies: shared.gmailReplies(),
    },
  };

  const profile = businessProfile(environment.env);
  const recipe = leadsRecipe(services, {
    profile: profile as BusinessProfile,
    rubric: env.LEADS_SCORING_RUBRIC ? brandGuidelines(env.LEADS_SCORING_RUBRIC) : DEFAULT_RUBRIC,
    hotScore: env.LEADS_HOT_SCORE,
    minConfidence: env.LEADS_MIN_CONFIDENCE,
    notionDatabase: env.LEADS_NOTION_DATABASE_ID,
    ...(env.BOOKING_URL ? { bookingUrl: env.BOOKING_URL } : {}),
    followUpAfter: env.LEADS_FOLLOW_UP_AFTER,
    followUps: env.LEADS_FOLLOW_UPS,
    tierTimeout: env.LEADS_REVIEW_TIMEOUT,
    review: { lists, timeout: env.REVIEW_TIMEOUT, maxRevisions: env.PITCH_MAX_REVISIONS },
  }) as Recipe;
  // Metrics report each shared client once, whichever recipes declare it (the pitch declares Trello).
  const llmClients = shared.llmClients();
  declareServices(recipe, [
    services.gmail.policy,
    ...[llmClients.openai?.policy, llmClients.anthropic?.policy].filter(
      (p): p is ServicePolicy => p !== undefined,
    ),
  ]);
  return recipe;
}

export const leadsFactory: RecipeFactory = {
  name: 'leads',
  configured: leadsConfigured,
  problems: leadsProblems,
  create: (environment) => buildLeads(environment),
  setup: leadsSetup,
  schemaChecks: checkLeadsSchema,
};
