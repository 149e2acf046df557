// Anthropic's error bodies: `{"type":"error","error":{"type","message"},"request_id"}`, as the API sends them.
// Shape and types from platform.claude.com/docs/en/api/errors (400 invalid_request_error,
// 401 authentication_error, 402 billing_error, 403 permission_error, 404 not_found_error,
// 429 rate_limit_error, 500 api_error, 529 overloaded_error).
import { HttpResponse } from 'msw';

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'billing_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

let seq = 0;

/** A request id in the API's style (`req_…`), sent in the body and the `request-id` header. */
export function requestId(): string {
  return `req_emu${String(++seq).padStart(10, '0')}`;
}

/** An error answer in Anthropic's shape; `details` carries e.g. `{ error_code }` for a spend limit. */
export function anthropicError(
  status: number,
  type: AnthropicErrorType,
  message: string,
  options: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
): Response {
  const id = requestId();
  return HttpResponse.json(
    {
      type: 'error',
      error: { type, message, ...(options.details ? { details: options.details } : {}) },
      request_id: id,
    },
    { status, headers: { 'request-id': id, ...options.headers } },
  );
}

/** A 400 for a malformed request; Anthropic names the field in the message (`max_tokens: Field required`). */
export function invalidRequest(message: string): Response {
  return anthropicError(400, 'invalid_request_error', message);
}

/** The body Anthropic sends for `status` when a fault is injected (529, 500, 429…). */
export function injectedError(status: number, headers: Record<string, string> = {}): Response {
  switch (status) {
    case 401:
      return anthropicError(status, 'authentication_error', 'invalid x-api-key', { headers });
    case 429:
      return anthropicError(
        status,
        'rate_limit_error',
        'Number of requests has exceeded your rate limit. Please try again later.',
        { headers: { 'retry-after': '1', ...headers } },
      );
    case 529:
      return anthropicError(status, 'overloaded_error', 'Overloaded', { headers });
    default:
      return anthropicError(
        status,
        status >= 500 ? 'api_error' : 'invalid_request_error',
        status >= 500 ? 'Internal server error' : `Request failed with status ${status}`,
        { headers },
      );
  }
}
