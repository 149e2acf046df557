// fetchWebsite never contacts a private, loopback, link-local, metadata or otherwise non-public
// address: each case proves no request was made (a catch-all records every request msw sees, and
// unhandled requests fail the test).
import type { LookupFunction } from 'node:net';
import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchWebsite } from '../../../connectors/website/index.ts';
import { demoSites, WebsitesEmulator } from '../../../src/sandbox/websites/index.ts';
import { useEmulators } from '../../support/msw.ts';

const websites = new WebsitesEmulator({
  sites: {
    'linkhop.example': demoSites['linkhop.example']!,
    'acme-analytics.example': demoSites['acme-analytics.example']!,
    // A public company page that redirects to a file: URL and to a name resolving to a private address.
    'tricky.example': {
      address: '93.184.215.30',
      pages: {
        '/file': { redirect: 'file:///etc/passwd' },
        '/evil': { redirect: 'http://evil.example/' },
        '/meta': { redirect: 'http://metadata.google.internal/computeMetadata/v1/' },
      },
    },
    // Served if ever requested: it must not be.
    'evil.example': { address: '10.0.0.5', pages: { '/': { html: '<p>internal wiki</p>' } } },
  },
});

/** Every request that reached msw outside the demo sites: the private targets land here. */
const reached: string[] = [];
useEmulators(
  websites.handlers(),
  http.all('*', ({ request }) => {
    reached.push(request.url);
    return HttpResponse.text('secret', { status: 200 });
  }),
);

/** The world's lookup, plus names that resolve to both a public and a private address. */
const lookups: string[] = [];
const lookup: LookupFunction = (hostname, options, callback) => {
  lookups.push(hostname);
  if (hostname === 'split.example') {
    callback(null, [
      { address: '93.184.215.31', family: 4 },
      { address: '192.168.1.20', family: 4 },
    ]);
    return;
  }
  if (hostname === 'v6.example') {
    callback(null, [{ address: 'fd00:ec2::254', family: 6 }]);
    return;
  }
  websites.lookup(hostname, options, callback);
};

beforeEach(() => {
  lookups.length = 0;
});

afterEach(() => {
  expect(reached.splice(0)).toEqual([]);
  expect(websites.visits('evil.example')).toEqual([]);
  expect(websites.visits('10.0.0.1')).toEqual([]);
});

const refused = (url: string) => fetchWebsite(url, { lookup });

