// The content recipe's configuration contract: every variable it reads, checked at start-up.
import { z } from 'zod';
import { LinkedInConfigError, linkedInConfig } from '../../connectors/linkedin/index.ts';
import { MediaEnvFields } from '../../connectors/media/index.ts';
import { parseEnv } from '../../src/config.ts';
import { checkLlmEnv, LlmEnvFields } from '../../src/llm/index.ts';
import { contentUsesGoogle } from '../google-scopes.ts';
import { DEFAULT_POST_SLOTS, PostCalendar, PostSlotsError } from './slots.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = () => z.preprocess(blank, z.string().optional());
const required = (what: string) => z.preprocess(blank, z.string({ error: `is required — ${what}` }));

export const DEFAULT_IMAGE_STYLE =
  'a clean, modern editorial illustration, flat colours, no text or letters in the image';

export const ContentEnv = z
  .object({
    ...LlmEnvFields,
    ...MediaEnvFields,
    CONTENT_DRIVE_FOLDER_ID: required('the Drive folder your phone uploads videos to (its id, from the URL)'),
    CONTENT_NOTION_DATABASE_ID: required('the content calendar database (its id or URL)'),
    CONTENT_IMAGE_STYLE: z.preprocess(blank, z.string().default(DEFAULT_IMAGE_STYLE)),
    CONTENT_POST_SLOTS: z.preprocess(blank, z.string().default(DEFAULT_POST_SLOTS)),
    CONTENT_PUBLISH_WEBHOOK_URL: z.preprocess(
      blank,
      z.url({ error: 'must be an http(s) URL', protocol: /^https?$/ }).optional(),
    ),
    LINKEDIN_ACCESS_TOKEN: optional(),
    LINKEDIN_AUTHOR: optional(),
    LINKEDIN_VERSION: optional(),
    TZ: z.preprocess(blank, z.string().default('UTC')),
    NOTION_TOKEN: required('an internal integration secret, shared with the content calendar database'),
    GOOGLE_CLIENT_ID: optional(),
    GOOGLE_CLIENT_SECRET: optional(),
    GOOGLE_REFRESH_TOKEN: optional(),
    GOOGLE_APPLICATION_CREDENTIALS: optional(),
    TRELLO_API_KEY: required('your Trello Power-Up API key (trello.com/power-ups/admin)'),
    TRELLO_TOKEN: required('a Trello token for that key'),
    TRELLO_BOARD_ID: required("the review board's id (from its URL: trello.com/b/<id>/…)"),
    PITCH_MAX_REVISIONS: z.preprocess(blank, z.coerce.number().int().min(0).default(5)),
  })
  .superRefine((env, ctx) => {
    checkLlmEnv(env, ctx);
    if (!env.OPENAI_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['OPENAI_API_KEY'],
        message: 'is required — transcripts and thumbnails are made by OpenAI, whatever LLM_MODEL is',
      });
    }
    try {
      new PostCalendar(env.CONTENT_POST_SLOTS, env.TZ);
    } catch (err) {
      if (!(err instanceof PostSlotsError)) throw err;
      ctx.addIssue({ code: 'custom', path: [err.variable], message: err.message });
    }
    try {
      linkedInConfig({
        LINKEDIN_ACCESS_TOKEN: env.LINKEDIN_ACCESS_TOKEN,
        LINKEDIN_AUTHOR: env.LINKEDIN_AUTHOR,
        LINKEDIN_VERSION: env.LINKEDIN_VERSION,
      });
    } catch (err) {
      if (!(err instanceof LinkedInConfigError)) throw err;
      ctx.addIssue({ code: 'custom', path: [err.variable], message: err.message });
    }
    if (!env.GOOGLE_APPLICATION_CREDENTIALS && !(env.GOOGLE_CLIENT_ID && env.GOOGLE_REFRESH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_REFRESH_TOKEN'],
        message:
          'is required — videos are read from Drive: run `baton auth google`, or set GOOGLE_APPLICATION_CREDENTIALS',
      });
    }
  });

export type ContentEnv = z.infer<typeof ContentEnv>;

/** Configured when CONTENT_DRIVE_FOLDER_ID or CONTENT_NOTION_DATABASE_ID is set (the rest have defaults or are shared). */
export const contentConfigured = contentUsesGoogle;

export function contentProblems(env: NodeJS.ProcessEnv): string[] {
  const result = parseEnv(ContentEnv, env);
  return result.ok ? [] : result.problems;
}
