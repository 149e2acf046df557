// Google credentials for Sheets, Gmail and Drive: an OAuth refresh token or a service account.
import { readFileSync } from 'node:fs';
import { type gaxios, JWT, OAuth2Client } from 'google-auth-library';
import { z } from 'zod';
import { googleSignInError } from './sign-in-error.ts';
import { sendWithTokenRetry } from './stale-token.ts';

/**
 * The Google scopes Baton's recipes use; each recipe asks only for its own (see recipes/google-scopes.ts).
 * Broad ones are asked for only when a feature needs them, e.g. `driveFull` and `presentations` for a
 * lead deck copied from the user's own Slides template (drive.file cannot see a file the user made).
 */
export const GOOGLE_SCOPES = {
  sheets: 'https://www.googleapis.com/auth/spreadsheets',
  gmail: 'https://www.googleapis.com/auth/gmail.compose',
  gmailRead: 'https://www.googleapis.com/auth/gmail.readonly',
  drive: 'https://www.googleapis.com/auth/drive.readonly',
  /** Files Baton creates itself (uploads); never the user's other files. */
  driveFile: 'https://www.googleapis.com/auth/drive.file',
  /** Every file in the user's Drive: needed to copy a template the user made (lead decks only). */
  driveFull: 'https://www.googleapis.com/auth/drive',
  /** Read and edit the user's Slides presentations (filling a lead deck's placeholders). */
  presentations: 'https://www.googleapis.com/auth/presentations',
} as const;

export type GoogleCredentials =
  | { kind: 'oauth'; clientId: string; clientSecret: string; refreshToken: string }
  | {
      kind: 'service-account';
      clientEmail: string;
      privateKey: string;
      /** The mailbox to act as (domain-wide delegation); needed for Gmail. */
      impersonate?: string;
    };

const ServiceAccountKey = z.object({
  client_email: z.string().email(),
  private_key: z.string().min(1),
});

/** Reads a service-account key file (GOOGLE_APPLICATION_CREDENTIALS) with a clear error when it is wrong. */
export function readServiceAccountKey(path: string): { clientEmail: string; privateKey: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(
      `GOOGLE_APPLICATION_CREDENTIALS: cannot read ${path} as JSON (${(err as Error).message}) — download the service account's JSON key and point this variable at it`,
    );
  }
  const parsed = ServiceAccountKey.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `GOOGLE_APPLICATION_CREDENTIALS: ${path} is not a service-account key (needs client_email and private_key)`,
    );
  }
  return { clientEmail: parsed.data.client_email, privateKey: parsed.data.private_key };
}

/**
 * An OAuth client whose refused refreshes throw GoogleSignInError (with the fix) instead of a bare
 * gaxios error, and which tries a request once more with a new token after a 401.
 */
class UserAuth extends OAuth2Client {
  protected override async refreshTokenNoCache(refreshToken?: string | null) {
    try {
      return await super.refreshTokenNoCache(refreshToken);
    } catch (err) {
      throw googleSignInError(err, false) ?? err;
    }
  }

  protected override requestAsync<T>(opts: gaxios.GaxiosOptions): Promise<gaxios.GaxiosResponse<T>> {
    return sendWithTokenRetry(this, opts, (o, retried) => super.requestAsync<T>(o, retried));
  }
}

/** A service-account client whose refused token requests throw GoogleSignInError; 401s as above. */
class ServiceAccountAuth extends JWT {
  protected override async refreshTokenNoCache() {
    try {
      return await super.refreshTokenNoCache();
    } catch (err) {
      throw googleSignInError(err, true) ?? err;
    }
  }

  protected override requestAsync<T>(opts: gaxios.GaxiosOptions): Promise<gaxios.GaxiosResponse<T>> {
    return sendWithTokenRetry(this, opts, (o, retried) => super.requestAsync<T>(o, retried));
  }
}

/**
 * An auth client for the googleapis SDKs. It fetches and refreshes access tokens itself through
 * oauth2.googleapis.com, which is also what the emulator answers in tests and the sandbox.
 * When Google refuses the credentials (expired or revoked refresh token, unknown client), the
 * request fails with GoogleSignInError, an AuthError whose message says what to do; the connectors'
 * policies pass it on unretried.
 */
export function createGoogleAuth(credentials: GoogleCredentials, scopes: string[]): OAuth2Client {
  if (credentials.kind === 'oauth') {
    const client = new UserAuth({
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
    });
    client.setCredentials({ refresh_token: credentials.refreshToken });
    return client;
  }
  return new ServiceAccountAuth({
    email: credentials.clientEmail,
    key: credentials.privateKey,
    scopes,
    ...(credentials.impersonate ? { subject: credentials.impersonate } : {}),
  });
}