describe('fetchWebsite refuses before any request', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'refused: cloud metadata address 169.254.169.254'],
    ['http://127.0.0.1:9464/metrics', 'refused: loopback address 127.0.0.1'],
    ['http://[::1]/', 'refused: loopback address ::1'],
    ['http://10.0.0.1/', 'refused: private address 10.0.0.1'],
    ['http://192.168.0.1/', 'refused: private address 192.168.0.1'],
    ['http://172.16.5.4/', 'refused: private address 172.16.5.4'],
    ['http://100.64.0.1/', 'refused: carrier-grade NAT address 100.64.0.1'],
    ['http://0.0.0.0/', 'refused: unspecified address 0.0.0.0'],
    ['http://224.0.0.1/', 'refused: multicast address 224.0.0.1'],
    ['http://[fe80::1]/', 'refused: link-local address fe80::1'],
    ['http://[fc00::1]/', 'refused: unique-local address fc00::1'],
    ['http://[fd00:ec2::254]/', 'refused: cloud metadata address fd00:ec2::254'],
    ['http://[::]/', 'refused: unspecified address ::'],
  ])('%s (a literal address)', async (url, reason) => {
    expect(await refused(url)).toEqual({
      ok: false,
      url: new URL(url).href,
      code: 'blocked-address',
      reason,
    });
    expect(lookups).toEqual([]);
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://2852039166/latest/meta-data/', '169.254.169.254'],
  ])('%s (decimal, hex, octal and short IPv4 forms)', async (url, address) => {
    const page = await refused(url);
    expect(page).toMatchObject({ ok: false, code: 'blocked-address' });
    expect(!page.ok && page.reason).toContain(address);
  });

  it.each([
    ['http://[::ffff:127.0.0.1]/', 'refused: loopback address ::ffff:7f00:1'],
    ['http://[::ffff:169.254.169.254]/', 'refused: cloud metadata address ::ffff:a9fe:a9fe'],
    ['http://[::ffff:10.0.0.1]/', 'refused: private address ::ffff:a00:1'],
  ])('%s (IPv4-mapped IPv6, judged as the IPv4 address inside)', async (url, reason) => {
    expect(await refused(url)).toMatchObject({ ok: false, code: 'blocked-address', reason });
  });

  it.each([
    [
      'http://metadata.google.internal/computeMetadata/v1/',
      'refused: cloud metadata host metadata.google.internal',
    ],
    ['http://localhost:9464/metrics', 'refused: localhost is not a public host name'],
    ['http://admin.localhost/', 'refused: admin.localhost is not a public host name'],
    ['http://intranet/', 'refused: intranet is not a public host name'],
    ['http://db.corp.internal/', 'refused: db.corp.internal is not a public host name'],
  ])('%s (a name that only means something inside a network)', async (url, reason) => {
    expect(await refused(url)).toMatchObject({ ok: false, code: 'blocked-address', reason });
    expect(lookups).toEqual([]);
  });

  it.each([
    ['file:///etc/passwd', 'refused: only http and https addresses are fetched, not file:'],
    ['gopher://x', 'refused: only http and https addresses are fetched, not gopher:'],
    ['ftp://files.example/', 'refused: only http and https addresses are fetched, not ftp:'],
    ['data:text/html,<p>hi</p>', 'refused: only http and https addresses are fetched, not data:'],
    ['javascript:alert(1)', 'refused: only http and https addresses are fetched, not javascript:'],
  ])('%s (not http or https)', async (url, reason) => {
    expect(await refused(url)).toMatchObject({ ok: false, code: 'bad-scheme', reason });
    expect(lookups).toEqual([]);
  });

  it('a host name that resolves to a private address', async () => {
    expect(await refused('http://evil.example/')).toEqual({
      ok: false,
      url: 'http://evil.example/',
      code: 'blocked-address',
      reason: 'refused: evil.example, which resolves to private address 10.0.0.5',
    });
  });

  it('a host name with a public and a private address (any private answer refuses)', async () => {
    expect(await refused('https://split.example/')).toMatchObject({
      code: 'blocked-address',
      reason: 'refused: split.example, which resolves to private address 192.168.1.20',
    });
  });

  it('a host name that resolves to the IPv6 metadata address', async () => {
    expect(await refused('https://v6.example/')).toMatchObject({
      code: 'blocked-address',
      reason: 'refused: v6.example, which resolves to cloud metadata address fd00:ec2::254',
    });
  });
});

describe('fetchWebsite re-checks every redirect hop before following it', () => {
  it('a public demo site redirecting to http://10.0.0.1/ (the target is never requested)', async () => {
    expect(await refused('https://linkhop.example/')).toEqual({
      ok: false,
      url: 'http://10.0.0.1/admin',
      code: 'blocked-address',
      reason: 'refused: a redirect to private address 10.0.0.1',
    });
    expect(websites.visits('linkhop.example').map((v) => v.url)).toContain('https://linkhop.example/');
  });

  it('a redirect to a name that resolves to a private address', async () => {
    expect(await refused('https://tricky.example/evil')).toMatchObject({
      code: 'blocked-address',
      reason: 'refused: a redirect to evil.example, which resolves to private address 10.0.0.5',
    });
  });

  it('a redirect to a file: URL', async () => {
    expect(await refused('https://tricky.example/file')).toEqual({
      ok: false,
      url: 'file:///etc/passwd',
      code: 'bad-scheme',
      reason: 'refused: the site redirected to a file: address; only http and https are fetched',
    });
  });

  it('a redirect to the metadata host name', async () => {
    expect(await refused('https://tricky.example/meta')).toMatchObject({
      code: 'blocked-address',
      reason: 'refused: cloud metadata host metadata.google.internal',
    });
  });
});

it('a public site is still read (the guards are not refusing everything)', async () => {
  expect(await refused('https://acme-analytics.example/')).toMatchObject({ ok: true });
});
