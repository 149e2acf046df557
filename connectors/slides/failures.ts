// How Slides failures are classified for retries, and turned into errors that say what to fix.
import { AuthError, NotFoundError, ServiceError } from '../core/index.ts';
import { classifyDrive, readDriveFailure } from '../drive/failures.ts';

/** Google's APIs fail alike: 429 and rate-limit 403s wait, 5xx and dropped connections retry. */
export const classifySlides = classifyDrive;

/** What the deck needs from the sign-in, quoted in every scope-related fix. */
export const DECK_SCOPES_FIX =
  're-run `baton auth google` (the deck needs the drive and presentations scopes)';

export interface SlidesFailureContext {
  /** What Baton was doing: "read presentation 1AbC…". */
  operation: string;
  /** What a 404 means here: "Slides presentation 1AbC…". */
  target: string;
}

/** The error for a final Slides failure, with the fix in its hint. Never includes tokens. */
export function describeSlides(err: unknown, ctx: SlidesFailureContext): ServiceError {
  const failure = readDriveFailure(err);
  const status = failure.status;
  const opts = { cause: err, ...(status !== undefined ? { status } : {}) };
  if (failure.token || status === 401) {
    return new AuthError('slides', `Google refused Baton's credentials while trying to ${ctx.operation}`, {
      ...opts,
      hint: 're-run `baton auth google` or check the GOOGLE_* variables',
    });
  }
  const kind = classifySlides(err).kind;
  if (kind === 'rate-limited') {
    return new ServiceError(
      'slides',
      `Google Slides kept rate-limiting Baton while trying to ${ctx.operation}`,
      {
        ...opts,
        retryable: true,
        hint: 'Baton slows down and retries; another app may share this Google project',
      },
    );
  }
  if (status === 403) {
    return new AuthError('slides', `Google Slides did not let Baton ${ctx.operation}: ${failure.message}`, {
      ...opts,
      hint: DECK_SCOPES_FIX,
    });
  }
  if (status === 404) return new NotFoundError('slides', `${ctx.target} not found`, opts);
  if (kind === 'transient') {
    return new ServiceError('slides', `Google Slides did not answer while trying to ${ctx.operation}`, {
      ...opts,
      retryable: true,
    });
  }
  return new ServiceError('slides', `Google Slides refused to ${ctx.operation}: ${failure.message}`, opts);
}
