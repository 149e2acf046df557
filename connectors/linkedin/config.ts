// LINKEDIN_ACCESS_TOKEN, LINKEDIN_AUTHOR and LINKEDIN_VERSION, checked when Baton starts.
import { ServiceError } from '../core/index.ts';

/**
 * The LinkedIn-Version Baton sends unless LINKEDIN_VERSION says otherwise: a month LinkedIn serves
 * (each version lives about a year; 202510 and 202511 are already sunset).
 */
export const DEFAULT_LINKEDIN_VERSION = '202610';

export interface LinkedInConfig {
  accessToken: string;
  /** `urn:li:person:…` or `urn:li:organization:…`: who the posts are by. */
  author: string;
  /** YYYYMM. */
  version: string;
}

/** A LinkedIn setting that is missing or malformed; `variable` names it. */
export class LinkedInConfigError extends ServiceError {
  override readonly name = 'LinkedInConfigError';

  constructor(
    readonly variable: string,
    message: string,
    hint: string,
  ) {
    super('linkedin', message, { hint });
  }
}

const AUTHOR = /^urn:li:(person:[A-Za-z0-9_-]+|organization:\d+)$/;
const VERSION = /^(\d{4})(0[1-9]|1[0-2])$/;

/** @throws LinkedInConfigError naming the variable to fix. */
export function linkedInConfig(env: Record<string, string | undefined>): LinkedInConfig {
  const accessToken = env.LINKEDIN_ACCESS_TOKEN?.trim();
  if (!accessToken) {
    throw new LinkedInConfigError(
      'LINKEDIN_ACCESS_TOKEN',
      'LINKEDIN_ACCESS_TOKEN is not set',
      'create a token with the w_member_social scope (w_organization_social for a company page) in the LinkedIn developer portal; it lasts 60 days',
    );
  }
  const author = env.LINKEDIN_AUTHOR?.trim() ?? '';
  if (!AUTHOR.test(author)) {
    throw new LinkedInConfigError(
      'LINKEDIN_AUTHOR',
      author
        ? `LINKEDIN_AUTHOR '${author}' is not a LinkedIn person or organization URN`
        : 'LINKEDIN_AUTHOR is not set',
      "set it to urn:li:person:<sub> (the 'sub' that `baton doctor` shows for your token) or urn:li:organization:<id> (the number in your company page's admin URL)",
    );
  }
  const version = env.LINKEDIN_VERSION?.trim() || DEFAULT_LINKEDIN_VERSION;
  if (!VERSION.test(version)) {
    throw new LinkedInConfigError(
      'LINKEDIN_VERSION',
      `LINKEDIN_VERSION '${version}' is not a month in YYYYMM form`,
      `use a month LinkedIn serves, such as ${DEFAULT_LINKEDIN_VERSION}, or leave it unset`,
    );
  }
  return { accessToken, author, version };
}
