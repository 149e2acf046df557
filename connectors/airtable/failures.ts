// How the Airtable connector reads airtable.js failures: what to retry, and what to tell the user.
import { AuthError, type FailureClass, isNetworkError, NotFoundError, ServiceError } from '../core/index.ts';
import type { AirtableConfigHints, TableRef } from './types.ts';

/**
 * One failed request, normalised. airtable.js rejects with `AirtableError` (`error`, `message`,
 * `statusCode`; not an Error), or with `CONNECTION_ERROR` and no status when the request never got an
 * answer. `status` is what `statusOf` reads.
 */
export class AirtableFailure extends Error {
  override readonly name = 'AirtableFailure';

  constructor(
    readonly status: number | undefined,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export function toFailure(err: unknown): AirtableFailure {
  if (err instanceof AirtableFailure) return err;
  if (typeof err === 'object' && err !== null && 'error' in err && 'statusCode' in err) {
    const { error, message, statusCode } = err as { error: unknown; message: unknown; statusCode: unknown };
    return new AirtableFailure(
      typeof statusCode === 'number' ? statusCode : undefined,
      typeof error === 'string' ? error : 'UNEXPECTED_ERROR',
      typeof message === 'string' ? message : 'Airtable request failed',
    );
  }
  const type = isNetworkError(err) ? 'CONNECTION_ERROR' : 'UNEXPECTED_ERROR';
  return new AirtableFailure(undefined, type, err instanceof Error ? err.message : String(err));
}

/**
 * 429 → rate-limited, waiting at least `rateLimitedDelayMs` (Airtable sends no Retry-After but refuses
 * every request for 30 s); 408, 5xx and connection failures → transient; everything else → fatal.
 */
export function classifyAirtable(err: unknown, rateLimitedDelayMs: number): FailureClass {
  const failure = toFailure(err);
  const status = failure.status;
  if (status === 429) return { kind: 'rate-limited', status, retryAfterMs: rateLimitedDelayMs };
  if (status === 408 || (status !== undefined && status >= 500)) return { kind: 'transient', status };
  if (status === undefined && failure.type === 'CONNECTION_ERROR') return { kind: 'transient' };
  return { kind: 'fatal', ...(status ? { status } : {}) };
}

export interface FailureContext {
  operation: string;
  table: TableRef;
  hints: AirtableConfigHints;
  /** The view the request named, if any (for VIEW_NAME_NOT_FOUND). */
  view?: string;
  /** The scopes (and role) the request needs, when not data.records:read/write. */
  scopes?: string;
}

const UNKNOWN_FIELD = /Unknown field name: "(.*)"/;

/** The field named by a 422 UNKNOWN_FIELD_NAME, when the failure is one. */
export function unknownFieldOf(err: unknown): string | undefined {
  const failure = toFailure(err);
  if (failure.type !== 'UNKNOWN_FIELD_NAME') return undefined;
  return UNKNOWN_FIELD.exec(failure.message)?.[1] ?? '';
}

/** The typed error for a final failure, with the fix in its hint. Never contains the token. */
export function describeAirtable(err: unknown, ctx: FailureContext): ServiceError {
  const failure = toFailure(err);
  const { status, type } = failure;
  const token = ctx.hints.token ?? 'AIRTABLE_TOKEN';
  const baseHint = ctx.hints.base ?? 'the base id (app…)';
  const tableHint = ctx.hints.table ?? 'the table name';
  const where = `table '${ctx.table.table}' of base ${ctx.table.base}`;
  const opts = { cause: failure, ...(status !== undefined ? { status } : {}) };
  if (status === 401) {
    return new AuthError('airtable', `Airtable refused the token while trying to ${ctx.operation}`, {
      ...opts,
      hint: `check ${token} (a personal access token with data.records:read/write on the base)`,
    });
  }
  if (status === 403 || status === 404) {
    return new NotFoundError('airtable', `Airtable cannot find ${where}, or the token may not use it`, {
      ...opts,
      hint: `check ${baseHint} and ${tableHint}, and that ${token} lists this base under Access with ${ctx.scopes ?? 'data.records:read/write'}`,
    });
  }
  if (type === 'UNKNOWN_FIELD_NAME') {
    const field = unknownFieldOf(failure);
    return new NotFoundError('airtable', `Airtable ${where} has no field "${field}"`, {
      ...opts,
      hint: 'add the field in Airtable (names are case-sensitive), or change the field name Baton is given',
    });
  }
  if (type === 'ROW_DOES_NOT_EXIST') {
    return new NotFoundError('airtable', `Airtable ${where}: ${failure.message}`, {
      ...opts,
      hint: 'the record was deleted in Airtable; nothing was written',
    });
  }
  if (type === 'VIEW_NAME_NOT_FOUND') {
    return new NotFoundError('airtable', `Airtable ${where} has no view '${ctx.view ?? '?'}'`, {
      ...opts,
      hint: 'check the view name (case-sensitive) or use the view id (viw…) from its URL',
    });
  }
  if (type === 'INVALID_FILTER_BY_FORMULA') {
    return new ServiceError('airtable', `Airtable rejected the filter formula: ${failure.message}`, {
      ...opts,
      hint: 'check the formula: field names in {braces}, text in quotes',
    });
  }
  if (type === 'INVALID_MULTIPLE_CHOICE_OPTIONS') {
    return new ServiceError('airtable', `Airtable refused a select option while trying to ${ctx.operation}`, {
      ...opts,
      hint: `add the option to the field in Airtable, or give the token's user Creator access to the base (${failure.message})`,
    });
  }
  const kind = classifyAirtable(failure, 0).kind;
  if (kind === 'rate-limited') {
    return new ServiceError('airtable', `Airtable kept answering 429 while trying to ${ctx.operation}`, {
      ...opts,
      retryable: true,
      hint: 'Airtable allows 5 requests per second per base and then refuses all for 30 s; another app may share the base. Baton retries later',
    });
  }
  if (kind === 'transient') {
    return new ServiceError('airtable', `Airtable did not answer while trying to ${ctx.operation}`, {
      ...opts,
      retryable: true,
      hint: 'Airtable is down or unreachable; Baton retries automatically',
    });
  }
  return new ServiceError('airtable', `Airtable refused to ${ctx.operation}: ${failure.message}`, opts);
}
