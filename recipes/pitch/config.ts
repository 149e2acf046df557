// The pitch recipe's configuration contract: every variable it reads, checked at start-up.
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { parseEnv } from '../../src/config.ts';
import { toMs } from '../../src/engine/index.ts';
import { checkLlmEnv, LlmEnvFields } from '../../src/llm/index.ts';
import { DEFAULT_GUIDELINES } from '../shared/profile.ts';
import { sendingProblems } from '../shared/sending/index.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = () => z.preprocess(blank, z.string().optional());
const required = (what: string) => z.preprocess(blank, z.string({ error: `is required — ${what}` }));

export const PitchEnv = z
  .object({
    // LLM_MODEL / AUDITOR_MODEL (provider:model), OPENAI_MODEL, and each provider's key and URL.
    ...LlmEnvFields,
    GOOGLE_CLIENT_ID: optional(),
    GOOGLE_CLIENT_SECRET: optional(),
    GOOGLE_REFRESH_TOKEN: optional(),
    GOOGLE_APPLICATION_CREDENTIALS: optional(),
    GOOGLE_IMPERSONATE: z.preprocess(
      blank,
      z.email({ error: 'must be the email address of the mailbox to act as' }).optional(),
    ),
    TRELLO_API_KEY: required('your Trello Power-Up API key (trello.com/power-ups/admin)'),
    TRELLO_TOKEN: required('a Trello token for that key'),
    TRELLO_BOARD_ID: required("the board's id (from its URL: trello.com/b/<id>/…)"),
    TRELLO_REVIEW_LIST: z.preprocess(blank, z.string().default('Review')),
    TRELLO_APPROVED_LIST: z.preprocess(blank, z.string().default('Approved')),
    TRELLO_REJECTED_LIST: z.preprocess(blank, z.string().default('Rejected')),
    TRELLO_CHANGES_LIST: z.preprocess(blank, z.string().default('Needs changes')),
    TRELLO_ARCHIVE_AFTER_DAYS: z.preprocess(
      blank,
      z.coerce
        .number({ error: 'must be a whole number of days (0: never archive)' })
        .int({ error: 'must be a whole number of days (0: never archive)' })
        .min(0, { error: 'must be a whole number of days (0: never archive)' })
        .default(30),
    ),
    PITCH_SHEET_ID: required('the spreadsheet id (from its URL: docs.google.com/spreadsheets/d/<id>/…)'),
    PITCH_SHEET_TAB: z.preprocess(blank, z.string().default('Leads')),
    PITCH_KEY_COLUMN: z.preprocess(blank, z.string().default('Email')),
    // The shared business profile; PITCH_SENDER_NAME / PITCH_OFFER override it for the pitch.
    SENDER_NAME: optional(),
    OFFER: optional(),
    PITCH_SENDER_NAME: optional(),
    PITCH_OFFER: optional(),
    BRAND_GUIDELINES: z.preprocess(blank, z.string().default(DEFAULT_GUIDELINES)),
    PITCH_MIN_CONFIDENCE: z.preprocess(
      blank,
      z.coerce
        .number({ error: 'must be a number from 0 to 1' })
        .min(0, { error: 'must be a number from 0 to 1' })
        .max(1, { error: 'must be a number from 0 to 1' })
        .default(0.7),
    ),
    // The shared REVIEW_TIMEOUT, unless the pitch has its own.
    REVIEW_TIMEOUT: z.preprocess(blank, z.string().default('14d')),
    PITCH_APPROVAL_TIMEOUT: optional(),
    PITCH_MAX_REVISIONS: z.preprocess(
      blank,
      z.coerce
        .number({ error: 'must be a whole number (rewrites per pitch)' })
        .int({ error: 'must be a whole number (rewrites per pitch)' })
        .min(0, { error: 'must be 0 or more' })
        .default(5),
    ),
    SLACK_WEBHOOK_URL: z.preprocess(
      blank,
      z.url({ error: 'must be a https://hooks.slack.com/services/… URL' }).optional(),
    ),
  })
  .superRefine((env, ctx) => {
    checkLlmEnv(env, ctx);
    if (!env.PITCH_SENDER_NAME && !env.SENDER_NAME) {
      ctx.addIssue({
        code: 'custom',
        path: ['SENDER_NAME'],
        message:
          'is required — the name your emails are signed with (PITCH_SENDER_NAME overrides it for the pitch)',
      });
    }
    if (!env.PITCH_OFFER && !env.OFFER) {
      ctx.addIssue({
        code: 'custom',
        path: ['OFFER'],
        message: 'is required — one paragraph on what you sell (PITCH_OFFER overrides it for the pitch)',
      });
    }
    const oauth = [env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET, env.GOOGLE_REFRESH_TOKEN];
    if (env.GOOGLE_APPLICATION_CREDENTIALS) {
      if (!existsSync(env.GOOGLE_APPLICATION_CREDENTIALS)) {
        ctx.addIssue({
          code: 'custom',
          path: ['GOOGLE_APPLICATION_CREDENTIALS'],
          message: `file ${env.GOOGLE_APPLICATION_CREDENTIALS} does not exist — point it at the service account's JSON key`,
        });
      }
      if (!env.GOOGLE_IMPERSONATE) {
        ctx.addIssue({
          code: 'custom',
          path: ['GOOGLE_IMPERSONATE'],
          message:
            'is required with a service account — Gmail acts as a user through domain-wide delegation: set the mailbox to send from',
        });
      }
    } else {
      const names = ['GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_REFRESH_TOKEN'];
      oauth.forEach((value, i) => {
        if (!value)
          ctx.addIssue({
            code: 'custom',
            path: [names[i]!],
            message:
              'is required — run `baton auth google` to get these, or set GOOGLE_APPLICATION_CREDENTIALS for a service account',
          });
      });
    }
    for (const name of ['REVIEW_TIMEOUT', 'PITCH_APPROVAL_TIMEOUT'] as const) {
      const value = env[name];
      if (value === undefined) continue;
      try {
        toMs(value);
      } catch {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `'${value}' is not a duration — use forms like 14d, 72h`,
        });
      }
    }
  });

export type PitchEnv = z.infer<typeof PitchEnv>;

/** The variable that turns the pitch on: set it, and all the required ones must be set. */
export const PITCH_MARKERS = ['PITCH_SHEET_ID'] as const;

export function pitchConfigured(env: NodeJS.ProcessEnv): boolean {
  return PITCH_MARKERS.some((name) => (env[name] ?? '').trim() !== '');
}

export function pitchProblems(env: NodeJS.ProcessEnv): string[] {
  const result = parseEnv(PitchEnv, env);
  return [...(result.ok ? [] : result.problems), ...sendingProblems(env)];
}
