// How Sheets failures are classified for retries, and turned into errors that say what the user must fix.
import {
  AuthError,
  classifyByStatus,
  type FailureClass,
  isNetworkError,
  NotFoundError,
  ServiceError,
  statusOf,
} from '../core/index.ts';

/** Names of the settings to mention in a fix, e.g. `{ spreadsheet: 'PITCH_SHEET_ID', tab: 'PITCH_SHEET_TAB' }`. */
export interface ConfigHints {
  spreadsheet?: string;
  tab?: string;
}

export interface FailureContext {
  operation: string;
  spreadsheetId: string;
  tab?: string;
  hints: ConfigHints;
  /** The Google account Baton acts as, when known (a service account's email). */
  shareWith?: string;
}

const AUTH_FIX = 're-run `baton auth google` or check the GOOGLE_* variables';

interface GaxiosLike {
  config?: { url?: unknown };
  response?: { status?: number; data?: unknown };
}

function body(err: unknown): { error?: unknown; message?: string } {
  const data = (err as GaxiosLike)?.response?.data;
  if (typeof data !== 'object' || data === null) return {};
  const error = (data as { error?: unknown }).error;
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    return { error, ...(typeof message === 'string' ? { message } : {}) };
  }
  return { error };
}

/** True when the failure came from fetching an access token, not from Sheets itself. */
function isTokenFailure(err: unknown): boolean {
  const url = String((err as GaxiosLike)?.config?.url ?? '');
  const { error } = body(err);
  return (
    url.includes('oauth2.googleapis.com') ||
    (typeof error === 'string' && /invalid_grant|invalid_client|unauthorized_client/.test(error))
  );
}

/** A request that never got an HTTP answer (dropped connection, timeout): gaxios errors without a response. */
function noResponse(err: unknown): boolean {
  if (isNetworkError(err)) return true;
  return (
    typeof err === 'object' && err !== null && 'config' in err && (err as GaxiosLike).response === undefined
  );
}

/** 429 → rate-limited; 5xx, 408 and network failures → transient; anything else (and token failures) → fatal. */
export function classifySheetsError(err: unknown): FailureClass {
  if (isTokenFailure(err)) return { kind: 'fatal' };
  if (statusOf(err) === undefined && noResponse(err)) return { kind: 'transient' };
  return classifyByStatus(err);
}

export function shortId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 6)}…` : id;
}

/** The tab named in the settings is not in the spreadsheet. */
export function tabNotFound(
  tab: string,
  spreadsheetId: string,
  hints: ConfigHints,
  opts: { cause?: unknown; status?: number } = {},
): NotFoundError {
  return new NotFoundError(
    'sheets',
    `Sheet tab '${tab}' not found in spreadsheet ${shortId(spreadsheetId)}`,
    {
      ...opts,
      hint: `check ${hints.tab ?? 'the tab name'}`,
    },
  );
}

/** The error to throw for a final failure, with the fix in its hint. Never includes tokens. */
export function describeSheetsError(err: unknown, ctx: FailureContext): ServiceError {
  const status = statusOf(err);
  const message = body(err).message ?? (err as Error)?.message ?? String(err);
  const sheet = shortId(ctx.spreadsheetId);
  const opts = { cause: err, ...(status !== undefined ? { status } : {}) };
  if (isTokenFailure(err) || status === 401) {
    return new AuthError('sheets', `Google refused Baton's credentials while trying to ${ctx.operation}`, {
      ...opts,
      hint: AUTH_FIX,
    });
  }
  if (status === 403) {
    if (/scope/i.test(message)) {
      return new AuthError('sheets', 'The Google sign-in does not include access to Google Sheets', {
        ...opts,
        hint: AUTH_FIX,
      });
    }
    const who = ctx.shareWith ?? 'the Google account Baton signs in as';
    return new AuthError('sheets', `No access to spreadsheet ${sheet}`, {
      ...opts,
      hint: `share the sheet with ${who}`,
    });
  }
  if (status === 404) {
    return new NotFoundError('sheets', `Spreadsheet ${sheet} not found`, {
      ...opts,
      hint: `check ${ctx.hints.spreadsheet ?? 'the spreadsheet id'}`,
    });
  }
  if (status === 400 && ctx.tab !== undefined && /Unable to parse range/i.test(message)) {
    return tabNotFound(ctx.tab, ctx.spreadsheetId, ctx.hints, opts);
  }
  const kind = classifySheetsError(err).kind;
  if (kind === 'rate-limited') {
    return new ServiceError('sheets', `Google Sheets quota exceeded while trying to ${ctx.operation}`, {
      ...opts,
      retryable: true,
      hint: 'Baton slows down and retries; Sheets allows 60 reads and 60 writes per minute per user',
    });
  }
  if (kind === 'transient') {
    return new ServiceError(
      'sheets',
      `Google Sheets did not answer while trying to ${ctx.operation}: ${message}`,
      {
        ...opts,
        retryable: true,
      },
    );
  }
  return new ServiceError('sheets', `Google Sheets refused to ${ctx.operation}: ${message}`, opts);
}
