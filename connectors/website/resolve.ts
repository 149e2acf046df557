// Checks where a URL's host leads before any request, and pins the connection to what was checked.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { addressRefusal, hostOf, nameRefusal } from './address.ts';
import { refusalFor, WebsiteRefusal } from './refusal.ts';

/** Where a checked host may be reached: a literal IP, or the name's addresses (all of them public). */
export type CheckedHost = { ip: string } | { name: string; addresses: LookupAddress[] };

/**
 * Refuses a URL whose host is, or resolves to, an address Baton never contacts. A name is resolved
 * with every address it has, and refused if any of them is non-public: a name that answers both a
 * public and a private address could be sent to either. `redirected` words the refusal for a hop.
 */
export async function checkHost(
  url: URL,
  lookup: LookupFunction = dnsLookup,
  redirected = false,
): Promise<CheckedHost> {
  const via = redirected ? 'a redirect to ' : '';
  const host = hostOf(url);
  if ('ip' in host) {
    const why = addressRefusal(host.ip);
    if (why)
      throw new WebsiteRefusal('blocked-address', `refused: ${via}${why} address ${host.ip}`, url.href);
    return host;
  }
  const byName = nameRefusal(host.name);
  if (byName) throw new WebsiteRefusal('blocked-address', byName, url.href);
  const addresses = await resolveAll(host.name, lookup).catch((err: unknown) => {
    throw refusalFor(err, url.href);
  });
  if (addresses.length === 0) {
    throw new WebsiteRefusal('unreachable', `could not reach ${host.name} (no such host)`, url.href);
  }
  for (const { address } of addresses) {
    const why = addressRefusal(address);
    if (why) {
      throw new WebsiteRefusal(
        'blocked-address',
        `refused: ${via}${host.name}, which resolves to ${why} address ${address}`,
        url.href,
      );
    }
  }
  return { name: host.name, addresses };
}

function resolveAll(name: string, lookup: LookupFunction): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(name, { all: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(Array.isArray(addresses) ? addresses : [{ address: addresses, family: isIP(addresses) }]);
    });
  });
}

/**
 * A lookup that answers only the addresses already checked, so the connection cannot go elsewhere
 * if the name's DNS answer changes in between (DNS rebinding).
 */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_name, options, callback) => {
    if (options.all) {
      callback(null, addresses);
      return;
    }
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const chosen = addresses.find((a) => !family || a.family === family) ?? addresses[0]!;
    callback(null, chosen.address, chosen.family);
  };
}
