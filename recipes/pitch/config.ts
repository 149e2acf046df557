// The pitch recipe's configuration contract: every variable it reads, checked at start-up.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseEnv } from '../../src/config.ts';
import { toMs } from '../../src/engine/index.ts';
import { checkLlmEnv, LlmEnvFields } from '../../src/llm/index.ts';

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
    PITCH_SENDER_NAME: required('the name the pitch is signed with'),
    PITCH_OFFER: required('one paragraph on what you sell'),
    BRAND_GUIDELINES: z.preprocess(
      blank,
      z.string().default('Friendly, concise, no hype. No claims we cannot back up.'),
    ),
    PITCH_MIN_CONFIDENCE: z.preprocess(
      blank,
      z.coerce
        .number({ error: 'must be a number from 0 to 1' })
        .min(0, { error: 'must be a number from 0 to 1' })
        .max(1, { error: 'must be a number from 0 to 1' })
        .default(0.7),
    ),
    PITCH_APPROVAL_TIMEOUT: z.preprocess(blank, z.string().default('14d')),
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
    try {
      toMs(env.PITCH_APPROVAL_TIMEOUT);
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['PITCH_APPROVAL_TIMEOUT'],
        message: `'${env.PITCH_APPROVAL_TIMEOUT}' is not a duration — use forms like 14d, 72h`,
      });
    }
  });

export type PitchEnv = z.infer<typeof PitchEnv>;

/** The variables that mark the pitch recipe as wanted: set any, and all the required ones must be set. */
export const PITCH_MARKERS = ['PITCH_SHEET_ID', 'PITCH_OFFER', 'PITCH_SENDER_NAME'] as const;

export function pitchConfigured(env: NodeJS.ProcessEnv): boolean {
  return PITCH_MARKERS.some((name) => (env[name] ?? '').trim() !== '');
}

export function pitchProblems(env: NodeJS.ProcessEnv): string[] {
  const result = parseEnv(PitchEnv, env);
  return result.ok ? [] : result.problems;
}

/** BRAND_GUIDELINES is text or the path of a file holding it. */
export function brandGuidelines(value: string): string {
  const looksLikePath = !value.includes('\n') && /\.(md|txt)$/i.test(value.trim());
  return looksLikePath && existsSync(value.trim()) ? readFileSync(value.trim(), 'utf8') : value;
}
