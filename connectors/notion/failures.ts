// How the Notion connector reads @notionhq/client failures: what to retry, and what to tell the user.
import {
  AuthError,
  type FailureClass,
  isNetworkError,
  NotFoundError,
  parseRetryAfter,
  ServiceError,
  statusOf,
} from '../core/index.ts';
import { notionSdk } from './sdk.ts';

/** Setting names to mention in a fix. */
export interface NotionHints {
  /** Where the token comes from (default NOTION_TOKEN). */
  token?: string;
  /** Where the database id comes from, e.g. NOTION_RESEARCH_DATABASE. */
  database?: string;
}

/** Built at the first failure: the SDK is loaded by then (a Notion call failed). */
let transientCodes: Set<string> | undefined;
function transient(code: string): boolean {
  const { APIErrorCode, ClientErrorCode } = notionSdk();
  transientCodes ??= new Set<string>([
    APIErrorCode.InternalServerError,
    APIErrorCode.ServiceUnavailable,
    APIErrorCode.ServiceOverload,
    APIErrorCode.GatewayTimeout,
    APIErrorCode.ConflictError,
    ClientErrorCode.RequestTimeout,
  ]);
  return transientCodes.has(code);
}

function codeOf(err: unknown): string | undefined {
  if (!notionSdk().isNotionClientError(err)) return undefined;
  return err.code;
}

function headerOf(err: unknown, name: string): string | null {
  const headers = (err as { headers?: unknown } | null)?.headers;
  if (headers instanceof Headers) return headers.get(name);
  if (headers && typeof headers === 'object') {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/** A fetch that never got an answer: undici says "fetch failed", an intercepted drop "Failed to fetch". */
function noAnswer(err: unknown): boolean {
  return isNetworkError(err) || (err instanceof TypeError && /fetch/i.test(err.message));
}

/**
 * 429 `rate_limited` → rate-limited, waiting what `Retry-After` asks (capped at `maxRetryAfterMs`);
 * 5xx, 529, 409 `conflict_error` (Notion: "try again"), timeouts and dropped connections → transient;
 * everything else (400 validation, 401, 403, 404) → fatal.
 */
export function classifyNotion(err: unknown, maxRetryAfterMs = 60_000): FailureClass {
  const status = statusOf(err);
  const code = codeOf(err);
  if (status === 429 || code === notionSdk().APIErrorCode.RateLimited) {
    const requested = parseRetryAfter(headerOf(err, 'retry-after'));
    return {
      kind: 'rate-limited',
      status: 429,
      ...(requested !== undefined ? { retryAfterMs: Math.min(requested, maxRetryAfterMs) } : {}),
    };
  }
  if (
    (code && transient(code)) ||
    status === 408 ||
    status === 409 ||
    (status !== undefined && status >= 500)
  ) {
    return { kind: 'transient', ...(status ? { status } : {}) };
  }
  if (status === undefined && noAnswer(err)) return { kind: 'transient' };
  return { kind: 'fatal', ...(status ? { status } : {}) };
}

/**
 * Turns a final SDK failure into a typed error with the fix. `operation` reads as a phrase, e.g.
 * "read database 1a2b…". Never includes the token (the SDK's messages do not carry it).
 */
export function describeNotion(err: unknown, operation: string, hints: NotionHints = {}): ServiceError {
  const status = statusOf(err);
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  const opts = { cause: err, ...(status !== undefined ? { status } : {}) };
  const tokenVar = hints.token ?? 'NOTION_TOKEN';
  const share = 'share the database with the integration (in Notion: ••• → Connections → add it)';
  if (status === 401 || code === notionSdk().APIErrorCode.Unauthorized) {
    return new AuthError('notion', `Notion refused the integration token while trying to ${operation}`, {
      ...opts,
      hint: `check ${tokenVar} and ${share}`,
    });
  }
  if (status === 403 || code === notionSdk().APIErrorCode.RestrictedResource) {
    return new AuthError('notion', `Notion did not let the integration ${operation}`, {
      ...opts,
      hint: `give the integration read, insert and update content capabilities (Notion → Settings → Connections) and ${share}`,
    });
  }
  if (status === 404 || code === notionSdk().APIErrorCode.ObjectNotFound) {
    return new NotFoundError('notion', `Notion could not find what Baton needs to ${operation}`, {
      ...opts,
      hint: `${share}, and check ${hints.database ?? 'the database id'}`,
    });
  }
  const kind = classifyNotion(err).kind;
  if (kind === 'rate-limited') {
    return new ServiceError('notion', `Notion kept rate-limiting Baton while trying to ${operation}`, {
      ...opts,
      retryable: true,
      hint: 'Notion allows about 3 requests per second per integration; another app may share this integration. Baton retries later',
    });
  }
  if (kind === 'transient') {
    return new ServiceError('notion', `Notion did not answer while trying to ${operation}: ${message}`, {
      ...opts,
      retryable: true,
      hint: 'Notion is down or unreachable; Baton retries automatically',
    });
  }
  return new ServiceError('notion', `Notion refused to ${operation}: ${message}`, opts);
}
