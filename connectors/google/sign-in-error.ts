// Why Google's token endpoint refused Baton's credentials, in words that say what to do.
import { z } from 'zod';
import { AuthError } from '../core/index.ts';

/** Google's token-endpoint error body (RFC 6749 §5.2). */
const OAuthErrorBody = z.object({ error: z.string(), error_description: z.string().optional() });

/** Where Google's OAuth client is published; quoted in the fix for tokens of an app in Testing. */
const PUBLISH_APP = 'Google Cloud Console → Google Auth Platform → Audience → Publish app';

/**
 * Google refused to give Baton an access token: a refresh token expired or revoked (`invalid_grant`),
 * an unknown OAuth client (`invalid_client`), a service account without delegation
 * (`unauthorized_client`). Retrying cannot help; the message says what the user must do.
 */
export class GoogleSignInError extends AuthError {
  constructor(
    /** Google's error code, e.g. `invalid_grant`. */
    readonly oauthError: string,
    message: string,
    hint: string,
    cause: unknown,
    status?: number,
  ) {
    super('google', message, { hint, cause, ...(status !== undefined ? { status } : {}) });
  }
}

/** Google's `error` and `error_description` from a token-endpoint failure (a gaxios error), if any. */
export function oauthErrorOf(err: unknown): { error: string; description?: string } | undefined {
  const data = (err as { response?: { data?: unknown } } | null)?.response?.data;
  const parsed = OAuthErrorBody.safeParse(data);
  if (!parsed.success) return undefined;
  const { error, error_description: description } = parsed.data;
  return description === undefined ? { error } : { error, description };
}

/**
 * The typed error for a refused token request, or undefined when `err` is not Google's answer (a
 * dropped connection, a 5xx page): those stay as they are, for the connector to retry.
 */
export function googleSignInError(err: unknown, serviceAccount: boolean): GoogleSignInError | undefined {
  const refusal = oauthErrorOf(err);
  if (!refusal) return undefined;
  const { message, hint } = explainRefusal(refusal, serviceAccount);
  const status = (err as { response?: { status?: unknown } }).response?.status;
  return new GoogleSignInError(
    refusal.error,
    message,
    hint,
    err,
    typeof status === 'number' ? status : undefined,
  );
}

/** What Google said and what to do about it. */
export function explainRefusal(
  refusal: { error: string; description?: string },
  serviceAccount: boolean,
): { message: string; hint: string } {
  const said = refusal.description ? `${refusal.error}: ${refusal.description}` : refusal.error;
  switch (refusal.error) {
    case 'invalid_client':
      return {
        message: `Google does not recognise GOOGLE_CLIENT_ID / GOOGLE_CLIENT_SECRET (${said})`,
        hint: 'copy both from your OAuth client (type "Desktop app") in Google Cloud Console → APIs & Services → Credentials',
      };
    case 'unauthorized_client':
      return {
        message: `the service account may not act as GOOGLE_IMPERSONATE (${said})`,
        hint: 'allow domain-wide delegation for its client id with the Sheets and Gmail scopes in the Google Workspace Admin console',
      };
    case 'invalid_grant':
      return serviceAccount
        ? {
            message: `Google refused the service account's key (${said})`,
            hint: 'create a new JSON key and point GOOGLE_APPLICATION_CREDENTIALS at it',
          }
        : {
            message: `Google refused GOOGLE_REFRESH_TOKEN (${said})`,
            // Google expires refresh tokens of apps in "Testing" after 7 days (developers.google.com/identity/protocols/oauth2#expiration).
            hint: `run \`baton auth google\` and paste the new GOOGLE_REFRESH_TOKEN into .env. If this comes back every 7 days, your OAuth app is in "Testing", where Google expires sign-ins after a week: publish it in ${PUBLISH_APP}, then run \`baton auth google\` once more for a token that lasts`,
          };
    default:
      return { message: `Google refused the sign-in (${said})`, hint: 'check the GOOGLE_* variables' };
  }
}
