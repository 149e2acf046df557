// How the LinkedIn client reads LinkedIn's answers: what to retry, and the typed error a user can act on.
import {
  AuthError,
  type FailureClass,
  isNetworkError,
  parseRetryAfter,
  ServiceError,
} from '../core/index.ts';
import { DEFAULT_LINKEDIN_VERSION } from './config.ts';

/** A LinkedIn answer that was not a success: status, LinkedIn's `code` and message. */
export class LinkedInFailure extends Error {
  override readonly name = 'LinkedInFailure';

  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly detail: string,
    /** The input error codes of a 422 (e.g. DUPLICATE_POST). */
    readonly inputCodes: readonly string[] = [],
    readonly retryAfterMs?: number,
  ) {
    super(`LinkedIn answered ${status}${code ? ` ${code}` : ''}: ${detail}`);
  }

  static async from(response: Response): Promise<LinkedInFailure> {
    const text = await response.text().catch(() => '');
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      // An HTML error page: named by its status alone.
    }
    const details = body.errorDetails as { inputErrors?: { code?: unknown }[] } | undefined;
    const inputCodes = (details?.inputErrors ?? []).map((e) => String(e.code ?? ''));
    const message = typeof body.message === 'string' ? body.message.slice(0, 300) : `HTTP ${response.status}`;
    return new LinkedInFailure(
      response.status,
      typeof body.code === 'string' ? body.code : undefined,
      message,
      inputCodes,
      parseRetryAfter(response.headers.get('retry-after')),
    );
  }

  /** The URN a DUPLICATE_POST names ("Content is a duplicate of urn:li:share:…"). */
  get duplicateOf(): string | undefined {
    if (!this.inputCodes.includes('DUPLICATE_POST')) return undefined;
    return /urn:li:(?:share|ugcPost):\d+/.exec(this.detail)?.[0];
  }
}

/** The access token is expired, revoked or unknown: publishing waits until LINKEDIN_ACCESS_TOKEN is replaced. */
export class LinkedInTokenError extends AuthError {
  constructor(
    readonly reason: 'expired' | 'revoked' | 'invalid',
    options: { cause?: unknown } = {},
  ) {
    const what = { expired: 'has expired', revoked: 'was revoked', invalid: 'is not valid' }[reason];
    super('linkedin', `The LinkedIn access token ${what}`, {
      status: 401,
      hint: 'renew it (LinkedIn tokens last 60 days: generate a new one in the developer portal’s token tool) and set LINKEDIN_ACCESS_TOKEN; waiting posts go out once it is replaced',
      ...(options.cause ? { cause: options.cause } : {}),
    });
  }
}

/** LinkedIn no longer (or not yet) serves the LinkedIn-Version sent. */
export class LinkedInVersionError extends ServiceError {
  override readonly name = 'LinkedInVersionError';

  constructor(
    readonly version: string,
    options: { cause?: unknown } = {},
  ) {
    super('linkedin', `LinkedIn does not serve API version ${version} (426 NONEXISTENT_VERSION)`, {
      status: 426,
      hint: `set LINKEDIN_VERSION to a recent month in YYYYMM form (versions live about a year), e.g. ${DEFAULT_LINKEDIN_VERSION}, or unset it for Baton's default`,
      ...(options.cause ? { cause: options.cause } : {}),
    });
  }
}

/** 429 is LinkedIn's daily per-member limit: retrying within seconds cannot help, so it is not retried here. */
export function classifyLinkedIn(err: unknown): FailureClass {
  if (err instanceof LinkedInFailure) {
    const { status } = err;
    if (status === 408 || status >= 500) return { kind: 'transient', status };
    return { kind: 'fatal', status };
  }
  // fetch rejects with a TypeError only when no answer came (refused, reset, DNS); a timeout is a TimeoutError.
  if (
    isNetworkError(err) ||
    err instanceof TypeError ||
    (err instanceof Error && err.name === 'TimeoutError')
  )
    return { kind: 'transient' };
  return { kind: 'fatal' };
}

/** The typed error for a final failure of `operation`. */
export function describeLinkedIn(err: unknown, operation: string, version: string): ServiceError {
  if (!(err instanceof LinkedInFailure)) {
    return new ServiceError('linkedin', `LinkedIn ${operation}: no answer (${(err as Error).message})`, {
      retryable: true,
      cause: err,
    });
  }
  if (err.status === 401) {
    const reason =
      err.code === 'EXPIRED_ACCESS_TOKEN'
        ? 'expired'
        : err.code === 'REVOKED_ACCESS_TOKEN'
          ? 'revoked'
          : 'invalid';
    return new LinkedInTokenError(reason, { cause: err });
  }
  if (err.status === 426) return new LinkedInVersionError(version, { cause: err });
  if (err.status === 403) {
    return new AuthError('linkedin', `LinkedIn refused ${operation}: ${err.detail}`, {
      status: 403,
      hint: 'the token needs w_member_social to post as a person (w_organization_social, as an admin of the page, for urn:li:organization); check LINKEDIN_AUTHOR matches the token’s member',
      cause: err,
    });
  }
  if (err.status === 429) {
    return new ServiceError('linkedin', `LinkedIn refused ${operation}: the daily limit is reached`, {
      status: 429,
      retryable: true,
      hint: 'LinkedIn limits posts per member per day; publishing resumes tomorrow',
      cause: err,
    });
  }
  return new ServiceError('linkedin', `LinkedIn ${operation} failed: ${err.detail}`, {
    status: err.status,
    retryable: err.status >= 500,
    cause: err,
  });
}
