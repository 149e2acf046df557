// Builds the newsletter recipe from the environment (shared clients, its weekly schedule, the shared
// review board), and its `baton setup` / `baton doctor` parts.
import type { DoctorCheck } from '../../src/cli/commands/doctor.ts';
import { parseEnv } from '../../src/config.ts';
import { type Recipe, toMs } from '../../src/engine/index.ts';
import { schedule } from '../../src/triggers/index.ts';
import type { RecipeEnvironment, RecipeFactory } from '../index.ts';
import { leadsConfigured } from '../leads/config.ts';
import { type NewsletterServices, newsletterRecipe } from '../newsletter.ts';
import { type BusinessProfile, businessProfile } from '../shared/profile.ts';
import type { ListRole } from '../shared/review/index.ts';
import {
  reviewListNames,
  type ServiceTuning,
  type SharedServices,
  sharedServices,
} from '../shared/services.ts';
import {
  checkNotionProperties,
  checkTrelloLists,
  ensureNotionProperties,
  ensureTrelloLists,
  type NotionPropertySpec,
  required,
  runStep,
  type SetupIo,
  type SetupReport,
  type SetupStep,
} from '../shared/setup/index.ts';
import { NewsletterEnv, newsletterConfigured, newsletterProblems, newsletterSource } from './config.ts';
import { issuesInFlight, resumingAfterLoss } from './recover.ts';

/** The archive database's properties (its title property keeps its own name: the issue's title goes there). */
export const NEWSLETTER_NOTION_PROPERTIES: readonly NotionPropertySpec[] = [
  { name: 'Subject', type: 'rich_text' },
  { name: 'Sent', type: 'number' },
  { name: 'Baton key', type: 'rich_text' },
];

/** What the README says to put in the view, for messages about a missing one. */
export const VIEW_FORMULA = "AND({Status} = 'Nurture', NOT({Unsubscribed}))";

export function buildNewsletter(
  environment: RecipeEnvironment,
  tuning: ServiceTuning = environment.tuning ?? {},
): Recipe {
  const parsed = parseEnv(NewsletterEnv, environment.env);
  if (!parsed.ok) throw new Error(`newsletter configuration: ${parsed.problems.join('; ')}`);
  const env = parsed.config;
  const shared = sharedServices(environment, tuning);
  const { llm, auditor } = shared.models('newsletter');
  const names = reviewListNames(environment.env);
  const lists = Object.fromEntries(Object.entries(names).map(([role, l]) => [role, l.name])) as Record<
    ListRole,
    string
  >;
  const sendRules = shared.sendRules();
  const usesNotion = Boolean(env.NEWSLETTER_NOTION_DATABASE_ID || env.CONTENT_NOTION_DATABASE_ID);
  const trello = shared.trello();
  const services: NewsletterServices = {
    airtable: shared.airtable(),
    gmail: shared.gmail(),
    trello,
    ...(usesNotion ? { notion: shared.notion() } : {}),
    llm,
    auditor,
    lists: () => shared.reviewLists(),
    sendRules,
    ...(shared.slack() ? { alert: (text: string) => shared.alert(text) } : {}),
    triggers: {
      // A Monday missed while Baton was off runs once when it is back, never once per missed week.
      // After a lost data folder, an issue still in review or half sent is picked up from its card.
      schedule: resumingAfterLoss(
        schedule(env.NEWSLETTER_CRON, { id: 'newsletter', tz: sendRules.settings.zone, catchUp: 1 }),
        () =>
          issuesInFlight(
            trello,
            env.TRELLO_BOARD_ID,
            [lists.review, lists.changes, lists.approved],
            // A card waits REVIEW_TIMEOUT at most, and a large list takes a few days more to send.
            environment.clock.now() - toMs(env.REVIEW_TIMEOUT) - 14 * 86_400_000,
          ),
      ),
      reviews: shared.reviewBoard(),
    },
  };
  return newsletterRecipe(services, {
    profile: businessProfile(environment.env) as BusinessProfile,
    brief: env.NEWSLETTER_BRIEF,
    zone: sendRules.settings.zone,
    source: newsletterSource(environment.env),
    ...(env.NEWSLETTER_NOTION_DATABASE_ID ? { archiveDatabase: env.NEWSLETTER_NOTION_DATABASE_ID } : {}),
    ...(env.CONTENT_NOTION_DATABASE_ID ? { contentDatabase: env.CONTENT_NOTION_DATABASE_ID } : {}),
    review: { lists, timeout: env.REVIEW_TIMEOUT, maxRevisions: env.PITCH_MAX_REVISIONS },
  }) as Recipe;
}

