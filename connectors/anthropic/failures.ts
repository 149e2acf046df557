// How Anthropic failures are classified (retry or not) and explained to the user.
import {
  AuthError,
  classifyByStatus,
  type FailureClass,
  lazyModule,
  NotFoundError,
  retryAfterFromHeaders,
  ServiceError,
  statusOf,
} from '../core/index.ts';

// The SDK's error classes, loaded when a failure is classified (only after a call, so the SDK is
// loaded by then): importing them at start-up pulled in part of the SDK for every Baton.
const sdkErrors = lazyModule<typeof import('@anthropic-ai/sdk/error')>('@anthropic-ai/sdk/error');
const isApiError = (err: unknown): err is import('@anthropic-ai/sdk/error').APIError =>
  err instanceof sdkErrors().APIError;

const SERVICE = 'anthropic';

/**
 * True for a 429 that waiting does not fix: the organisation hit its monthly spend limit
 * (`error.details.error_code: enforced_spend_limit_reached`, sent without `retry-after`), per
 * Anthropic's errors page (platform.claude.com/docs/en/api/errors, "spend limit reached").
 */
export function isSpendLimitError(err: unknown): boolean {
  if (!isApiError(err) || err.status !== 429) return false;
  return err.errorCode === 'enforced_spend_limit_reached';
}

/** The wait the server asked for: `retry-after-ms` when present, else `retry-after` (seconds or a date). */
export function retryAfterOf(err: unknown): number | undefined {
  return isApiError(err) ? retryAfterFromHeaders(err.headers) : undefined;
}

/**
 * 429 `rate_limit_error` → rate-limited (Retry-After honoured); a spend-limit 429 → fatal;
 * 529 `overloaded_error`, 5xx, 408/409, timeouts and dropped connections → transient;
 * everything else (400, 401, 402 billing, 403, 404, 413) → fatal.
 */
export function classifyAnthropicError(err: unknown): FailureClass {
  if (err instanceof sdkErrors().APIConnectionError) return { kind: 'transient' };
  const status = statusOf(err);
  if (status === 429) {
    if (isSpendLimitError(err)) return { kind: 'fatal', status };
    const retryAfterMs = retryAfterOf(err);
    return { kind: 'rate-limited', status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status === 409) return { kind: 'transient', status };
  return classifyByStatus(err);
}

export interface FailureContext {
  baseURL: string;
  timeoutMs: number;
  /** The model the failed request named, when it named one. */
  model?: string;
}

/** The final error for a failed Anthropic request, with what the user should do. Never contains the key. */
export function describeAnthropicError(
  err: unknown,
  operation: string,
  context: FailureContext,
): ServiceError {
  const where = serverLabel(context.baseURL);
  const { APIConnectionError, APIConnectionTimeoutError } = sdkErrors();
  if (err instanceof APIConnectionTimeoutError) {
    return new ServiceError(SERVICE, `${operation} timed out after ${context.timeoutMs} ms at ${where}`, {
      retryable: true,
      hint: 'the model was slow to answer; Baton retries later (or pick a faster anthropic: model)',
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) {
    return new ServiceError(SERVICE, `could not reach ${where} for ${operation}`, {
      retryable: true,
      hint: 'check the network and ANTHROPIC_BASE_URL',
      cause: err,
    });
  }
  const status = statusOf(err);
  const detail = apiMessage(err);
  if (isSpendLimitError(err)) {
    return new ServiceError(SERVICE, 'Anthropic says the organisation reached its spend limit', {
      status,
      retryable: false,
      hint: 'raise the limit in the Claude Console (Settings → Limits) or change ANTHROPIC_API_KEY',
      cause: err,
    });
  }
  if (status === 401) {
    return new AuthError(SERVICE, `${where} rejected the API key (401)`, {
      status,
      hint: 'check ANTHROPIC_API_KEY (create one in the Claude Console → API keys)',
      cause: err,
    });
  }
  if (status === 402) {
    return new ServiceError(SERVICE, `${where} refused ${operation} for billing (402): ${detail}`, {
      status,
      retryable: false,
      hint: 'add credits or a payment method in the Claude Console → Billing',
      cause: err,
    });
  }
  if (status === 403) {
    return new AuthError(SERVICE, `${where} refused ${operation} (403): ${detail}`, {
      status,
      hint: "check that ANTHROPIC_API_KEY's workspace may use this model",
      cause: err,
    });
  }
  if (status === 404) {
    if (context.model && /model/i.test(detail)) {
      return new NotFoundError(SERVICE, `model ${context.model} not found at ${where}`, {
        status,
        hint: 'check the anthropic: model in LLM_MODEL or AUDITOR_MODEL (`baton doctor` lists what the key offers)',
        cause: err,
      });
    }
    return new NotFoundError(SERVICE, `${operation} is not served at ${context.baseURL} (404)`, {
      status,
      hint: 'check ANTHROPIC_BASE_URL (it is the host only, e.g. https://api.anthropic.com, without /v1)',
      cause: err,
    });
  }
  if (status === 400 || status === 413 || status === 422) {
    return new ServiceError(SERVICE, `${where} rejected the ${operation} request (${status}): ${detail}`, {
      status,
      retryable: false,
      cause: err,
    });
  }
  if (status === 429) {
    return new ServiceError(SERVICE, `${where} kept rate-limiting ${operation}`, {
      status,
      retryable: true,
      hint: 'Baton retries later; lower the request rate or move to a higher Anthropic usage tier',
      cause: err,
    });
  }
  if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
    const what = status === 529 ? 'is overloaded (529)' : `answered ${status} to ${operation}: ${detail}`;
    return new ServiceError(SERVICE, `${where} ${what}`, {
      status,
      retryable: true,
      hint: 'a problem on the server side; Baton retries later',
      cause: err,
    });
  }
  return new ServiceError(SERVICE, `${operation} failed: ${detail}`, {
    ...(status !== undefined ? { status } : {}),
    retryable: false,
    cause: err,
  });
}

function apiMessage(err: unknown): string {
  if (isApiError(err) && err.apiMessage) return err.apiMessage;
  return err instanceof Error ? err.message : String(err);
}

/** "Anthropic" for api.anthropic.com, otherwise the server's origin (a proxy or gateway). */
function serverLabel(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return url.hostname === 'api.anthropic.com' ? 'Anthropic' : url.origin;
  } catch {
    return 'the Anthropic server';
  }
}
