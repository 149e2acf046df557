// fetchWebsite: one company homepage read safely, every failure a result a person can read.
import { type Logger, silentLogger } from '../../src/log.ts';
import { decodeBody, pageText, pageTitle } from './page-text.ts';
import { durationWords, refusalFor, WebsiteRefusal } from './refusal.ts';
import { type Exchange, get, readCapped } from './request.ts';
import { checkHost } from './resolve.ts';
import { RobotsRules, robotsAgent } from './robots.ts';
import {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_CHARS,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type WebsiteFetchOptions,
  type WebsitePage,
} from './types.ts';

/** Google reads the first 500 KiB of a robots.txt; a larger one is treated as absent here. */
const ROBOTS_MAX_BYTES = 512 * 1024;

/**
 * Reads a web page for lead research and returns its title and readable text. Never throws for a
 * site problem: a refused address, a non-HTML or oversized page, an HTTP error, a timeout or an
 * unreachable host is `{ ok: false, code, reason }`.
 *
 * Guards, in order, before each request (the first URL, every redirect hop and robots.txt):
 * http(s) only; the host must be a public unicast address, or a public name whose every address is
 * one (checked via `lookup`, and again by the agent on the address connected to); robots.txt must
 * allow the User-Agent's name. The whole fetch has one deadline (`timeoutMs`).
 */
export async function fetchWebsite(input: string, options: WebsiteFetchOptions = {}): Promise<WebsitePage> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const log = (options.log ?? silentLogger).child({ service: 'website' });
  const controller = new AbortController();
  const session = new FetchSession(options, controller.signal, log);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new WebsiteRefusal('timeout', `timed out after ${durationWords(timeoutMs)}`, session.current));
    }, timeoutMs);
  });
  const work = session.page(input);
  work.catch(() => {}); // settled by the deadline's race when it loses
  try {
    const page = await Promise.race([work, deadline]);
    log.debug({ url: page.url, chars: page.text.length }, 'website read');
    return page;
  } catch (err) {
    const refusal =
      controller.signal.aborted && !(err instanceof WebsiteRefusal)
        ? new WebsiteRefusal('timeout', `timed out after ${durationWords(timeoutMs)}`, session.current)
        : refusalFor(err, session.current);
    const level = refusal.code === 'blocked-address' ? 'warn' : 'debug';
    log[level]({ url: refusal.url, code: refusal.code }, `website not read: ${refusal.reason}`);
    return { ok: false, url: refusal.url, reason: refusal.reason, code: refusal.code };
  } finally {
    clearTimeout(timer);
  }
}

/** The state of one fetchWebsite call: its limits, deadline, robots.txt answers and current URL. */
class FetchSession {
  /** The URL being worked on, named in a failure. */
  current: string;
  readonly #options: WebsiteFetchOptions;
  readonly #signal: AbortSignal;
  readonly #log: Logger;
  readonly #headers: Record<string, string>;
  readonly #robots: RobotsRules;

