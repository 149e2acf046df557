// How a failed fetch travels inside the connector, and how network errors become a user's sentence.
import type { WebsiteFailureCode } from './types.ts';

/** Thrown inside the connector only; `fetchWebsite` turns it into `{ ok: false }`. */
export class WebsiteRefusal extends Error {
  override readonly name = 'WebsiteRefusal';
  constructor(
    readonly code: WebsiteFailureCode,
    readonly reason: string,
    readonly url: string,
  ) {
    super(reason);
  }
}

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

const NETWORK_WORDS: Record<string, string> = {
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'its name could not be looked up',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

/** A refusal for a thrown network error (never for our own WebsiteRefusal, which passes through). */
export function refusalFor(err: unknown, url: string): WebsiteRefusal {
  if (err instanceof WebsiteRefusal) return err;
  const { code, message } = (typeof err === 'object' && err !== null ? err : {}) as {
    code?: unknown;
    message?: unknown;
  };
  const text = typeof message === 'string' ? message : String(err);
  // request-filtering-agent's refusal on the connected address (the DNS-rebinding defence).
  const blocked = /DNS lookup (\S+?)\(.*is not allowed/.exec(text);
  if (blocked) return new WebsiteRefusal('blocked-address', `refused: non-public address ${blocked[1]}`, url);
  if (typeof code === 'string' && TLS_CODES.test(code)) {
    return new WebsiteRefusal('tls', `the site's HTTPS certificate is not valid (${code})`, url);
  }
  const host = hostText(url);
  const words = typeof code === 'string' ? (NETWORK_WORDS[code] ?? code) : text;
  return new WebsiteRefusal('unreachable', `could not reach ${host} (${words})`, url);
}

function hostText(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** 2 MB, 512 KB, 300 bytes: a limit as a person says it. */
export function sizeWords(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** 10 s, 1.5 s, 50 ms. */
export function durationWords(ms: number): string {
  return ms >= 1000 ? `${+(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
