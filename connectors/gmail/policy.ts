// The Gmail request policy: unit-based quota as request budgets, 429/403 rate limits, errors with the fix.
import { z } from 'zod';
import type { Logger } from '../../src/log.ts';
import {
  AuthError,
  classifyByStatus,
  type FailureClass,
  NotFoundError,
  parseRetryAfter,
  type RateLimit,
  ServiceError,
  ServicePolicy,
  statusOf,
} from '../core/index.ts';
import { AmbiguousWriteError } from './write-once.ts';

export type GmailBudget = 'read' | 'write' | 'send';

/**
 * Gmail charges units per method against 15,000 units per user per minute (and a 250 units/s moving
 * average): reads (get/list) cost 5–10, draft writes 10–15, a send 100. The budgets assume the
 * dearest method of each kind and leave room for the user's own Gmail clients:
 *   read 8/s (≤ 80 units/s), write 4/s (≤ 60 units/s), send 1 per 2 s (100 units).
 * Worst case all three at once: 240 units/s, and 11,400 units/min — under both limits.
 */
export const GMAIL_LIMITS: Record<GmailBudget, RateLimit> = {
  read: { limit: 8, intervalMs: 1000 },
  write: { limit: 4, intervalMs: 1000 },
  send: { limit: 1, intervalMs: 2000 },
};

export interface GmailPolicyOptions {
  limits?: Partial<Record<GmailBudget, RateLimit>>;
  maxAttempts?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  breakAfter?: number;
  pauseMs?: number;
  log?: Logger;
}

const GoogleErrorBody = z.object({
  error: z.union([
    z.string(),
    z.object({
      code: z.number().optional(),
      message: z.string().optional(),
      status: z.string().optional(),
      errors: z.array(z.object({ reason: z.string().optional(), message: z.string().optional() })).optional(),
      details: z.array(z.object({ reason: z.string().optional() })).optional(),
    }),
  ]),
  error_description: z.string().optional(),
});

interface GoogleFailure {
  status: number | undefined;
  message: string;
  reasons: string[];
  /** Set for failures of the OAuth token endpoint: invalid_grant, unauthorized_client, invalid_client. */
  oauthError?: string;
  retryAfterHeader?: string | null;
}

/** What Google said, from an SDK (gaxios) error: status, message, reasons. */
export function readFailure(err: unknown): GoogleFailure {
  const status = statusOf(err);
  const response = (err as { response?: { data?: unknown; headers?: unknown } } | null)?.response;
  const parsed = GoogleErrorBody.safeParse(response?.data);
  const retryAfterHeader = headerOf(response?.headers, 'retry-after');
  const fallback = err instanceof Error ? err.message : String(err);
  if (!parsed.success) return { status, message: fallback, reasons: [], retryAfterHeader };
  const { error, error_description } = parsed.data;
  if (typeof error === 'string') {
    return {
      status,
      message: error_description ?? error,
      reasons: [error],
      oauthError: error,
      retryAfterHeader,
    };
  }
  const reasons = [...(error.errors ?? []), ...(error.details ?? [])].flatMap((e) =>
    e.reason ? [e.reason] : [],
  );
  return { status, message: error.message ?? fallback, reasons, retryAfterHeader };
}

function headerOf(headers: unknown, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  if (headers && typeof headers === 'object') {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

const RATE_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'dailyLimitExceeded',
  'quotaExceeded',
]);

/** 429, and Gmail's 403 usage-limit answers, are rate limits; 5xx, 408 and network failures transient. */
export function classifyGmailError(err: unknown, maxDelayMs = 30_000, now = Date.now()): FailureClass {
  if (err instanceof AmbiguousWriteError) return { kind: 'fatal' };
  const failure = readFailure(err);
  const limited =
    failure.status === 429 || (failure.status === 403 && failure.reasons.some((r) => RATE_REASONS.has(r)));
  if (!limited) return classifyByStatus(err);
  const retryAfterMs = retryAfterOf(failure, now);
  return {
    kind: 'rate-limited',
    status: failure.status ?? 429,
    ...(retryAfterMs !== undefined ? { retryAfterMs: Math.min(retryAfterMs, maxDelayMs) } : {}),
  };
}

