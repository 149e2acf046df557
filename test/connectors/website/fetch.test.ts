// fetchWebsite against demo sites over node's http/https (msw): text and title, and every way a read fails.
import { gzipSync } from 'node:zlib';
import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchWebsite, type WebsiteFetchOptions } from '../../../connectors/website/index.ts';
import { type DemoSite, demoSites, WebsitesEmulator } from '../../../src/sandbox/websites/index.ts';
import { capturedLog } from '../../support/captured-log.ts';
import { useEmulators } from '../../support/msw.ts';

const acme = demoSites['acme-analytics.example']!;
const sites: Record<string, DemoSite> = {
  'acme-analytics.example': acme,
  'shop.example': {
    address: '93.184.215.40',
    robots: 'User-agent: Baton\nDisallow: /private\n\nUser-agent: *\nDisallow:\n',
    pages: {
      '/': { html: '<html><head><title>Shop &amp; Co</title></head><body><p>Hello</p></body></html>' },
      '/private': { html: '<p>members only</p>' },
      '/members': { status: 403, body: 'Forbidden' },
      '/brochure.pdf': { status: 200, body: '%PDF-1.7', contentType: 'application/pdf' },
      '/old': { redirect: '/new', status: 301 },
      '/new': { html: '<title>New home</title><p>We moved.</p>' },
      '/loop': { redirect: '/loop', status: 302 },
      '/big': { html: `<p>${'x'.repeat(5000)}</p>` },
      '/long': { html: `<p>${'word '.repeat(100)}</p>` },
      '/data.json': { status: 200, body: '{}', contentType: 'application/json' },
    },
  },
  'slow.example': { address: '93.184.215.41', pages: { '/': { html: '<p>eventually</p>' } } },
  'gzip.example': { address: '93.184.215.42', pages: {} },
  'moved.example': {
    address: '93.184.215.44',
    pages: { '/': { redirect: 'http://shop.example/private', status: 301 } },
  },
  'down.example': { address: '93.184.215.43', pages: { '/': { status: 503, body: 'down' } } },
};
const websites = new WebsitesEmulator({ sites });
const unexpected: string[] = [];
useEmulators(
  http.get(
    'http://gzip.example/',
    () =>
      new HttpResponse(new Uint8Array(gzipSync(`<title>Zipped</title><p>${'z'.repeat(4000)}</p>`)), {
        headers: { 'Content-Type': 'text/html', 'Content-Encoding': 'gzip' },
      }),
  ),
  http.get(
    'http://shop.example/latin1',
    () =>
      new HttpResponse(new Uint8Array(Buffer.from('<title>Caf\xe9 M\xfcller</title>', 'latin1')), {
        headers: { 'Content-Type': 'text/html; charset=iso-8859-1' },
      }),
  ),
  websites.handlers(),
  http.all('*', ({ request }) => {
    unexpected.push(request.url);
    return HttpResponse.error();
  }),
);

const read = (url: string, options: WebsiteFetchOptions = {}) =>
  fetchWebsite(url, { lookup: websites.lookup, ...options });

afterEach(() => {
  websites.faults.clear();
  expect(unexpected).toEqual([]);
});

describe('fetchWebsite: reading a page', () => {
  it('returns the title and readable text: headings and link words kept, scripts, styles and navigation dropped', async () => {
    const page = await read('https://acme-analytics.example/');
    expect(page).toMatchObject({ ok: true, url: 'https://acme-analytics.example/' });
    if (!page.ok) return;
    expect(page.title).toBe('Acme Analytics — dashboards for small online shops');
    expect(page.text).toContain('Know which products pay the rent');
    expect(page.text).toContain('Who we serve');
    expect(page.text).toContain('Independent online shops with 1–20 staff');
    expect(page.text).toContain('story of our founding');
    expect(page.text).toContain('hello@acme-analytics.example');
    expect(page.text).not.toContain('/about');
    expect(page.text).not.toContain('window.analytics');
    expect(page.text).not.toContain('font-family');
    expect(page.text).not.toContain('Log in');
  });

  it('names Baton in the User-Agent of the page and robots.txt requests', async () => {
    const before = websites.visits('acme-analytics.example').length;
    await read('http://acme-analytics.example/about');
    const visits = websites.visits('acme-analytics.example').slice(before);
    expect(visits.map((v) => new URL(v.url).pathname)).toEqual(['/robots.txt', '/about']);
    for (const visit of visits)
      expect(visit.userAgent).toBe('Baton/0.1 (+self-hosted automation bot; lead research)');
  });

  it('adds https:// to a bare domain and decodes entities in the title', async () => {
    const page = await read('shop.example');
    expect(page).toEqual({ ok: true, url: 'https://shop.example/', title: 'Shop & Co', text: 'Hello' });
  });

  it('follows a redirect and reports the final URL', async () => {
    const page = await read('http://shop.example/old');
    expect(page).toMatchObject({ ok: true, url: 'http://shop.example/new', title: 'New home' });
  });

  it('decompresses a gzip body', async () => {
    const page = await read('http://gzip.example/');
    expect(page).toMatchObject({ ok: true, title: 'Zipped' });
  });

  it('decodes the charset the Content-Type names', async () => {
    const page = await read('http://shop.example/latin1');
    expect(page).toMatchObject({ ok: true, title: 'Café Müller' });
  });

  it('cuts long text at a word, within maxChars', async () => {
    const page = await read('http://shop.example/long', { maxChars: 52 });
    if (!page.ok) throw new Error(page.reason);
    expect(page.text.length).toBeLessThanOrEqual(52);
    expect(page.text).toMatch(/^(word )+word…$/);
  });
});

