// The pathway recipe's configuration contract: every variable it reads, checked at start-up.
import { z } from 'zod';
import { parseEnv } from '../../src/config.ts';
import { toMs } from '../../src/engine/index.ts';
import { checkLlmEnv, LlmEnvFields } from '../../src/llm/index.ts';
import { profileProblems } from '../shared/profile.ts';
import { sendingProblems } from '../shared/sending/index.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = () => z.preprocess(blank, z.string().optional());
const required = (what: string) => z.preprocess(blank, z.string({ error: `is required — ${what}` }));
const duration = (fallback: string) => z.preprocess(blank, z.string().default(fallback));
const flag = z.preprocess(
  blank,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
);

/**
 * The variables that mark the pathway as configured. Not AIRTABLE_BASE_ID (the leads recipe's too)
 * and not PATHWAY_TABLE alone being a default: any PATHWAY_* a user sets on purpose turns it on.
 */
export const PATHWAY_MARKERS = [
  'PATHWAY_TABLE',
  'PATHWAY_GIFT_OFFER',
  'PATHWAY_GMAIL_QUERY',
  'PATHWAY_RUBRIC',
] as const;

export const PathwayEnv = z
  .object({
    ...LlmEnvFields,
    AIRTABLE_TOKEN: required(
      'a personal access token with data.records:read/write and schema.bases:read on the base',
    ),
    AIRTABLE_BASE_ID: required('the base id (from its URL: airtable.com/<appXXXX>/…)'),
    PATHWAY_TABLE: z.preprocess(blank, z.string().default('Contacts')),
    PATHWAY_BACKFILL: flag,
    PATHWAY_GMAIL_QUERY: optional(),
    PATHWAY_RUBRIC: optional(),
    PATHWAY_VIP_VALUE: z.preprocess(
      blank,
      z.coerce.number({ error: 'must be a number (a deal or order size)' }).min(0).optional(),
    ),
    PATHWAY_GIFT_OFFER: required(
      'the personal gift a VIP is offered, e.g. "a free 30-minute strategy session and 20% off the first month"',
    ),
    PATHWAY_MIN_CONFIDENCE: z.preprocess(
      blank,
      z.coerce
        .number({ error: 'must be a number from 0 to 1' })
        .min(0, { error: 'must be a number from 0 to 1' })
        .max(1, { error: 'must be a number from 0 to 1' })
        .default(0.7),
    ),
    PATHWAY_REVIEW_TIMEOUT: duration('3d'),
    PATHWAY_SPAM_ACTION: z.preprocess(
      (v) => (typeof v === 'string' ? blank(v.trim().toLowerCase()) : v),
      z.enum(['mark', 'delete'], { error: 'must be mark or delete' }).default('mark'),
    ),
    GOOGLE_CLIENT_ID: optional(),
    GOOGLE_CLIENT_SECRET: optional(),
    GOOGLE_REFRESH_TOKEN: optional(),
    GOOGLE_APPLICATION_CREDENTIALS: optional(),
    TRELLO_API_KEY: required('your Trello Power-Up API key (trello.com/power-ups/admin)'),
    TRELLO_TOKEN: required('a Trello token for that key'),
    TRELLO_BOARD_ID: required("the review board's id (from its URL: trello.com/b/<id>/…)"),
    REVIEW_TIMEOUT: duration('14d'),
    PITCH_MAX_REVISIONS: z.preprocess(
      blank,
      z.coerce.number({ error: 'must be a whole number' }).int().min(0).default(5),
    ),
  })
  .superRefine((env, ctx) => {
    checkLlmEnv(env, ctx);
    for (const name of ['PATHWAY_REVIEW_TIMEOUT', 'REVIEW_TIMEOUT'] as const) {
      try {
        toMs(env[name]);
      } catch {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `'${env[name]}' is not a duration — use forms like 3d, 48h`,
        });
      }
    }
    if (!env.GOOGLE_APPLICATION_CREDENTIALS && !(env.GOOGLE_CLIENT_ID && env.GOOGLE_REFRESH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_REFRESH_TOKEN'],
        message:
          'is required — the VIP offer is drafted in Gmail: run `baton auth google`, or set GOOGLE_APPLICATION_CREDENTIALS',
      });
    }
  });

export type PathwayEnv = z.infer<typeof PathwayEnv>;

export function pathwayConfigured(env: NodeJS.ProcessEnv): boolean {
  return PATHWAY_MARKERS.some((name) => (env[name] ?? '').trim() !== '');
}

export function pathwayProblems(env: NodeJS.ProcessEnv): string[] {
  const result = parseEnv(PathwayEnv, env);
  return [...(result.ok ? [] : result.problems), ...profileProblems(env), ...sendingProblems(env)];
}
