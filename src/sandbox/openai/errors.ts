// OpenAI's error bodies: `{"error":{"message","type","param","code"}}`, worded like the real API.
import { HttpResponse } from 'msw';

export interface OpenAIErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** An error answer in OpenAI's shape. */
export function openaiError(
  status: number,
  error: { message: string; type?: string; param?: string | null; code?: string | null },
  headers: Record<string, string> = {},
): Response {
  const body: { error: OpenAIErrorBody } = {
    error: {
      message: error.message,
      type: error.type ?? 'invalid_request_error',
      param: error.param ?? null,
      code: error.code ?? null,
    },
  };
  return HttpResponse.json(body, { status, headers });
}

/** A 400 for a malformed request, naming the offending parameter. */
export function invalidRequest(
  message: string,
  param: string | null = null,
  code: string | null = null,
): Response {
  return openaiError(400, { message, type: 'invalid_request_error', param, code });
}

/** Shows a key the way the API does in its 401 message: the ends only, never the whole key. */
export function maskKey(key: string): string {
  if (key.length <= 12) return `${key.slice(0, 3)}${'*'.repeat(Math.max(4, key.length - 3))}`;
  return `${key.slice(0, 6)}${'*'.repeat(key.length - 10)}${key.slice(-4)}`;
}

export const QUOTA_MESSAGE =
  'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.';

/**
 * How much a 429 says about waiting. OpenAI documents the `x-ratelimit-reset-requests|tokens`
 * headers (durations like `1s`, `6m0s`, `20ms`); `retry-after` is optional in its OpenAPI spec
 * (openai/openai-openapi#564), and real 429s have come with neither (openai/openai-node#1477).
 * - `retry-after`: `retry-after`, `retry-after-ms` and the `x-ratelimit-*` headers
 * - `reset-headers`: only the `x-ratelimit-*` headers
 * - `none`: no hint at all
 */
export type RateLimitHints = 'retry-after' | 'reset-headers' | 'none';

/** The hint headers of an injected 429 (a 1 s wait), as the emulator's `rateLimitHints` says. */
const INJECTED_429_HINTS: Record<RateLimitHints, Record<string, string>> = {
  'retry-after': { 'retry-after': '1', 'retry-after-ms': '1000', 'x-ratelimit-reset-requests': '1s' },
  'reset-headers': { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1s' },
  none: {},
};

/** The body OpenAI sends for `status` when a fault is injected (500, 503, 429…). */
export function injectedError(
  status: number,
  hints: RateLimitHints,
  headers: Record<string, string> = {},
): Response {
  switch (status) {
    case 401:
      return openaiError(
        status,
        { message: 'Incorrect API key provided.', code: 'invalid_api_key' },
        headers,
      );
    case 429:
      return openaiError(
        status,
        {
          message: 'Rate limit reached for requests. Please try again in 1s.',
          type: 'requests',
          code: 'rate_limit_exceeded',
        },
        { ...INJECTED_429_HINTS[hints], ...headers },
      );
    case 500:
      return openaiError(
        status,
        {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
        },
        headers,
      );
    case 503:
      return openaiError(
        status,
        { message: 'The server is overloaded or not ready yet.', type: 'server_error' },
        headers,
      );
    default:
      return openaiError(
        status,
        {
          message: `Request failed with status ${status}`,
          type: status >= 500 ? 'server_error' : 'invalid_request_error',
        },
        headers,
      );
  }
}
