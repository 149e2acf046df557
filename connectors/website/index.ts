// Website: a safe read of a company's homepage for lead research (no private addresses, robots.txt honoured).
export { fetchWebsite } from './fetch.ts';
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_CHARS,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type WebsiteFailureCode,
  type WebsiteFetchOptions,
  type WebsitePage,
} from './types.ts';
export { FREE_MAIL_DOMAINS, isFreeMailDomain, websiteFor } from './website-for.ts';
