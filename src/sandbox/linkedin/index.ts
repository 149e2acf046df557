// The LinkedIn publishing emulator: what tests and the sandbox serve in place of api.linkedin.com.
export {
  DEFAULT_SCOPES,
  LinkedInEmulator,
  type LinkedInEmulatorOptions,
  type LinkedInPostView,
  SERVED_VERSIONS,
} from './emulator.ts';
export { LITTLE_TEXT_RESERVED, readLittleText } from './little-text.ts';
export { LINKEDIN_API, LINKEDIN_UPLOADS, MAX_COMMENTARY } from './routes.ts';