/** Gmail names the retry moment in the message ("Retry after 2026-01-05T09:01:00.000Z"), rarely in a header. */
function retryAfterOf(failure: GoogleFailure, now: number): number | undefined {
  const header = parseRetryAfter(failure.retryAfterHeader, now);
  if (header !== undefined) return header;
  const match = /Retry after (\d{4}-\d{2}-\d{2}T[\d:.]+Z)/.exec(failure.message);
  const at = match ? Date.parse(match[1]!) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const REAUTH = 'run `baton auth google` to sign in again (it writes a new GOOGLE_REFRESH_TOKEN)';

/** A typed error with the fix, for a final Gmail failure of `operation` (e.g. "drafts.get r123"). */
export function describeGmailError(err: unknown, operation: string): ServiceError {
  if (err instanceof AmbiguousWriteError) {
    return new ServiceError(
      'gmail',
      `gmail ${operation}: no answer from Gmail, so it is unknown whether it happened`,
      {
        retryable: true,
        hint: 'Baton checks for the result before trying again, so retrying cannot duplicate it',
        cause: err,
      },
    );
  }
  const failure = readFailure(err);
  const { status, message, reasons } = failure;
  const base = { status, cause: err } as const;
  const what = `gmail ${operation} failed: ${message}`;
  if (failure.oauthError === 'unauthorized_client') {
    return new AuthError('gmail', `Google refused the service account token (${message})`, {
      ...base,
      hint: "enable domain-wide delegation for the service account's client ID with the gmail.compose and gmail.readonly scopes (Admin console → Security → API controls)",
    });
  }
  if (failure.oauthError === 'invalid_client') {
    return new AuthError('gmail', `Google refused the OAuth client (${message})`, {
      ...base,
      hint: `check GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, then ${REAUTH}`,
    });
  }
  if (failure.oauthError) {
    return new AuthError('gmail', `Google refused the sign-in (${failure.oauthError}: ${message})`, {
      ...base,
      hint: REAUTH,
    });
  }
  if (status === 401) {
    return new AuthError('gmail', `${what}`, { ...base, hint: REAUTH });
  }
  if (
    status === 403 &&
    reasons.some((r) => r === 'insufficientPermissions' || r === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT')
  ) {
    return new AuthError('gmail', `${what} (the Google sign-in lacks a Gmail permission)`, {
      ...base,
      hint: `Baton needs the gmail.compose (drafts) and gmail.readonly (threads, search) scopes: ${REAUTH} and allow both`,
    });
  }
  if (status === 403 && /delegation denied/i.test(message)) {
    return new AuthError('gmail', what, {
      ...base,
      hint: 'Baton only uses the signed-in mailbox; sign in as the mailbox that should send the emails',
    });
  }
  if (status === 400 && reasons.includes('failedPrecondition')) {
    return new AuthError('gmail', `${what} (a service account has no mailbox of its own)`, {
      ...base,
      hint: 'set the mailbox the service account should act as (domain-wide delegation), or use an OAuth refresh token',
    });
  }
  if (status === 404) {
    return new NotFoundError('gmail', `gmail ${operation}: not found in the mailbox`, {
      ...base,
      hint: 'it was deleted, or sent or discarded by hand in Gmail',
    });
  }
  const kind = classifyGmailError(err).kind;
  if (kind === 'rate-limited') {
    return new ServiceError('gmail', what, {
      ...base,
      retryable: true,
      hint: 'Gmail quota exceeded even after backing off; Baton retries later — fewer runs at once (BATON_CONCURRENCY) helps',
    });
  }
  if (kind === 'transient') {
    return new ServiceError(
      'gmail',
      status ? what : `gmail ${operation}: Gmail did not answer (${message})`,
      {
        ...base,
        retryable: true,
        hint: 'Gmail is failing or unreachable; Baton retries automatically',
      },
    );
  }
  return new ServiceError('gmail', what, { ...base, retryable: false });
}

/** The one policy every Gmail request of a client goes through. */
export function createGmailPolicy(options: GmailPolicyOptions = {}): ServicePolicy {
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const limits = { ...GMAIL_LIMITS };
  for (const [budget, limit] of Object.entries(options.limits ?? {})) {
    if (limit) limits[budget as GmailBudget] = limit;
  }
  return new ServicePolicy({
    service: 'gmail',
    limits,
    classify: (err) => classifyGmailError(err, maxDelayMs),
    describe: describeGmailError,
    maxDelayMs,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    ...(options.initialDelayMs !== undefined ? { initialDelayMs: options.initialDelayMs } : {}),
    ...(options.breakAfter !== undefined ? { breakAfter: options.breakAfter } : {}),
    ...(options.pauseMs !== undefined ? { pauseMs: options.pauseMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}