describe('fetchWebsite: a page it does not read is a result, not a throw', () => {
  it('an HTTP error names the status', async () => {
    expect(await read('http://shop.example/members')).toEqual({
      ok: false,
      url: 'http://shop.example/members',
      code: 'http-error',
      reason: 'the site refused the request (HTTP 403)',
    });
    expect(await read('http://shop.example/nothing-here')).toMatchObject({
      code: 'http-error',
      reason: 'the page was not found (HTTP 404)',
    });
    expect(await read('http://down.example/')).toMatchObject({
      code: 'http-error',
      reason: 'the site had an error (HTTP 503)',
    });
  });

  it('a PDF or JSON is not HTML', async () => {
    expect(await read('http://shop.example/brochure.pdf')).toMatchObject({
      ok: false,
      code: 'not-html',
      reason: 'not an HTML page (application/pdf)',
    });
    expect(await read('http://shop.example/data.json')).toMatchObject({ code: 'not-html' });
  });

  it('stops reading a body over maxBytes (decompressed bytes count)', async () => {
    expect(await read('http://shop.example/big', { maxBytes: 1024 })).toEqual({
      ok: false,
      url: 'http://shop.example/big',
      code: 'too-large',
      reason: 'larger than 1 KB',
    });
    expect(await read('http://gzip.example/', { maxBytes: 2048 })).toMatchObject({ code: 'too-large' });
  });

  it('gives up after maxRedirects', async () => {
    expect(await read('http://shop.example/loop', { maxRedirects: 3 })).toMatchObject({
      ok: false,
      code: 'too-many-redirects',
      reason: 'more than 3 redirects',
    });
    const loops = websites.visits('shop.example').filter((v) => v.url.endsWith('/loop'));
    expect(loops.length).toBeGreaterThanOrEqual(4);
  });

  it('honours robots.txt rules written for Baton, and never requests the disallowed page', async () => {
    const before = websites.visits('shop.example').length;
    const page = await read('http://shop.example/private');
    expect(page).toEqual({
      ok: false,
      url: 'http://shop.example/private',
      code: 'robots',
      reason: 'robots.txt disallows Baton',
    });
    const paths = websites
      .visits('shop.example')
      .slice(before)
      .map((v) => new URL(v.url).pathname);
    expect(paths).toEqual(['/robots.txt']);
    // The same path is open to another robot: the rule matched Baton's name.
    expect(await read('http://shop.example/private', { userAgent: 'OtherBot/1.0' })).toMatchObject({
      ok: true,
    });
  });

  it('checks robots.txt of the site a redirect leads to', async () => {
    const before = websites.visits('shop.example').length;
    expect(await read('http://moved.example/')).toMatchObject({
      ok: false,
      url: 'http://shop.example/private',
      code: 'robots',
    });
    const after = websites.visits('shop.example').slice(before);
    expect(after.map((v) => v.url)).not.toContain('http://shop.example/private');
  });

  it('a missing or failing robots.txt allows the page', async () => {
    websites.faults.failNext(1, 500, { match: /robots\.txt/ });
    expect(await read('http://shop.example/')).toMatchObject({ ok: true });
    expect(await read('http://slow.example/')).toMatchObject({ ok: true }); // robots.txt answers 404
  });

  it('times out after timeoutMs', async () => {
    websites.faults.latency(2_000);
    const page = await read('http://slow.example/', { timeoutMs: 100 });
    expect(page).toEqual({
      ok: false,
      url: 'http://slow.example/',
      code: 'timeout',
      reason: 'timed out after 100 ms',
    });
  });

  it('an unknown host or a dropped connection is unreachable', async () => {
    expect(await read('https://no-such-company.example/')).toMatchObject({
      ok: false,
      code: 'unreachable',
      reason: 'could not reach no-such-company.example (no such host)',
    });
    websites.faults.dropNext(2);
    expect(await read('http://slow.example/')).toMatchObject({ ok: false, code: 'unreachable' });
  });

  it('logs a failure at debug with the reason', async () => {
    const { log, lines } = capturedLog('debug');
    await read('http://shop.example/members', { log });
    expect(lines.map((l) => l.msg)).toContain('website not read: the site refused the request (HTTP 403)');
  });
});
