// The leads recipe's configuration contract: every variable it reads, checked at start-up.
import { z } from 'zod';
import { parseEnv } from '../../src/config.ts';
import { toMs } from '../../src/engine/index.ts';
import { checkLlmEnv, LlmEnvFields } from '../../src/llm/index.ts';
import { LEADS_MARKERS } from '../google-scopes.ts';
import { profileProblems } from '../shared/profile.ts';
import { sendingProblems } from '../shared/sending/index.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = () => z.preprocess(blank, z.string().optional());
const required = (what: string) => z.preprocess(blank, z.string({ error: `is required — ${what}` }));
const number = (fallback: number, min: number, max: number, what: string) =>
  z.preprocess(
    blank,
    z.coerce
      .number({ error: `must be ${what}` })
      .min(min, { error: `must be ${what}` })
      .max(max, { error: `must be ${what}` })
      .default(fallback),
  );
const count = (fallback: number, what: string) =>
  z.preprocess(
    blank,
    z.coerce
      .number({ error: `must be a whole number (${what})` })
      .int({ error: `must be a whole number (${what})` })
      .min(0, { error: 'must be 0 or more' })
      .default(fallback),
  );
const duration = (fallback: string) => z.preprocess(blank, z.string().default(fallback));
const flag = z.preprocess(
  blank,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
);

/** The default rubric: what makes a lead worth a founder's personal email. */
export const DEFAULT_RUBRIC = [
  '10: a clear, urgent need our offer solves, a budget signal, and a reachable decision maker.',
  '8-9: a clear fit and a reason to act soon; one of budget or urgency unknown.',
  '5-7: a plausible fit, but the need or the timing is unclear.',
  '2-4: weak fit: another segment, too small, or already served by a competitor.',
  '0-1: no fit, a competitor, a student project, or spam.',
  'Score only on evidence from the lead record and the website; say "unknown" rather than guess.',
].join('\n');

export const LeadsEnv = z
  .object({
    ...LlmEnvFields,
    AIRTABLE_TOKEN: required(
      'a personal access token with data.records:read/write and schema.bases:read on the base',
    ),
    AIRTABLE_BASE_ID: required('the base id (from its URL: airtable.com/<appXXXX>/…)'),
    LEADS_TABLE: z.preprocess(blank, z.string().default('Leads')),
    LEADS_VIEW: optional(),
    LEADS_BACKFILL: flag,
    NOTION_TOKEN: required('an internal integration secret, shared with the dossier database'),
    LEADS_NOTION_DATABASE_ID: required('the dossier database (its id or URL)'),
    LEADS_HOT_SCORE: number(8, 0, 10, 'a score from 0 to 10'),
    LEADS_MIN_CONFIDENCE: number(0.7, 0, 1, 'a number from 0 to 1'),
    LEADS_SCORING_RUBRIC: optional(),
    LEADS_FOLLOW_UP_AFTER: duration('48h'),
    LEADS_FOLLOW_UPS: count(1, 'follow-ups per lead'),
    LEADS_REVIEW_TIMEOUT: duration('7d'),
    LEADS_DECK_TEMPLATE_ID: optional(),
    BOOKING_URL: z.preprocess(
      blank,
      z
        .url({ error: 'must be your booking page URL (Calendly, Cal.com, …)', protocol: /^https?$/ })
        .optional(),
    ),
    GOOGLE_CLIENT_ID: optional(),
    GOOGLE_CLIENT_SECRET: optional(),
    GOOGLE_REFRESH_TOKEN: optional(),
    GOOGLE_APPLICATION_CREDENTIALS: optional(),
    TRELLO_API_KEY: required('your Trello Power-Up API key (trello.com/power-ups/admin)'),
    TRELLO_TOKEN: required('a Trello token for that key'),
    TRELLO_BOARD_ID: required("the review board's id (from its URL: trello.com/b/<id>/…)"),
    REVIEW_TIMEOUT: duration('14d'),
    PITCH_MAX_REVISIONS: count(5, 'rewrites per email'),
  })
  .superRefine((env, ctx) => {
    checkLlmEnv(env, ctx);
    for (const name of ['LEADS_FOLLOW_UP_AFTER', 'LEADS_REVIEW_TIMEOUT', 'REVIEW_TIMEOUT'] as const) {
      try {
        toMs(env[name]);
      } catch {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `'${env[name]}' is not a duration — use forms like 48h, 7d`,
        });
      }
    }
    if (!env.GOOGLE_APPLICATION_CREDENTIALS && !(env.GOOGLE_CLIENT_ID && env.GOOGLE_REFRESH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_REFRESH_TOKEN'],
        message:
          'is required — the outreach is drafted in Gmail: run `baton auth google`, or set GOOGLE_APPLICATION_CREDENTIALS',
      });
    }
  });

export type LeadsEnv = z.infer<typeof LeadsEnv>;

export function leadsConfigured(env: NodeJS.ProcessEnv): boolean {
  return LEADS_MARKERS.some((name) => (env[name] ?? '').trim() !== '');
}

export function leadsProblems(env: NodeJS.ProcessEnv): string[] {
  const result = parseEnv(LeadsEnv, env);
  return [...(result.ok ? [] : result.problems), ...profileProblems(env), ...sendingProblems(env)];
}