  constructor(options: WebsiteFetchOptions, signal: AbortSignal, log: Logger) {
    const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.current = '';
    this.#options = options;
    this.#signal = signal;
    this.#log = log;
    this.#headers = {
      'User-Agent': userAgent,
      Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5',
      'Accept-Encoding': 'gzip, deflate, br',
    };
    this.#robots = new RobotsRules((url) => this.#robotsTxt(url), robotsAgent(userAgent));
  }

  async page(input: string): Promise<WebsitePage & { ok: true }> {
    this.current = input;
    const { url, exchange } = await this.#open(webAddress(input), true);
    if (exchange.status < 200 || exchange.status >= 300) {
      exchange.response.destroy();
      throw new WebsiteRefusal('http-error', statusReason(exchange.status), url.href);
    }
    const contentType = String(exchange.headers['content-type'] ?? '');
    const mime = contentType.split(';')[0]!.trim().toLowerCase();
    if (mime && mime !== 'text/html' && mime !== 'application/xhtml+xml') {
      exchange.response.destroy();
      throw new WebsiteRefusal('not-html', `not an HTML page (${mime})`, url.href);
    }
    const html = decodeBody(
      await readCapped(exchange, this.#options.maxBytes ?? DEFAULT_MAX_BYTES, url.href),
      contentType,
    );
    // A binary file served as text/html (a misconfigured server): NUL never occurs in a real page.
    if (html.slice(0, 8192).includes('\u0000')) {
      throw new WebsiteRefusal('not-html', 'not an HTML page (binary content)', url.href);
    }
    if (!mime && !/<(!doctype html|html|head|body|title|p)\b/i.test(html.slice(0, 4096))) {
      throw new WebsiteRefusal('not-html', 'not an HTML page (no content type, and not HTML)', url.href);
    }
    const title = pageTitle(html);
    const text = pageText(html, this.#options.maxChars ?? DEFAULT_MAX_CHARS);
    return { ok: true, url: url.href, ...(title ? { title } : {}), text };
  }

  /** Sends GET, following redirects; every hop is checked before it is requested. */
  async #open(start: URL, isPage: boolean): Promise<{ url: URL; exchange: Exchange }> {
    const maxRedirects = this.#options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let url = start;
    for (let hop = 0; ; hop++) {
      if (isPage) this.current = url.href;
      checkScheme(url, hop > 0);
      const host = await checkHost(url, this.#options.lookup, hop > 0);
      if (isPage && !(await this.#robots.allows(url))) {
        throw new WebsiteRefusal(
          'robots',
          `robots.txt disallows ${robotsAgent(this.#headers['User-Agent']!)}`,
          url.href,
        );
      }
      const exchange = await get(url, host, this.#headers, this.#signal);
      const location = exchange.headers.location;
      if (exchange.status < 300 || exchange.status >= 400 || exchange.status === 304 || !location) {
        return { url, exchange };
      }
      exchange.response.destroy();
      if (hop >= maxRedirects) {
        throw new WebsiteRefusal('too-many-redirects', `more than ${maxRedirects} redirects`, url.href);
      }
      url = webAddress(location, url);
    }
  }

  /** robots.txt's body, or undefined when it is missing or could not be read (then all is allowed). */
  async #robotsTxt(robotsUrl: URL): Promise<string | undefined> {
    try {
      const { url, exchange } = await this.#open(robotsUrl, false);
      if (exchange.status < 200 || exchange.status >= 300) {
        exchange.response.destroy();
        return undefined;
      }
      return (await readCapped(exchange, ROBOTS_MAX_BYTES, url.href)).toString('utf8');
    } catch (err) {
      if (this.#signal.aborted) throw err;
      this.#log.debug(
        { url: robotsUrl.href, err: String(err) },
        'robots.txt not read; treated as allowing all',
      );
      return undefined;
    }
  }
}

/**
 * Parses a URL (relative to `base` for a redirect). A bare `acme.com` gets https://. Credentials
 * and the fragment are dropped: they are never sent.
 */
function webAddress(raw: string, base?: URL): URL {
  const text = raw.trim();
  let url: URL;
  try {
    url = base ? new URL(text, base) : new URL(/^[a-z][a-z\d+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    const what = base
      ? `the site redirected to an invalid address "${text}"`
      : `not a web address: "${text}"`;
    throw new WebsiteRefusal(base ? 'http-error' : 'bad-scheme', what, base?.href ?? text);
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  return url;
}

function checkScheme(url: URL, redirected: boolean): void {
  if (url.protocol === 'http:' || url.protocol === 'https:') return;
  const scheme = url.protocol.replace(/:$/, '');
  throw new WebsiteRefusal(
    'bad-scheme',
    redirected
      ? `refused: the site redirected to a ${scheme}: address; only http and https are fetched`
      : `refused: only http and https addresses are fetched, not ${scheme}:`,
    url.href,
  );
}

function statusReason(status: number): string {
  if (status === 404 || status === 410) return `the page was not found (HTTP ${status})`;
  if (status === 401 || status === 403) return `the site refused the request (HTTP ${status})`;
  if (status === 429) return 'the site is limiting requests (HTTP 429)';
  if (status >= 500) return `the site had an error (HTTP ${status})`;
  if (status >= 300 && status < 400) return `the site answered HTTP ${status} without a page`;
  return `the site answered HTTP ${status}`;
}
