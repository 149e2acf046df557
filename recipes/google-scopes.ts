// Which Google scopes each recipe needs, so `baton auth google` asks for the configured recipes' only.
import { GOOGLE_SCOPES } from '../connectors/google/index.ts';
import { newsletterConfigured } from './newsletter/config.ts';
import { pathwayConfigured } from './pathway/config.ts';
import { pitchConfigured } from './pitch/config.ts';
import { sequenceConfigured } from './sequence/config.ts';

/** One recipe's Google needs. A recipe that uses Google adds an entry to RECIPE_GOOGLE_SCOPES. */
export interface RecipeGoogleScopes {
  recipe: string;
  /** True when the user set this recipe's variables. */
  configured(env: NodeJS.ProcessEnv): boolean;
  /** The scopes it needs with these settings (optional features add theirs only when turned on). */
  scopes(env: NodeJS.ProcessEnv): readonly string[];
}

const isSet = (env: NodeJS.ProcessEnv, name: string): boolean => (env[name] ?? '').trim() !== '';

/**
 * The variables that mark the leads recipe as configured. Not LEADS_TABLE: it has a default, and a
 * `.env` copied from .env.example carries it without meaning to turn the recipe on.
 */
export const LEADS_MARKERS = ['AIRTABLE_BASE_ID', 'LEADS_NOTION_DATABASE_ID'] as const;

/** Whether the leads recipe is configured, and so signs in to Google (Gmail drafts, maybe a deck). */
export function leadsUsesGoogle(env: NodeJS.ProcessEnv): boolean {
  return LEADS_MARKERS.some((name) => isSet(env, name));
}

/** Whether leads makes a personalised Slides deck per lead (LEADS_DECK_TEMPLATE_ID is set). */
export function leadsMakesDecks(env: NodeJS.ProcessEnv): boolean {
  return isSet(env, 'LEADS_DECK_TEMPLATE_ID');
}

/** Whether the content recipe is configured, and so reads videos from a Drive folder. */
export function contentUsesGoogle(env: NodeJS.ProcessEnv): boolean {
  return ['CONTENT_DRIVE_FOLDER_ID', 'CONTENT_NOTION_DATABASE_ID'].some((name) => isSet(env, name));
}

export const RECIPE_GOOGLE_SCOPES: readonly RecipeGoogleScopes[] = [
  {
    recipe: 'pitch',
    configured: pitchConfigured,
    // The lead sheet; drafts (compose and send); replies (read).
    scopes: () => [GOOGLE_SCOPES.sheets, GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead],
  },
  {
    recipe: 'leads',
    configured: leadsUsesGoogle,
    // Drafts and replies; a deck copies the user's own template, which drive.file cannot see.
    scopes: (env) => [
      GOOGLE_SCOPES.gmail,
      GOOGLE_SCOPES.gmailRead,
      ...(leadsMakesDecks(env) ? [GOOGLE_SCOPES.driveFull, GOOGLE_SCOPES.presentations] : []),
    ],
  },
  {
    recipe: 'pathway',
    configured: pathwayConfigured,
    // The VIP offer's draft and send; reading the inbox for PATHWAY_GMAIL_QUERY.
    scopes: () => [GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead],
  },
  {
    recipe: 'newsletter',
    configured: newsletterConfigured,
    // One draft and send per subscriber; reading finds an earlier send after a crash.
    scopes: () => [GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead],
  },
  {
    recipe: 'sequence',
    configured: sequenceConfigured,
    // Sends each step (drafts for reviewed ones) and reads replies in the thread.
    scopes: () => [GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead],
  },
  {
    recipe: 'content',
    configured: contentUsesGoogle,
    // Reads the videos the phone uploads to CONTENT_DRIVE_FOLDER_ID (drive.file cannot see them).
    scopes: () => [GOOGLE_SCOPES.drive],
  },
];

/**
 * The Google scopes to ask for: those of the configured recipes, in a stable order. With no recipe
 * configured yet (a first `baton auth google` before filling in .env), those of every recipe with
 * its optional features as `env` sets them.
 */
export function googleScopesFor(
  env: NodeJS.ProcessEnv,
  recipes: readonly RecipeGoogleScopes[] = RECIPE_GOOGLE_SCOPES,
): string[] {
  const configured = recipes.filter((r) => r.configured(env));
  const chosen = configured.length > 0 ? configured : recipes;
  return [...new Set(chosen.flatMap((r) => r.scopes(env)))];
}
