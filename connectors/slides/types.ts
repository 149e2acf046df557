// The Slides connector's public shapes: client options, and makeDeck's input and result.
import type { OAuth2Client } from 'google-auth-library';
import type { Logger } from '../../src/log.ts';
import type { RateLimit, ServicePolicyOptions } from '../core/index.ts';
import type { DriveClient } from '../drive/index.ts';
import type { SlidesClient } from './client.ts';

export interface SlidesClientOptions {
  /** From `createGoogleAuth(credentials, [GOOGLE_SCOPES.presentations, …])`. */
  auth: OAuth2Client;
  /** Request budgets (defaults: 5 reads and 1 write per second, under Slides' 600 and 60 per user per minute). */
  limits?: { read?: RateLimit; write?: RateLimit };
  /** Retry and breaker tuning (tests pass small delays). */
  policy?: Partial<
    Pick<ServicePolicyOptions, 'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs'>
  >;
  /** Another origin for the API (a local sandbox server); Google's by default. */
  rootUrl?: string;
  log?: Logger;
}

/** A presentation as makeDeck reads it. */
export interface Presentation {
  id: string;
  title: string;
  /** The text of each shape and table cell. */
  textBoxes: string[];
}

export interface MakeDeckInput {
  drive: DriveClient;
  slides: SlidesClient;
  /** The Google Slides file holding `{{placeholders}}` (LEADS_DECK_TEMPLATE_ID). */
  templateId: string;
  /** The copy's name in Drive (and so its title). */
  name: string;
  /** Placeholder name → text: `{ company: 'Acme' }` fills `{{company}}` (exact case). Data only, never expanded. */
  values: Record<string, string>;
  /** Derived from run and step: a replay with the same key finds the copy already made. */
  idempotencyKey: string;
  /** Where the copy goes; beside the template by default. */
  folderId?: string;
  /** The setting to name when the template is wrong (default LEADS_DECK_TEMPLATE_ID). */
  templateSetting?: string;
}

export interface MadeDeck {
  fileId: string;
  /** https://docs.google.com/presentation/d/<id>/edit */
  url: string;
  /** Placeholders filled, counted in the template (the same on a replay). */
  replaced: number;
  /** Names in `values` whose `{{name}}` the template does not hold. */
  missing: string[];
  /** Names whose value was cut to MAX_VALUE_CHARS. */
  truncated: string[];
  /** False when a replay found the copy made earlier with this key. */
  created: boolean;
}
