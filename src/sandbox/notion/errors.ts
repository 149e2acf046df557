// Notion's error body `{"object":"error","status","code","message","request_id"}` and the errors handlers throw.
import { randomUUID } from 'node:crypto';
import { HttpResponse } from 'msw';

/** The codes @notionhq/client 5.x recognises (plus `missing_version`, which it reports as unknown). */
export type NotionErrorCode =
  | 'invalid_json'
  | 'invalid_request_url'
  | 'invalid_request'
  | 'validation_error'
  | 'missing_version'
  | 'unauthorized'
  | 'restricted_resource'
  | 'object_not_found'
  | 'conflict_error'
  | 'rate_limited'
  | 'internal_server_error'
  | 'service_unavailable'
  | 'service_overload'
  | 'gateway_timeout';

/** A failure a handler throws; `serve` renders it as Notion's JSON error body. */
export class NotionApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: NotionErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    return notionErrorResponse(this.status, this.code, this.message, this.headers);
  }
}

export function notionErrorResponse(
  status: number,
  code: NotionErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const requestId = randomUUID();
  return HttpResponse.json(
    { object: 'error', status, code, message, request_id: requestId },
    { status, headers: { 'x-notion-request-id': requestId, ...headers } },
  );
}

/** The code Notion uses for a status, for failures injected through the kit. */
export function codeForStatus(status: number): NotionErrorCode {
  const codes: Record<number, NotionErrorCode> = {
    400: 'invalid_request',
    401: 'unauthorized',
    403: 'restricted_resource',
    404: 'object_not_found',
    409: 'conflict_error',
    429: 'rate_limited',
    500: 'internal_server_error',
    502: 'internal_server_error',
    503: 'service_unavailable',
    504: 'gateway_timeout',
    529: 'service_overload',
  };
  return codes[status] ?? (status >= 500 ? 'internal_server_error' : 'invalid_request');
}

/** 400 `validation_error` worded like Notion's body validator. */
export const invalid = (message: string): NotionApiError =>
  new NotionApiError(400, 'validation_error', message);

/** `body failed validation: <path> should be ≤ \`<max>\`, instead was \`<actual>\`.` */
export const tooLong = (
  path: string,
  max: number,
  actual: number,
  where: 'body' | 'query' = 'body',
): NotionApiError =>
  invalid(`${where} failed validation: ${path} should be ≤ \`${max}\`, instead was \`${actual}\`.`);

/** What Notion answers for an object that does not exist or is not shared with the integration. */
export function notFound(kind: 'database' | 'data_source' | 'page' | 'block', id: string): NotionApiError {
  return new NotionApiError(
    404,
    'object_not_found',
    `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
  );
}

export const invalidUrl = (): NotionApiError =>
  new NotionApiError(400, 'invalid_request_url', 'Invalid request URL.');
