// Drive v3's error body `{"error":{"code","message","errors":[{domain,reason,message,location?}]}}` and its common errors.
import { HttpResponse } from 'msw';

export interface DriveErrorDetail {
  reason: string;
  domain?: string;
  location?: string;
  locationType?: 'parameter' | 'header';
}

/** A failure a handler throws; rendered as Drive's JSON error body. */
export class DriveApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly detail: DriveErrorDetail,
    readonly status?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    return driveErrorResponse(this.code, this.message, this.detail, this.status, this.headers);
  }
}

export function driveErrorResponse(
  code: number,
  message: string,
  detail: DriveErrorDetail,
  status?: string,
  headers: Record<string, string> = {},
): Response {
  const item = { message, domain: detail.domain ?? 'global', reason: detail.reason, ...locationOf(detail) };
  return HttpResponse.json(
    { error: { code, message, errors: [item], ...(status ? { status } : {}) } },
    { status: code, headers },
  );
}

function locationOf(detail: DriveErrorDetail) {
  return detail.location
    ? { location: detail.location, locationType: detail.locationType ?? 'parameter' }
    : {};
}

/** What Drive answers for a bad parameter value (an unsupported `q`, a stale page token, …). */
export const invalidValue = (location: string): DriveApiError =>
  new DriveApiError(400, 'Invalid Value', { reason: 'invalid', location });

export const invalidField = (field: string): DriveApiError =>
  new DriveApiError(400, `Invalid field selection ${field}`, {
    reason: 'invalidParameter',
    location: 'fields',
  });

export const badRequest = (message: string, location?: string): DriveApiError =>
  new DriveApiError(400, message, { reason: 'badRequest', ...(location ? { location } : {}) });

/** Drive answers 404 both for a file that does not exist and for one the caller may not see. */
export const fileNotFound = (id: string): DriveApiError =>
  new DriveApiError(404, `File not found: ${id}.`, { reason: 'notFound', location: 'fileId' });

export const notDownloadable = (): DriveApiError =>
  new DriveApiError(
    403,
    'Only files with binary content can be downloaded. Use Export with Docs Editors files.',
    { reason: 'fileNotDownloadable', location: 'alt' },
  );

export const insufficientScopes = (): DriveApiError =>
  new DriveApiError(
    403,
    'Request had insufficient authentication scopes.',
    { reason: 'insufficientPermissions' },
    'PERMISSION_DENIED',
  );

export const userRateLimited = (): DriveApiError =>
  new DriveApiError(403, 'User rate limit exceeded.', {
    reason: 'userRateLimitExceeded',
    domain: 'usageLimits',
  });

const CREDENTIAL_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export function unauthenticated(sent: boolean): DriveApiError {
  return new DriveApiError(
    401,
    sent
      ? `Request had invalid authentication credentials. ${CREDENTIAL_HELP}`
      : `Request is missing required authentication credential. ${CREDENTIAL_HELP}`,
    { reason: sent ? 'authError' : 'required', location: 'Authorization', locationType: 'header' },
    'UNAUTHENTICATED',
    { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' },
  );
}

/** Injected failures (the kit's faults) in Drive's words. */
export function injectedError(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  if (status === 429) {
    return driveErrorResponse(
      429,
      'Rate Limit Exceeded',
      { reason: 'rateLimitExceeded', domain: 'usageLimits' },
      undefined,
      headers,
    );
  }
  if (status === 401) return unauthenticated(true).toResponse();
  if (status === 404)
    return driveErrorResponse(
      404,
      'File not found: .',
      { reason: 'notFound', location: 'fileId' },
      undefined,
      headers,
    );
  if (status >= 500) {
    const reason = status === 503 ? 'backendError' : 'internalError';
    return driveErrorResponse(
      status,
      status === 503 ? 'Service Unavailable' : 'Internal Error',
      { reason },
      undefined,
      headers,
    );
  }
  return driveErrorResponse(status, message, { reason: 'badRequest' }, undefined, headers);
}
