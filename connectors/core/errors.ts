// Errors a connector raises: each says which service failed and what the user can do about it.

/**
 * A failure talking to a service, with the fix in plain words. `status` is the HTTP status when
 * there was one; `retryable` tells the engine whether trying the step again can help.
 */
export class ServiceError extends Error {
  override readonly name: string = 'ServiceError';
  readonly service: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly hint: string | undefined;

  constructor(
    service: string,
    message: string,
    options: { status?: number; retryable?: boolean; hint?: string; cause?: unknown } = {},
  ) {
    super(options.hint ? `${message} — ${options.hint}` : message, { cause: options.cause });
    this.service = service;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
  }
}

/** The service refused our credentials (401/403): retrying cannot help until the user fixes config. */
export class AuthError extends ServiceError {
  override readonly name = 'AuthError';
}

/** Something the user named (a sheet tab, a Trello list, a field) does not exist. */
export class NotFoundError extends ServiceError {
  override readonly name = 'NotFoundError';
}

/** The service's circuit breaker is open: recent calls kept failing, so calls are paused. */
export class ServicePausedError extends ServiceError {
  override readonly name = 'ServicePausedError';
}

/** How a connector sees a raw SDK failure, so one policy can treat every service alike. */
export interface FailureClass {
  /** 'rate-limited' (429 or quota), 'transient' (5xx, network, timeout) or 'fatal' (anything else). */
  kind: 'rate-limited' | 'transient' | 'fatal';
  status?: number;
  /** Server-requested wait before the next try (Retry-After), when the service sent one. */
  retryAfterMs?: number;
}

/** The HTTP status carried by an SDK error, whichever SDK threw it. */
export function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  if (typeof e.status === 'number') return e.status;
  if (typeof e.response?.status === 'number') return e.response.status;
  if (typeof e.code === 'number') return e.code;
  if (typeof e.code === 'string' && /^\d{3}$/.test(e.code)) return Number(e.code);
  return undefined;
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** True for a dropped connection, refused socket or timeout, however the SDK wrapped it. */
export function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    if (typeof e !== 'object') return false;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (name === 'FetchError' || name === 'APIConnectionError' || name === 'APIConnectionTimeoutError')
      return true;
    if (name === 'TypeError' && typeof message === 'string' && /fetch failed|network/i.test(message))
      return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Default classification from the status alone: 429 rate-limited, 5xx/408/network transient. */
export function classifyByStatus(err: unknown, retryAfterMs?: number): FailureClass {
  const status = statusOf(err);
  if (status === 429) return { kind: 'rate-limited', status, ...(retryAfterMs ? { retryAfterMs } : {}) };
  if (status === 408 || (status !== undefined && status >= 500)) return { kind: 'transient', status };
  if (status === undefined && isNetworkError(err)) return { kind: 'transient' };
  return { kind: 'fatal', ...(status ? { status } : {}) };
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
