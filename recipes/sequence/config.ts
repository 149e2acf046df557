// The sequence recipe's configuration contract: SEQUENCES_FILE, SEQUENCE_TABLES, SEQUENCE_REVIEW_ALL,
// plus what it shares with leads (Airtable, Gmail, Trello, the models, the sending manners).
import { resolve } from 'node:path';
import { z } from 'zod';
import type { TableRef } from '../../connectors/airtable/index.ts';
import { parseEnv } from '../../src/config.ts';
import { toMs } from '../../src/engine/index.ts';
import { checkLlmEnv, LlmEnvFields } from '../../src/llm/index.ts';
import { DEFAULT_LEADS_TABLE } from '../leads/schema.ts';
import { profileProblems } from '../shared/profile.ts';
import { sendingProblems } from '../shared/sending/index.ts';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = () => z.preprocess(blank, z.string().optional());
const required = (what: string) => z.preprocess(blank, z.string({ error: `is required — ${what}` }));
const flag = z.preprocess(
  blank,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
);

export const DEFAULT_SEQUENCES_FILE = 'sequences.yaml';
/** The customer pathway's table when PATHWAY_TABLE is unset. */
export const DEFAULT_PATHWAY_TABLE = 'Contacts';

/** The variables that turn the recipe on (each has a default, so only setting one of them does). */
export const SEQUENCE_MARKERS = ['SEQUENCES_FILE', 'SEQUENCE_TABLES', 'SEQUENCE_REVIEW_ALL'] as const;

export const SequenceEnv = z
  .object({
    ...LlmEnvFields,
    SEQUENCES_FILE: z.preprocess(blank, z.string().default(DEFAULT_SEQUENCES_FILE)),
    SEQUENCE_TABLES: optional(),
    SEQUENCE_REVIEW_ALL: flag,
    AIRTABLE_TOKEN: required('a personal access token with data.records:read/write on the base'),
    AIRTABLE_BASE_ID: required('the base holding the tables people are enrolled from'),
    LEADS_TABLE: z.preprocess(blank, z.string().default(DEFAULT_LEADS_TABLE)),
    PATHWAY_TABLE: z.preprocess(blank, z.string().default(DEFAULT_PATHWAY_TABLE)),
    LEADS_NOTION_DATABASE_ID: optional(),
    NOTION_TOKEN: optional(),
    GOOGLE_CLIENT_ID: optional(),
    GOOGLE_REFRESH_TOKEN: optional(),
    GOOGLE_APPLICATION_CREDENTIALS: optional(),
    TRELLO_API_KEY: required('your Trello Power-Up API key: emails the auditor fails go to the review board'),
    TRELLO_TOKEN: required('a Trello token for that key'),
    TRELLO_BOARD_ID: required("the review board's id (from its URL: trello.com/b/<id>/…)"),
    REVIEW_TIMEOUT: z.preprocess(blank, z.string().default('14d')),
    PITCH_MAX_REVISIONS: z.preprocess(blank, z.coerce.number().int().min(0).default(5)),
  })
  .superRefine((env, ctx) => {
    checkLlmEnv(env, ctx);
    try {
      toMs(env.REVIEW_TIMEOUT);
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['REVIEW_TIMEOUT'],
        message: `'${env.REVIEW_TIMEOUT}' is not a duration — use forms like 48h, 7d`,
      });
    }
    if (!env.GOOGLE_APPLICATION_CREDENTIALS && !(env.GOOGLE_CLIENT_ID && env.GOOGLE_REFRESH_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_REFRESH_TOKEN'],
        message:
          'is required — sequence emails are sent from Gmail: run `baton auth google`, or set GOOGLE_APPLICATION_CREDENTIALS',
      });
    }
  });
export type SequenceEnv = z.infer<typeof SequenceEnv>;

/** A table people are enrolled from; `optional` ones (defaults) may not exist yet. */
export interface SequenceTable extends TableRef {
  /** Not named in SEQUENCE_TABLES: a default whose absence from the base is not an error. */
  optional: boolean;
}

/** SEQUENCE_TABLES (comma separated), or by default LEADS_TABLE and PATHWAY_TABLE. */
export function sequenceTables(env: NodeJS.ProcessEnv): SequenceTable[] {
  const base = env.AIRTABLE_BASE_ID?.trim() ?? '';
  const listed = (env.SEQUENCE_TABLES ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (listed.length > 0) return [...new Set(listed)].map((table) => ({ base, table, optional: false }));
  const leads = env.LEADS_TABLE?.trim() || DEFAULT_LEADS_TABLE;
  const pathway = env.PATHWAY_TABLE?.trim() || DEFAULT_PATHWAY_TABLE;
  return [...new Set([leads, pathway])].map((table) => ({ base, table, optional: true }));
}

/** The sequences file's full path (relative to the working folder). */
export function sequencesFile(env: NodeJS.ProcessEnv): string {
  return resolve(env.SEQUENCES_FILE?.trim() || DEFAULT_SEQUENCES_FILE);
}

export function sequenceConfigured(env: NodeJS.ProcessEnv): boolean {
  return SEQUENCE_MARKERS.some((name) => (env[name] ?? '').trim() !== '');
}

export function sequenceProblems(env: NodeJS.ProcessEnv): string[] {
  const result = parseEnv(SequenceEnv, env);
  return [...(result.ok ? [] : result.problems), ...profileProblems(env), ...sendingProblems(env)];
}
