// Routes this process's requests for the emulated hosts to an emulator server (server.ts).
//
// Why interception rather than each SDK's base-URL option: trello.js v1 cannot change its host, and
// one interception point covers every SDK the same way, with nothing else able to leave the machine
// (any other request fails loudly).
import { bypass, HttpResponse, http } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { EMULATED_PREFIX } from './server.ts';

export const EMULATED_HOSTS = [
  'sheets.googleapis.com',
  'gmail.googleapis.com',
  'slides.googleapis.com',
  'oauth2.googleapis.com',
  'www.googleapis.com',
  'api.trello.com',
  'api.openai.com',
  'api.airtable.com',
  'api.notion.com',
  'hooks.slack.com',
  'api.linkedin.com',
  // LinkedIn's image upload URLs (dms-uploads) are on the main site.
  'www.linkedin.com',
  // The sandbox's stand-in for a publish webhook (a reserved .example name: never a real host).
  'hooks.publish.example',
] as const;

/** Hosts on this machine: the sandbox page and a test's own servers; requests to them go through. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Starts intercepting; every request to an emulated host goes to `serverUrl`, any other (but
 * loopback) is answered 502 here. Answered, not left unhandled: msw lets an unhandled node:http
 * request through, and the website reader's requests would reach the real addresses the demo
 * sites' names resolve to.
 */
export function bridgeToEmulators(serverUrl: string, hosts: readonly string[] = EMULATED_HOSTS): SetupServer {
  const forward = http.all(/^https?:\/\/[^/]+\//, async ({ request }) => {
    const url = new URL(request.url);
    if (!hosts.includes(url.hostname)) {
      if (LOOPBACK.has(url.hostname)) return undefined;
      return new HttpResponse(
        `The sandbox lets nothing leave this machine: ${url.hostname} is not emulated`,
        {
          status: 502,
          headers: { 'content-type': 'text/plain' },
        },
      );
    }
    const target = `${serverUrl}${EMULATED_PREFIX}${url.protocol.replace(':', '')}/${url.host}${url.pathname}${url.search}`;
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    try {
      const response = await fetch(
        bypass(
          new Request(target, {
            method: request.method,
            headers: request.headers,
            ...(body ? { body } : {}),
          }),
        ),
      );
      return new HttpResponse(response.body, { status: response.status, headers: response.headers });
    } catch {
      return HttpResponse.error();
    }
  });
  const server = setupServer(forward);
  server.listen({ onUnhandledRequest: 'error' });
  return server;
}
