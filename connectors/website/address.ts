// Which addresses and host names Baton never contacts: anything but public unicast, and metadata hosts.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Cloud instance-metadata endpoints (AWS, GCP, Azure, ECS): named in the refusal so it is recognisable. */
const METADATA_ADDRESSES = ['169.254.169.254', 'fd00:ec2::254', '169.254.170.2', '100.100.100.200'].map((a) =>
  ipaddr.parse(a).toString(),
);

/** ipaddr.js range names, as a refusal says them. */
const RANGE_WORDS: Record<string, string> = {
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  carrierGradeNat: 'carrier-grade NAT',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
  reserved: 'reserved',
};

/**
 * Why `ip` must not be contacted ('private', 'loopback', 'cloud metadata', …), or undefined for a
 * public unicast address. IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it
 * carries; other special IPv6 ranges (6to4, Teredo, NAT64) are refused as not plain unicast.
 */
export function addressRefusal(ip: string): string | undefined {
  let address: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    address = ipaddr.parse(ip);
  } catch {
    return 'unparsable';
  }
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    address = (address as ipaddr.IPv6).toIPv4Address();
  }
  if (METADATA_ADDRESSES.includes(address.toString())) return 'cloud metadata';
  const range = address.range();
  if (range === 'unicast') return undefined;
  return RANGE_WORDS[range] ?? `special-use (${range})`;
}

/** The host of a URL: a literal IP (brackets removed) or a lower-case name without a trailing dot. */
export function hostOf(url: URL): { ip: string } | { name: string } {
  // WHATWG URL parsing has already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) return { ip: host };
  return { name: host.toLowerCase().replace(/\.$/, '') };
}

const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.home.arpa', '.localdomain'];
const LOCAL_NAMES = new Set(['localhost', 'metadata.goog', 'metadata.google.internal']);

/**
 * Why a host name must not be looked up at all: names that only mean something inside a network
 * (localhost, *.internal, *.local, a single label such as `intranet`) and metadata host names.
 */
export function nameRefusal(name: string): string | undefined {
  if (name === 'metadata.google.internal' || name === 'metadata.goog') {
    return `refused: cloud metadata host ${name}`;
  }
  if (LOCAL_NAMES.has(name) || LOCAL_SUFFIXES.some((s) => name.endsWith(s)) || !name.includes('.')) {
    return `refused: ${name} is not a public host name`;
  }
  return undefined;
}
