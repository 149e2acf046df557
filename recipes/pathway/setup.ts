// Builds the pathway recipe from the environment: the shared clients, its Contacts trigger, the
// shared review-board trigger, the Gmail inbound trigger when PATHWAY_GMAIL_QUERY is set, settings.
import { airtableInstanceHome, airtableRenewEveryMs, records } from '../../connectors/airtable/index.ts';
import type { ServicePolicy } from '../../connectors/core/index.ts';
import { parseEnv } from '../../src/config.ts';
import type { Recipe } from '../../src/engine/index.ts';
import { declareServices } from '../../src/runtime/metrics.ts';
import type { RecipeEnvironment, RecipeFactory } from '../index.ts';
import { PATHWAY_IN_FLIGHT, PATHWAY_STATUS, type PathwayServices, pathwayRecipe } from '../pathway.ts';
import type { BusinessProfile } from '../shared/profile.ts';
import { businessProfile } from '../shared/profile.ts';
import type { ListRole } from '../shared/review/index.ts';
import { reviewListNames, type ServiceTuning, sharedServices } from '../shared/services.ts';
import { checkPathwaySchema } from './check-schema.ts';
import { PathwayEnv, pathwayConfigured, pathwayProblems } from './config.ts';
import { gmailInbound } from './inbound.ts';
import { pathwayRubric } from './rubric.ts';
import { MADE_FROM_MAIL, PATHWAY_FIELDS } from './schema.ts';
import { pathwaySetup } from './setup-schema.ts';

/** Tuning a test, the sandbox or the bench may change. */
export interface PathwayTuning extends ServiceTuning {
  claimSettleMs?: number;
}

export function buildPathway(
  environment: RecipeEnvironment,
  tuning: PathwayTuning = environment.tuning ?? {},
): Recipe {
  const parsed = parseEnv(PathwayEnv, environment.env);
  if (!parsed.ok) throw new Error(`pathway configuration: ${parsed.problems.join('; ')}`);
  const env = parsed.config;
  const shared = sharedServices(environment, tuning);
  const airtable = shared.airtable();
  const gmail = shared.gmail();
  const { llm, auditor } = shared.models('pathway');
  const names = reviewListNames(environment.env);
  const lists = Object.fromEntries(Object.entries(names).map(([role, l]) => [role, l.name])) as Record<
    ListRole,
    string
  >;
  const budget = shared.airtableBudget();
  const table = { base: env.AIRTABLE_BASE_ID, table: env.PATHWAY_TABLE };

  const services: PathwayServices = {
    airtable,
    gmail,
    trello: shared.trello(),
    llm,
    auditor,
    lists: () => shared.reviewLists(),
    sendRules: shared.sendRules(),
    ...(shared.slack() ? { alert: (text: string) => shared.alert(text) } : {}),
    triggers: {
      contacts: shared.watched(
        records(airtable, {
          ...table,
          statusField: PATHWAY_FIELDS.status,
          runField: PATHWAY_FIELDS.run,
          inFlightStatuses: PATHWAY_IN_FLIGHT,
          // A person setting Tier on a contact in Needs review wakes its run.
          signalFormula: `AND({Status} = ${JSON.stringify(PATHWAY_STATUS.needsReview)}, {Tier} != '')`,
          onlyNewSinceEnabled: !env.PATHWAY_BACKFILL,
          // Records Baton made from inbound mail are new whenever they were made (even just before a
          // crash that lost the data folder).
          newAnyTime: MADE_FROM_MAIL,
          ...(budget ? { budget } : {}),
          // One Baton per base: heartbeats in its `Baton` table (shared with the leads recipe's trigger).
          instanceHome: airtableInstanceHome(airtable, env.AIRTABLE_BASE_ID, {
            renewEveryMs: airtableRenewEveryMs(budget?.limit),
            log: environment.log,
          }),
          clock: environment.clock,
          log: environment.log,
          ...(tuning.claimSettleMs !== undefined ? { claimSettleMs: tuning.claimSettleMs } : {}),
          ...(tuning.pollIntervalMs !== undefined ? { intervalMs: tuning.pollIntervalMs } : {}),
        }),
        'the Airtable contacts table',
      ),
      reviews: shared.reviewBoard(),
      ...(env.PATHWAY_GMAIL_QUERY
        ? {
            inbound: shared.watched(
              gmailInbound(gmail, airtable, {
                query: env.PATHWAY_GMAIL_QUERY,
                table,
                log: environment.log,
                ...(tuning.pollIntervalMs !== undefined ? { intervalMs: tuning.pollIntervalMs } : {}),
              }),
              'the Gmail inbound (PATHWAY_GMAIL_QUERY)',
            ),
          }
        : {}),
    },
  };

  const recipe = pathwayRecipe(services, {
    profile: businessProfile(environment.env) as BusinessProfile,
    table,
    rubric: pathwayRubric(env.PATHWAY_RUBRIC),
    ...(env.PATHWAY_VIP_VALUE !== undefined ? { vipValue: env.PATHWAY_VIP_VALUE } : {}),
    giftOffer: env.PATHWAY_GIFT_OFFER,
    minConfidence: env.PATHWAY_MIN_CONFIDENCE,
    tierTimeout: env.PATHWAY_REVIEW_TIMEOUT,
    spamAction: env.PATHWAY_SPAM_ACTION,
    review: { lists, timeout: env.REVIEW_TIMEOUT, maxRevisions: env.PITCH_MAX_REVISIONS },
  }) as Recipe;
  const llmClients = shared.llmClients();
  declareServices(recipe, [
    gmail.policy,
    ...[llmClients.openai?.policy, llmClients.anthropic?.policy].filter(
      (p): p is ServicePolicy => p !== undefined,
    ),
  ]);
  return recipe;
}

export const pathwayFactory: RecipeFactory = {
  name: 'pathway',
  configured: pathwayConfigured,
  problems: pathwayProblems,
  create: (environment) => buildPathway(environment),
  setup: pathwaySetup,
  schemaChecks: checkPathwaySchema,
};
