// The contract of the website fetch: its options, its result, and why a page was not read.
import type { LookupFunction } from 'node:net';
import type { Logger } from '../../src/log.ts';

/** Why a page was not read; `reason` on the result says it in a sentence. */
export type WebsiteFailureCode =
  | 'blocked-address'
  | 'bad-scheme'
  | 'robots'
  | 'http-error'
  | 'not-html'
  | 'too-large'
  | 'timeout'
  | 'unreachable'
  | 'tls'
  | 'too-many-redirects';

export interface WebsiteFetchOptions {
  /** Deadline for the whole fetch: robots.txt, every redirect and the page body. Default 10 s. */
  timeoutMs?: number;
  /** Most bytes read from one response (after decompression); more and the read stops. Default 2 MB. */
  maxBytes?: number;
  /** Most redirects followed; each hop is checked like the first URL. Default 5. */
  maxRedirects?: number;
  /** Longest `text` returned, in characters; longer page text is cut at a word. Default 20,000. */
  maxChars?: number;
  /** Sent as User-Agent; its first word (before `/`) is the name robots.txt rules are matched on. */
  userAgent?: string;
  log?: Logger;
  /** Name resolution (default `dns.lookup`). Tests and the sandbox map demo hostnames with it. */
  lookup?: LookupFunction;
}

export type WebsitePage =
  | {
      ok: true;
      /** The URL finally read, after redirects. */
      url: string;
      /** The page's <title>, when it has one. */
      title?: string;
      /** Readable text: headings, paragraphs, lists and link text; no scripts, styles or navigation. */
      text: string;
    }
  | {
      ok: false;
      /** The URL that failed: the redirect target when a redirect was refused. */
      url: string;
      /** A sentence a user understands, e.g. 'the site refused the request (HTTP 403)'. */
      reason: string;
      code: WebsiteFailureCode;
    };

export const DEFAULT_USER_AGENT = 'Baton/0.1 (+self-hosted automation bot; lead research)';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_MAX_CHARS = 20_000;
