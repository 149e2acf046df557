// The newsletter recipe's configuration contract: every variable it reads, checked at start-up.
import { z } from 'zod';
import { parseEnv } from '../../src/config.ts';
import { toMs } from '../../src/engine/index.ts';
import { checkLlmEnv, LlmEnvFields } from '../../src/llm/index.ts';
import { schedule } from '../../src/triggers/index.ts';
import { profileProblems } from '../shared/profile.ts';
import { sendingProblems } from '../shared/sending/index.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = () => z.preprocess(blank, z.string().optional());
const required = (what: string) => z.preprocess(blank, z.string({ error: `is required — ${what}` }));

export const DEFAULT_NEWSLETTER_CRON = '0 9 * * MON';
export const DEFAULT_NEWSLETTER_BRIEF =
  'A short weekly note for people who are interested in what we do: one useful idea, what we worked on, and one thing worth reading.';

export const NewsletterEnv = z
  .object({
    ...LlmEnvFields,
    AIRTABLE_TOKEN: required('a personal access token with data.records:read on the base'),
    AIRTABLE_BASE_ID: required('the base id (from its URL: airtable.com/<appXXXX>/…)'),
    NEWSLETTER_CRON: z.preprocess(blank, z.string().default(DEFAULT_NEWSLETTER_CRON)),
    NEWSLETTER_TABLE: z.preprocess(blank, z.string().default('Leads')),
    NEWSLETTER_VIEW: z.preprocess(blank, z.string().default('Newsletter')),
    NEWSLETTER_BRIEF: z.preprocess(blank, z.string().default(DEFAULT_NEWSLETTER_BRIEF)),
    NEWSLETTER_NOTION_DATABASE_ID: optional(),
    CONTENT_NOTION_DATABASE_ID: optional(),
    NOTION_TOKEN: optional(),
    TZ: z.preprocess(blank, z.string().default('UTC')),
    GOOGLE_CLIENT_ID: optional(),
    GOOGLE_REFRESH_TOKEN: optional(),
    GOOGLE_APPLICATION_CREDENTIALS: optional(),
    TRELLO_API_KEY: required('your Trello Power-Up API key (trello.com/power-ups/admin)'),
    TRELLO_TOKEN: required('a Trello token for that key'),
    TRELLO_BOARD_ID: required("the review board's id (from its URL: trello.com/b/<id>/…)"),
    REVIEW_TIMEOUT: z.preprocess(blank, z.string().default('14d')),
    PITCH_MAX_REVISIONS: z.preprocess(blank, z.coerce.number().int().min(0).default(5)),
  })
  .superRefine((env, ctx) => {
    checkLlmEnv(env, ctx);
    try {
      schedule(env.NEWSLETTER_CRON, { tz: env.TZ });
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['NEWSLETTER_CRON'],
        message: `'${env.NEWSLETTER_CRON}' is not a cron expression — e.g. ${DEFAULT_NEWSLETTER_CRON} (Mondays 09:00 in TZ)`,
      });
    }
    try {
      toMs(env.REVIEW_TIMEOUT);
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['REVIEW_TIMEOUT'],
        message: `'${env.REVIEW_TIMEOUT}' is not a duration — use forms like 48h, 7d`,
      });
    }
    if ((env.NEWSLETTER_NOTION_DATABASE_ID || env.CONTENT_NOTION_DATABASE_ID) && !env.NOTION_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['NOTION_TOKEN'],
        message: 'is required — an internal integration secret, shared with the newsletter archive database',
      });
    }
    if (!env.GOOGLE_APPLICATION_CREDENTIALS && !(env.GOOGLE_CLIENT_ID && env.GOOGLE_REFRESH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_REFRESH_TOKEN'],
        message:
          'is required — the newsletter is sent from Gmail: run `baton auth google`, or set GOOGLE_APPLICATION_CREDENTIALS',
      });
    }
  });

export type NewsletterEnv = z.infer<typeof NewsletterEnv>;

/**
 * The variables that turn the newsletter on. Not NEWSLETTER_TABLE or NEWSLETTER_CRON: they have
 * defaults, and a `.env` copied from .env.example carries them without meaning to.
 */
export const NEWSLETTER_MARKERS = [
  'NEWSLETTER_VIEW',
  'NEWSLETTER_BRIEF',
  'NEWSLETTER_NOTION_DATABASE_ID',
] as const;

export function newsletterConfigured(env: NodeJS.ProcessEnv): boolean {
  return NEWSLETTER_MARKERS.some((name) => (env[name] ?? '').trim() !== '');
}

export function newsletterProblems(env: NodeJS.ProcessEnv): string[] {
  const result = parseEnv(NewsletterEnv, env);
  return [...(result.ok ? [] : result.problems), ...profileProblems(env), ...sendingProblems(env)];
}

/** The table the subscribers are in, and the view that picks them. */
export function newsletterSource(env: NodeJS.ProcessEnv): { base: string; table: string; view: string } {
  return {
    base: env.AIRTABLE_BASE_ID?.trim() ?? '',
    table: env.NEWSLETTER_TABLE?.trim() || 'Leads',
    view: env.NEWSLETTER_VIEW?.trim() || 'Newsletter',
  };
}
