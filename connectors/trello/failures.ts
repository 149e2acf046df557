// How the Trello connector reads trello.js (axios) failures: what to retry, and what to tell the user.
import {
  AuthError,
  type FailureClass,
  isNetworkError,
  NotFoundError,
  ServiceError,
  statusOf,
} from '../core/index.ts';

const TRANSIENT_CODES = new Set(['ECONNABORTED', 'ERR_NETWORK', 'ETIMEDOUT', 'ECONNRESET']);

/** What axios puts on its errors that the connector may look at (never its `config`: it holds the token). */
interface AxiosLike {
  code?: unknown;
  response?: { status?: unknown; data?: unknown };
}

/**
 * 429 → rate-limited, waiting at least `rateLimitedDelayMs` (Trello sends no Retry-After; its window
 * is 10 s); 408/5xx, dropped connections and timeouts → transient; everything else → fatal.
 */
export function classifyTrello(err: unknown, rateLimitedDelayMs: number): FailureClass {
  const status = statusOf(err);
  if (status === 429) return { kind: 'rate-limited', status, retryAfterMs: rateLimitedDelayMs };
  if (status === 408 || (status !== undefined && status >= 500)) return { kind: 'transient', status };
  if (status === undefined) {
    const code = (err as AxiosLike | null)?.code;
    if (isNetworkError(err) || (typeof code === 'string' && TRANSIENT_CODES.has(code)))
      return { kind: 'transient' };
  }
  return { kind: 'fatal', ...(status ? { status } : {}) };
}

/** Trello's error body as short text, with the credentials blanked out should they ever be echoed. */
function bodyText(err: unknown, secrets: readonly string[]): string {
  const data = (err as AxiosLike | null)?.response?.data;
  let text = typeof data === 'string' ? data : data === undefined ? '' : JSON.stringify(data);
  for (const secret of secrets) if (secret) text = text.split(secret).join('[redacted]');
  return text.trim().slice(0, 200);
}

/**
 * Turns a final trello.js failure into a typed ServiceError with the fix. Neither the message nor the
 * cause carries the request URL (trello.js puts the key and token in its query string).
 */
export function describeTrello(err: unknown, operation: string, secrets: readonly string[]): ServiceError {
  const status = statusOf(err);
  const body = bodyText(err, secrets);
  const detail = body ? ` (${body})` : '';
  const cause = new Error(`Trello ${operation}: HTTP ${status ?? 'no answer'}${detail}`);
  // A 403 is also how Trello refuses what its limits forbid: not a credentials problem.
  if (status === 403 && body.includes('API_TOO_MANY_CARDS_REQUESTED')) {
    return new ServiceError(
      'trello',
      `Trello refused ${operation}: the answer would hold too many cards${detail}`,
      {
        status,
        cause,
        hint: 'the board holds more cards than Trello returns at once; archive finished cards (TRELLO_ARCHIVE_AFTER_DAYS) and report this with the Baton version',
      },
    );
  }
  if (status === 403 && /open cards|openPerBoard|LIMIT_EXCEEDED/i.test(body)) {
    return new ServiceError(
      'trello',
      `Trello refused ${operation}: the board has too many open cards${detail}`,
      {
        status,
        cause,
        hint: 'Trello allows about 5,000 open cards per board: archive finished cards (lower TRELLO_ARCHIVE_AFTER_DAYS) or move old ones to another board',
      },
    );
  }
  if (status === 401 || status === 403) {
    return new AuthError('trello', `Trello refused Baton's credentials for ${operation}${detail}`, {
      status,
      cause,
      hint:
        status === 401
          ? 'check TRELLO_API_KEY and TRELLO_TOKEN; a revoked or expired token needs a new one from https://trello.com/app-key'
          : "the token's Trello user cannot change this board: add them to the board as a member",
    });
  }
  if (status === 404) {
    return new NotFoundError('trello', `Trello ${operation}: not found${detail}`, {
      status,
      cause,
      hint: 'check the board, list or card id — it may have been deleted, or the token cannot see it',
    });
  }
  if (status === 429) {
    return new ServiceError('trello', `Trello kept answering 429 to ${operation}${detail}`, {
      status,
      retryable: true,
      cause,
      hint: 'Trello allows 100 requests per 10 s per token; another app may share this token. Baton retries later',
    });
  }
  const kind = classifyTrello(err, 0).kind;
  if (kind === 'transient') {
    return new ServiceError('trello', `Trello did not answer ${operation}${detail}`, {
      ...(status ? { status } : {}),
      retryable: true,
      cause,
      hint: 'Trello is down or unreachable; Baton retries automatically',
    });
  }
  return new ServiceError('trello', `Trello rejected ${operation}${detail}`, {
    ...(status ? { status } : {}),
    cause,
  });
}
