// Builds the content recipe from the environment (shared clients, the Drive folder trigger, the
// shared review-board trigger), and its `baton setup content` and `baton doctor` checks.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinkedInClient, linkedInConfig } from '../../connectors/linkedin/index.ts';
import { ffmpegVersion, newMediaFiles, resolveFfmpeg } from '../../connectors/media/index.ts';
import { OpenAIClient } from '../../connectors/openai/index.ts';
import { PublishWebhook } from '../../connectors/publish-webhook/index.ts';
import type { DoctorCheck } from '../../src/cli/commands/doctor.ts';
import { parseEnv } from '../../src/config.ts';
import type { Recipe } from '../../src/engine/index.ts';
import { contentRecipe } from '../content.ts';
import type { RecipeEnvironment, RecipeFactory } from '../index.ts';
import { brandGuidelines, businessProfile } from '../shared/profile.ts';
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
} from '../shared/setup/index.ts';
import { type SlotBook, SlotLedger } from './calendar.ts';
import { ContentEnv, contentConfigured, contentProblems } from './config.ts';
import { resumingAfterLoss, videosInFlight } from './recover.ts';
import { CALENDAR, CALENDAR_STATUS } from './services.ts';
import { PostCalendar } from './slots.ts';

/** The group's shared slots in scale-out, else the data folder's. */
function slotBook(calendar: PostCalendar, environment: RecipeEnvironment): SlotBook {
  return environment.coordination?.slots?.(calendar) ?? new SlotLedger(calendar, environment.dataDir);
}

/** The content calendar's properties Baton writes (the title keeps its name). */
export const CONTENT_NOTION_PROPERTIES: readonly NotionPropertySpec[] = [
  { name: CALENDAR.status, type: 'select', options: Object.values(CALENDAR_STATUS) },
  { name: CALENDAR.publishAt, type: 'date' },
  { name: CALENDAR.postUrl, type: 'url' },
  { name: CALENDAR.video, type: 'url' },
  { name: CALENDAR.key, type: 'rich_text' },
];

export interface ContentTuning extends ServiceTuning {
  /** Transcription chunks shorter than 19 minutes (tests). */
  maxChunkSeconds?: number;
  /** How soon publishing tries again after an expired LinkedIn token (default 1 h). */
  tokenRetryMs?: number;
  /** LinkedIn and webhook retry tuning (tests pass small delays). */
  publishPolicy?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /**
   * Videos already in the folder when watching first starts are work too (the sandbox: its folder
   * is new and empty at each start, and a video uploaded before the first poll must not be missed).
   */
  backfill?: boolean;
}

export function buildContent(
  environment: RecipeEnvironment,
  tuning: ContentTuning = environment.tuning ?? {},
): Recipe {
  const parsed = parseEnv(ContentEnv, environment.env);
  if (!parsed.ok) throw new Error(`content configuration: ${parsed.problems.join('; ')}`);
  const env = parsed.config;
  const shared = sharedServices(environment, tuning);
  const { llm, auditor } = shared.models('content');
  const openai =
    shared.llmClients().openai ??
    new OpenAIClient({
      apiKey: env.OPENAI_API_KEY ?? '',
      ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
      log: environment.log,
    });
  const linkedin = new LinkedInClient({
    ...linkedInConfig(environment.env),
    log: environment.log,
    ...(tuning.publishPolicy ? { policy: tuning.publishPolicy } : {}),
  });
  const webhook = new PublishWebhook({
    url: env.CONTENT_PUBLISH_WEBHOOK_URL,
    log: environment.log,
    ...(tuning.publishPolicy ? { policy: tuning.publishPolicy } : {}),
  });
  const dataDir = environment.dataDir ?? join(tmpdir(), 'baton-content');
  let ffmpeg: Promise<string> | undefined;
  return contentRecipe(
    {
      drive: shared.drive(),
      openai,
      trello: shared.trello(),
      notion: shared.notion(),
      llm,
      auditor,
      linkedin,
      webhook,
      lists: () => shared.reviewLists(),
      ...(shared.slack() ? { alert: (text: string) => shared.alert(text) } : {}),
      slots: slotBook(new PostCalendar(env.CONTENT_POST_SLOTS, env.TZ), environment),
      now: () => environment.clock.now(),
      ffmpeg: () => {
        ffmpeg ??= resolveFfmpeg(env.FFMPEG_PATH).catch((err: unknown) => {
          ffmpeg = undefined;
          throw err;
        });
        return ffmpeg;
      },
      triggers: {
        videos: shared.watched(
          // After a lost data folder, the videos whose posts are still in review or scheduled (the
          // calendar says so) get their runs back; see recover.ts.
          resumingAfterLoss(
            newMediaFiles(shared.drive(), {
              folderId: env.CONTENT_DRIVE_FOLDER_ID,
              ...(tuning.backfill ? { startFrom: 'all' as const } : {}),
              ...(tuning.pollIntervalMs !== undefined ? { intervalMs: tuning.pollIntervalMs } : {}),
            }),
            () =>
              videosInFlight(
                shared.notion(),
                shared.drive(),
                env.CONTENT_NOTION_DATABASE_ID,
                environment.log,
              ),
          ),
          'the Drive video folder',
        ),
        reviews: shared.reviewBoard(),
      },
    },
    {
      guidelines: brandGuidelines(businessProfile(environment.env).guidelines),
      imageStyle: env.CONTENT_IMAGE_STYLE,
      imageModel: env.CONTENT_IMAGE_MODEL,
      imageSize: env.CONTENT_IMAGE_SIZE,
      transcribeModel: env.CONTENT_TRANSCRIBE_MODEL,
      maxVideoMb: env.CONTENT_MAX_VIDEO_MB,
      calendar: env.CONTENT_NOTION_DATABASE_ID,
      workDir: join(dataDir, 'content'),
      maxRevisions: env.PITCH_MAX_REVISIONS,
      reviewTimeout: environment.env.REVIEW_TIMEOUT?.trim() || '14d',
      ...(tuning.tokenRetryMs ? { tokenRetryMs: tuning.tokenRetryMs } : {}),
      ...(tuning.maxChunkSeconds ? { maxChunkSeconds: tuning.maxChunkSeconds } : {}),
    },
  ) as Recipe;
}

