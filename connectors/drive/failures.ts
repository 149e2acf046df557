// How Drive failures are classified for retries, and turned into errors that say what the user must fix.
import { z } from 'zod';
import {
  AuthError,
  classifyByStatus,
  type FailureClass,
  isNetworkError,
  NotFoundError,
  parseRetryAfter,
  ServiceError,
  statusOf,
} from '../core/index.ts';

const GoogleErrorBody = z.object({
  error: z.union([
    z.string(),
    z.object({
      message: z.string().optional(),
      errors: z.array(z.object({ reason: z.string().optional() })).optional(),
    }),
  ]),
  error_description: z.string().optional(),
});

interface GaxiosLike {
  config?: { url?: unknown };
  response?: { status?: number; data?: unknown; headers?: unknown };
}

/** What Google said: status, message, reasons, and whether the token endpoint said it. */
export function readDriveFailure(err: unknown): {
  status: number | undefined;
  message: string;
  reasons: string[];
  token: boolean;
} {
  const g = err as GaxiosLike | null;
  let data = g?.response?.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      // not JSON: keep the text out of the message
    }
  }
  const parsed = GoogleErrorBody.safeParse(data);
  const fallback = err instanceof Error ? err.message : String(err);
  const token = String(g?.config?.url ?? '').includes('oauth2.googleapis.com');
  if (!parsed.success) return { status: statusOf(err), message: fallback, reasons: [], token };
  const { error, error_description } = parsed.data;
  if (typeof error === 'string')
    return { status: statusOf(err), message: error_description ?? error, reasons: [error], token: true };
  const reasons = (error.errors ?? []).flatMap((e) => (e.reason ? [e.reason] : []));
  return { status: statusOf(err), message: error.message ?? fallback, reasons, token };
}

const RATE_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'dailyLimitExceeded',
  'quotaExceeded',
]);

/** A download whose bytes did not match Drive's checksum: worth one more try. */
export class ChecksumMismatch extends Error {
  override readonly name = 'ChecksumMismatch';
}

function headerOf(headers: unknown, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  if (headers && typeof headers === 'object') {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

/**
 * 429, and 403 with a rate-limit reason (Drive's "User rate limit exceeded"), are rate limits; 5xx,
 * 408, dropped connections and checksum mismatches are transient; token failures and the rest fatal.
 */
export function classifyDrive(err: unknown): FailureClass {
  if (err instanceof ChecksumMismatch) return { kind: 'transient' };
  const failure = readDriveFailure(err);
  if (failure.token) return { kind: 'fatal', ...(failure.status ? { status: failure.status } : {}) };
  if (
    failure.status === 429 ||
    (failure.status === 403 && failure.reasons.some((r) => RATE_REASONS.has(r)))
  ) {
    const retryAfterMs = parseRetryAfter(headerOf((err as GaxiosLike).response?.headers, 'retry-after'));
    return {
      kind: 'rate-limited',
      status: failure.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (
    failure.status === undefined &&
    (isNetworkError(err) || (err as GaxiosLike | null)?.config !== undefined)
  ) {
    return { kind: 'transient' };
  }
  return classifyByStatus(err);
}

export interface DriveFailureContext {
  /** What Baton was doing, as a phrase: "list the files of folder 1AbC…". */
  operation: string;
  /** What a 404 means here: "Drive folder 1AbC…". */
  target: string;
  hints: { folder?: string };
  shareWith?: string;
}

const AUTH_FIX = 're-run `baton auth google` or check the GOOGLE_* variables';

/** The error to throw for a final failure, with the fix in its hint. Never includes tokens. */
export function describeDrive(err: unknown, ctx: DriveFailureContext): ServiceError {
  const failure = readDriveFailure(err);
  const status = failure.status;
  const opts = { cause: err, ...(status !== undefined ? { status } : {}) };
  const who = ctx.shareWith ?? 'the Google account Baton signs in as';
  if (failure.token || status === 401) {
    return new AuthError('drive', `Google refused Baton's credentials while trying to ${ctx.operation}`, {
      ...opts,
      hint: AUTH_FIX,
    });
  }
  const kind = classifyDrive(err).kind;
  if (kind === 'rate-limited') {
    return new ServiceError(
      'drive',
      `Google Drive kept rate-limiting Baton while trying to ${ctx.operation}`,
      {
        ...opts,
        retryable: true,
        hint: 'Baton slows down and retries; another app may share this Google project',
      },
    );
  }
  if (status === 403 && failure.reasons.includes('insufficientPermissions')) {
    return new AuthError('drive', 'The Google sign-in does not include access to Google Drive', {
      ...opts,
      hint: `${AUTH_FIX} (reading needs the drive.readonly scope, uploading drive.file)`,
    });
  }
  if (status === 403) {
    return new AuthError('drive', `Google Drive did not let Baton ${ctx.operation}: ${failure.message}`, {
      ...opts,
      hint: `share the folder with ${who} (as an editor to upload)`,
    });
  }
  if (status === 404) {
    return new NotFoundError('drive', `${ctx.target} not found`, {
      ...opts,
      hint: `check ${ctx.hints.folder ?? 'the folder id'} and share the folder with ${who}`,
    });
  }
  if (kind === 'transient') {
    return new ServiceError(
      'drive',
      `Google Drive did not answer while trying to ${ctx.operation}: ${failure.message}`,
      {
        ...opts,
        retryable: true,
      },
    );
  }
  return new ServiceError('drive', `Google Drive refused to ${ctx.operation}: ${failure.message}`, opts);
}
