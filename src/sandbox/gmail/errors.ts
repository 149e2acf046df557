// Gmail's error body: {"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}.
import { HttpResponse } from 'msw';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_REASONS: Record<number, string> = {
  400: 'badRequest',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
  429: 'rateLimitExceeded',
};

export interface GmailErrorDetail {
  reason?: string;
  domain?: string;
  /** google.rpc status name; derived from the HTTP status when absent. */
  status?: string;
  location?: string;
  locationType?: string;
  details?: unknown[];
}

/** A Gmail API error response. */
export function gmailError(
  code: number,
  message: string,
  detail: GmailErrorDetail = {},
  headers?: Record<string, string>,
): Response {
  const reason =
    detail.reason ?? DEFAULT_REASONS[code] ?? (code >= 500 ? 'backendError' : 'failedPrecondition');
  const domain = detail.domain ?? (code === 429 ? 'usageLimits' : 'global');
  const item = {
    message,
    domain,
    reason,
    ...(detail.location ? { location: detail.location, locationType: detail.locationType ?? 'header' } : {}),
  };
  const body = {
    error: {
      code,
      message,
      errors: [item],
      status: detail.status ?? STATUS_NAMES[code] ?? 'UNKNOWN',
      ...(detail.details ? { details: detail.details } : {}),
    },
  };
  return HttpResponse.json(body, { status: code, ...(headers ? { headers } : {}) });
}

export const notFound = (): Response => gmailError(404, 'Requested entity was not found.');

export const invalidArgument = (message: string): Response =>
  gmailError(400, message, { reason: 'invalidArgument' });

export const badRequest = (message: string): Response => gmailError(400, message, { reason: 'badRequest' });

export const unauthenticated = (): Response =>
  gmailError(
    401,
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    { reason: 'authError', location: 'Authorization', locationType: 'header' },
    { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  );

export const insufficientScopes = (): Response =>
  gmailError(403, 'Request had insufficient authentication scopes.', {
    reason: 'insufficientPermissions',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
        domain: 'googleapis.com',
        metadata: { service: 'gmail.googleapis.com' },
      },
    ],
  });

/** The per-user quota answer; Gmail names the moment to retry in the message, not in a header. */
export const userRateLimitExceeded = (retryAt: Date): Response =>
  gmailError(429, `User-rate limit exceeded.  Retry after ${retryAt.toISOString()}`, {
    reason: 'rateLimitExceeded',
    domain: 'usageLimits',
  });
