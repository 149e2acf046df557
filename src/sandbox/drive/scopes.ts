// Which of a user's files a token's scopes reach: all of them, or only those the app made (drive.file).
import type { GooglePrincipal } from '../google/auth.ts';

const AUTH = 'https://www.googleapis.com/auth/';

/** Scopes that reach every file the user can see in Drive (not only the app's own). */
export const ALL_FILES_SCOPES = [
  `${AUTH}drive`,
  `${AUTH}drive.readonly`,
  `${AUTH}drive.metadata`,
  `${AUTH}drive.metadata.readonly`,
];

/**
 * Whether the token reaches every file its user can see. With only `drive.file` it reaches just the
 * files made through the API ("files created or opened by the app"), so a template a person made is
 * "File not found" to it. `extra` adds an editor API's own broad scopes (Slides: `presentations`). An
 * empty scope list is unrestricted, as elsewhere in the emulators.
 */
export function seesAllFiles(principal: GooglePrincipal, extra: readonly string[] = []): boolean {
  if (principal.scopes.length === 0) return true;
  return principal.scopes.some((s) => ALL_FILES_SCOPES.includes(s) || extra.includes(s));
}
