// The Slides emulator's errors, in Google's shape `{"error":{"code","message","status","details"?}}`.
import { GoogleApiError } from '../sheets/errors.ts';

export { GoogleApiError, googleErrorResponse } from '../sheets/errors.ts';

/** Slides answers this both for an unknown presentation and for one the caller may not open. */
export const notFound = (): GoogleApiError => new GoogleApiError(404, 'Requested entity was not found.');

/** A Drive file that is not a presentation. [unconfirmed] wording. */
export const notAPresentation = (): GoogleApiError =>
  new GoogleApiError(400, 'This operation is not supported for this document');

/** A bad request field, with the BadRequest detail Google's front end adds. */
export function invalidArgument(field: string, description: string): GoogleApiError {
  return new GoogleApiError(400, description, [
    {
      '@type': 'type.googleapis.com/google.rpc.BadRequest',
      fieldViolations: [{ field, description }],
    },
  ]);
}

/** What Google's JSON front end answers for a field the Request message does not have. */
export function unknownField(name: string, at: string): GoogleApiError {
  return invalidArgument(
    at,
    `Invalid JSON payload received. Unknown name "${name}" at '${at}': Cannot find field.`,
  );
}

export function insufficientScopes(): GoogleApiError {
  return new GoogleApiError(403, 'Request had insufficient authentication scopes.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
      domain: 'googleapis.com',
      metadata: { service: 'slides.googleapis.com', method: 'google.apps.slides.v1.PresentationsService' },
    },
  ]);
}

const CREDENTIAL_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export function unauthenticated(sent: boolean): GoogleApiError {
  return new GoogleApiError(
    401,
    sent
      ? `Request had invalid authentication credentials. ${CREDENTIAL_HELP}`
      : `Request is missing required authentication credential. ${CREDENTIAL_HELP}`,
    undefined,
    { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
  );
}

/** The 429 for a spent per-user per-minute quota (Slides: 600 reads, 60 writes). */
export function quotaExceeded(kind: 'Read' | 'Write'): GoogleApiError {
  const metric = `${kind} requests`;
  const limit = `${kind} requests per minute per user`;
  return new GoogleApiError(
    429,
    `Quota exceeded for quota metric '${metric}' and limit '${limit}' of service 'slides.googleapis.com' for consumer 'project_number:000000000000'.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: { service: 'slides.googleapis.com', consumer: 'projects/000000000000' },
      },
    ],
  );
}
