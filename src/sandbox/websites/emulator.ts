// Serves the demo websites through msw, resolves their names, and records every visit (traps included).
import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { type HttpHandler, http } from 'msw';
import type { Clock } from '../../clock.ts';
import { Emulator } from '../kit/index.ts';
import { type DemoSite, demoSites } from './sites.ts';

export interface WebsitesEmulatorOptions {
  clock?: Clock;
  /** Sites by host name; default `demoSites`. */
  sites?: Record<string, DemoSite>;
}

/** One request a demo site (or a trap) received. */
export interface WebsiteVisit {
  url: string;
  userAgent: string | null;
  status: number;
}

/**
 * The demo companies' websites. Each site answers on http and https at its host name; a site's
 * redirect target outside the world (http://10.0.0.1/admin) is a trap: it answers like an internal
 * admin page and records the visit, so a test (or the sandbox page) can show that Baton never went
 * there. Pass `lookup` to fetchWebsite: it resolves the sites' names to their `address`.
 */
export class WebsitesEmulator extends Emulator {
  readonly #sites = new Map<string, DemoSite>();
  readonly #visits: WebsiteVisit[] = [];

  constructor(options: WebsitesEmulatorOptions = {}) {
    super(options.clock ? { clock: options.clock } : {});
    for (const [host, site] of Object.entries(options.sites ?? demoSites)) this.addSite(host, site);
  }

  /** Adds (or replaces) a site; served at once, also by handlers built earlier. */
  addSite(host: string, site: DemoSite): void {
    this.#sites.set(host.toLowerCase(), site);
  }

  /** Requests received, oldest first: all, or those to one host (`10.0.0.1`, `acme-analytics.example`). */
  visits(host?: string): WebsiteVisit[] {
    return this.#visits.filter((v) => host === undefined || new URL(v.url).hostname === host);
  }

  /** Name resolution for the world: a site's name → its address; anything else is not found. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const site = this.#sites.get(hostname.toLowerCase());
    if (!site) {
      const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        hostname,
      });
      callback(err, '', 0);
      return;
    }
    const answer: LookupAddress = { address: site.address, family: isIP(site.address) };
    if (options.all) callback(null, [answer]);
    else callback(null, answer.address, answer.family);
  };

  handlers(): HttpHandler[] {
    // One handler for every URL: a host that is neither a site nor a trap falls through to the
    // other emulators (a resolver that returns nothing lets msw try the next handler).
    return [
      http.all('*', ({ request }) => {
        const url = new URL(request.url);
        const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
        const site = this.#sites.get(host);
        if (site) return this.#record(request, () => this.serve(request, () => answer(site, url.pathname)));
        if (this.#isTrap(url)) return this.#record(request, () => trapPage());
        return undefined;
      }),
    ];
  }

  protected errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
    return html(status, `<!doctype html><title>${status}</title><h1>${message}</h1>`, headers);
  }

  async #record(request: Request, respond: () => Promise<Response> | Response): Promise<Response> {
    const response = await respond();
    this.#visits.push({
      url: request.url,
      userAgent: request.headers.get('user-agent'),
      status: response.status,
    });
    return response;
  }

  /** Whether `url` is where some site redirects to, outside the world's own sites. */
  #isTrap(url: URL): boolean {
    for (const site of this.#sites.values()) {
      for (const page of Object.values(site.pages)) {
        if (
          'redirect' in page &&
          URL.canParse(page.redirect) &&
          new URL(page.redirect).origin === url.origin
        ) {
          return true;
        }
      }
    }
    return false;
  }
}

function answer(site: DemoSite, path: string): Response {
  if (path === '/robots.txt') {
    return site.robots === undefined
      ? new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
      : new Response(site.robots, { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  }
  const page = site.pages[path];
  if (!page) return html(404, '<!doctype html><title>Not found</title><h1>Page not found</h1>');
  if ('redirect' in page)
    return new Response(null, { status: page.status ?? 302, headers: { Location: page.redirect } });
  if ('html' in page) return html(page.status ?? 200, page.html);
  return new Response(page.body ?? '', {
    status: page.status,
    headers: { 'Content-Type': page.contentType ?? 'text/plain; charset=utf-8' },
  });
}

/** What an internal admin page might say: visible proof, in the sandbox, that a guard failed. */
function trapPage(): Response {
  return html(
    200,
    '<!doctype html><title>Internal admin</title><p>INTERNAL: Baton should never see this.</p>',
  );
}

function html(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers } });
}