/** The view must exist (Airtable's API cannot create views): one record read through it proves it. */
async function checkView(services: SharedServices, env: NodeJS.ProcessEnv): Promise<string> {
  required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
  const source = newsletterSource(env);
  try {
    await services
      .airtable()
      .listPage(
        { base: source.base, table: source.table },
        { view: source.view, pageSize: 1, maxRecords: 1 },
      );
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `${why} — create a grid view named '${source.view}' in table '${source.table}' (NEWSLETTER_VIEW, NEWSLETTER_TABLE) that shows who gets the newsletter, e.g. filtered by the formula ${VIEW_FORMULA}`,
    );
  }
  return `view '${source.view}' of '${source.table}' is there`;
}

/**
 * `baton setup newsletter`: the review board's lists and the archive database's properties. The view
 * cannot be made through Airtable's API: setup checks it and says how to make it.
 */
export async function newsletterSetup(environment: RecipeEnvironment, io: SetupIo): Promise<SetupReport> {
  const { env } = environment;
  const services = sharedServices(environment);
  const report: SetupReport = { recipe: 'newsletter', steps: [] };
  const source = newsletterSource(env);
  await runStep(report, io, `Airtable view ${source.view}`, async (): Promise<SetupStep> => {
    required(env, 'AIRTABLE_TOKEN', 'a personal access token for the base');
    const found = await checkView(services, env);
    return {
      label: `Airtable view ${source.view}`,
      ok: true,
      created: [],
      existing: [],
      problems: [],
      summary: found,
    };
  });
  const archive = env.NEWSLETTER_NOTION_DATABASE_ID?.trim();
  if (archive) {
    await runStep(report, io, 'Notion newsletter archive', async () => {
      required(env, 'NOTION_TOKEN', "the Notion integration's secret");
      return ensureNotionProperties(
        services.notion(),
        archive,
        NEWSLETTER_NOTION_PROPERTIES,
        'Notion newsletter archive',
      );
    });
  }
  await runStep(report, io, 'Trello board', async () => {
    required(env, 'TRELLO_API_KEY', 'your Trello API key');
    required(env, 'TRELLO_TOKEN', 'a Trello token for the key');
    const board = required(env, 'TRELLO_BOARD_ID', "the review board's id");
    return ensureTrelloLists(
      services.trello(),
      board,
      Object.values(reviewListNames(env)).map((l) => l.name),
    );
  });
  return report;
}

/** `baton doctor`: the view, the archive's properties, the review lists. */
export async function checkNewsletterSchema(
  services: SharedServices,
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck[]> {
  const source = newsletterSource(env);
  const archive = env.NEWSLETTER_NOTION_DATABASE_ID?.trim();
  return [
    { label: `Airtable view ${source.view}`, run: () => checkView(services, env) },
    ...(archive
      ? [
          {
            label: 'Notion newsletter archive',
            run: () => checkNotionProperties(services.notion(), archive, NEWSLETTER_NOTION_PROPERTIES),
          },
        ]
      : []),
    // The leads recipe checks the same board under the same label: once is enough.
    ...(leadsConfigured(env) ? [] : [reviewListsCheck(services, env)]),
  ];
}

function reviewListsCheck(services: SharedServices, env: NodeJS.ProcessEnv): DoctorCheck {
  return {
    label: 'Review board lists',
    run: () => {
      const board = required(env, 'TRELLO_BOARD_ID', "the review board's id");
      const names = Object.values(reviewListNames(env)).map((l) => l.name);
      return checkTrelloLists(services.trello(), board, names);
    },
  };
}

export const newsletterFactory: RecipeFactory = {
  name: 'newsletter',
  configured: newsletterConfigured,
  problems: newsletterProblems,
  create: (environment) => buildNewsletter(environment),
  setup: newsletterSetup,
  schemaChecks: checkNewsletterSchema,
};
