// LinkedIn: publish a post with an image through the Posts and Images APIs (plain fetch).
export {
  LINKEDIN_API,
  LinkedInClient,
  type LinkedInClientOptions,
  MAX_COMMENTARY,
  type PublishedPost,
  type TokenCheck,
} from './client.ts';
export {
  DEFAULT_LINKEDIN_VERSION,
  type LinkedInConfig,
  LinkedInConfigError,
  linkedInConfig,
} from './config.ts';
export {
  classifyLinkedIn,
  LinkedInFailure,
  LinkedInTokenError,
  LinkedInVersionError,
} from './failures.ts';
export { escapeLittleText } from './little-text.ts';
