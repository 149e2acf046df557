// LinkedIn's answers on the wire: Rest.li JSON error bodies and the handful of codes Baton meets.

export class LinkedInApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? status));
  }

  toResponse(): Response {
    return Response.json(this.body, { status: this.status, headers: this.headers });
  }
}

export const tokenError = (kind: 'invalid' | 'expired' | 'revoked'): LinkedInApiError => {
  const bodies = {
    invalid: { serviceErrorCode: 65600, code: 'INVALID_ACCESS_TOKEN', message: 'Invalid access token' },
    expired: {
      serviceErrorCode: 65602,
      code: 'EXPIRED_ACCESS_TOKEN',
      message: 'The token used in the request has expired',
    },
    revoked: {
      serviceErrorCode: 65601,
      code: 'REVOKED_ACCESS_TOKEN',
      message: 'The token used in the request has been revoked by the user',
    },
  } as const;
  return new LinkedInApiError(401, { status: 401, ...bodies[kind] });
};

export const accessDenied = (what: string): LinkedInApiError =>
  new LinkedInApiError(403, {
    status: 403,
    serviceErrorCode: 100,
    code: 'ACCESS_DENIED',
    message: `Not enough permissions to access: ${what}`,
  });

export const notFound = (what: string): LinkedInApiError =>
  new LinkedInApiError(404, {
    status: 404,
    serviceErrorCode: 0,
    code: 'NOT_FOUND',
    message: `Not found: ${what}`,
  });

export const badRequest = (message: string, status = 400): LinkedInApiError =>
  new LinkedInApiError(status, { status, message });

/** A Rest.li validation failure on one field of the body (422, as the Posts API answers). */
export function fieldError(
  path: string,
  code: 'FIELD_REQUIRED' | 'INVALID_VALUE',
  detail: string,
): LinkedInApiError {
  return new LinkedInApiError(422, {
    errorDetailType: 'com.linkedin.common.error.BadRequest',
    message: `ERROR :: ${path} :: ${detail}\n`,
    errorDetails: { inputErrors: [{ description: detail, input: { inputPath: { fieldPath: path } }, code }] },
    status: 422,
  });
}

/** 422 DUPLICATE_POST, naming the post that already has this text (the wording public clients report). */
export function duplicatePost(existing: string): LinkedInApiError {
  return new LinkedInApiError(422, {
    errorDetailType: 'com.linkedin.common.error.BadRequest',
    message: `com.linkedin.content.common.exception.BadRequestResponseException: Content is a duplicate of ${existing}`,
    errorDetails: {
      inputErrors: [{ description: 'Duplicate post is detected', input: {}, code: 'DUPLICATE_POST' }],
    },
    status: 422,
  });
}

export const dailyLimit = (): LinkedInApiError =>
  new LinkedInApiError(429, {
    status: 429,
    serviceErrorCode: 101,
    code: 'TOO_MANY_REQUESTS',
    message: 'Resource level throttle 1 DAY limit for calls to this resource is reached.',
  });

export const versionMissing = (): LinkedInApiError =>
  new LinkedInApiError(400, {
    status: 400,
    code: 'VERSION_MISSING',
    message: 'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
  });

/** 426 for a version that is not (or no longer) served; LinkedIn spells the month as YYYYMM01. */
export const versionNotActive = (version: string): LinkedInApiError =>
  new LinkedInApiError(426, {
    status: 426,
    code: 'NONEXISTENT_VERSION',
    message: `Requested version ${/^\d{6}$/.test(version) ? `${version}01` : version} is not active`,
  });