/**
 * `baton setup content`: the calendar database's properties (Status select with In review,
 * Scheduled, Published, Rejected; Publish at; Post URL; Video; Baton key) and the review board's
 * lists (shared with the other recipes; the `Content` label is made with the first card).
 */
export async function contentSetup(environment: RecipeEnvironment, io: SetupIo): Promise<SetupReport> {
  const { env } = environment;
  const services = sharedServices(environment);
  const report: SetupReport = { recipe: 'content', steps: [] };
  await runStep(report, io, 'Notion content calendar', async () => {
    required(env, 'NOTION_TOKEN', "the Notion integration's secret");
    const ref = required(env, 'CONTENT_NOTION_DATABASE_ID', "the content calendar database's link or id");
    const step = await ensureNotionProperties(
      services.notion(),
      ref,
      CONTENT_NOTION_PROPERTIES,
      'Notion content calendar',
    );
    return step.title ? { ...step, existing: [`${step.title} (title)`, ...step.existing] } : step;
  });
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

/** `baton doctor`: the calendar's properties, the review lists, ffmpeg runs, LinkedIn accepts the token. */
export async function checkContent(services: SharedServices, env: NodeJS.ProcessEnv): Promise<DoctorCheck[]> {
  return [
    {
      label: 'Notion content calendar',
      run: () =>
        checkNotionProperties(
          services.notion(),
          required(env, 'CONTENT_NOTION_DATABASE_ID', "the content calendar database's link or id"),
          CONTENT_NOTION_PROPERTIES,
        ),
    },
    {
      label: 'Review board lists',
      run: () =>
        checkTrelloLists(
          services.trello(),
          required(env, 'TRELLO_BOARD_ID', "the review board's id"),
          Object.values(reviewListNames(env)).map((l) => l.name),
        ),
    },
    {
      label: 'ffmpeg',
      run: async () => {
        const path = await resolveFfmpeg(env.FFMPEG_PATH?.trim() || undefined);
        return `${await ffmpegVersion(path)} (${path})`;
      },
    },
    {
      label: 'LinkedIn token',
      run: async () => {
        const client = new LinkedInClient({
          ...linkedInConfig(env),
          log: services.log,
          policy: { maxAttempts: 2 },
        });
        const check = await client.checkToken();
        if (check.authorMatches === false) {
          throw new Error(
            `LINKEDIN_AUTHOR is not the token's member (${check.member?.urn}): set LINKEDIN_AUTHOR=${check.member?.urn} or use that member's token`,
          );
        }
        return check.member
          ? `accepted for ${check.member.name ?? check.member.sub} (${check.member.urn})`
          : 'accepted';
      },
    },
  ];
}

export const contentFactory: RecipeFactory = {
  name: 'content',
  configured: contentConfigured,
  problems: contentProblems,
  create: (environment) => buildContent(environment),
  setup: contentSetup,
  schemaChecks: checkContent,
};
