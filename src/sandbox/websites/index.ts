// Demo company websites for lead research: what fetchWebsite reads in tests and the sandbox.
import type { LookupFunction } from 'node:net';
import type { RequestHandler } from 'msw';
import { WebsitesEmulator } from './emulator.ts';
import { type DemoSite, demoSites } from './sites.ts';

export { WebsitesEmulator, type WebsitesEmulatorOptions, type WebsiteVisit } from './emulator.ts';
export { type DemoPage, type DemoSite, demoSites } from './sites.ts';

/** msw handlers serving `sites` (default the demo companies); use WebsitesEmulator to see visits. */
export function websiteHandlers(sites: Record<string, DemoSite> = demoSites): RequestHandler[] {
  return new WebsitesEmulator({ sites }).handlers();
}

/** Name resolution for `sites`: pass it as fetchWebsite's `lookup` wherever these handlers serve. */
export function websiteLookup(sites: Record<string, DemoSite> = demoSites): LookupFunction {
  return new WebsitesEmulator({ sites }).lookup;
}
