// Google's error body `{"error":{"code","message","status"}}`, and the errors the Sheets emulator raises.
import { HttpResponse } from 'msw';

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** A failure a handler throws; rendered as Google's JSON error body with the matching status name. */
export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly details?: unknown[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function googleErrorResponse(
  code: number,
  message: string,
  details?: unknown[],
  headers?: Record<string, string>,
): Response {
  const status = STATUS_NAMES[code] ?? (code >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
  return HttpResponse.json(
    { error: { code, message, status, ...(details ? { details } : {}) } },
    { status: code, ...(headers ? { headers } : {}) },
  );
}

export const invalidRange = (range: string) => new GoogleApiError(400, `Unable to parse range: ${range}`);

export const notFound = () => new GoogleApiError(404, 'Requested entity was not found.');

export const permissionDenied = () => new GoogleApiError(403, 'The caller does not have permission');

export const missingInputOption = () =>
  new GoogleApiError(400, "'valueInputOption' is required but not specified");

/** The 429 Sheets sends when a per-user per-minute quota is spent. */
export function quotaExceeded(kind: 'Read' | 'Write'): GoogleApiError {
  const metric = `${kind} requests`;
  const limit = `${kind} requests per minute per user`;
  return new GoogleApiError(
    429,
    `Quota exceeded for quota metric '${metric}' and limit '${limit}' of service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: {
          service: 'sheets.googleapis.com',
          quota_metric: `sheets.googleapis.com/${kind.toLowerCase()}_requests`,
          quota_limit: `${kind}RequestsPerMinutePerUser`,
          consumer: 'projects/000000000000',
        },
      },
    ],
  );
}
