// One GET over node's http/https, through an agent that re-checks the address actually connected to.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { sizeWords, WebsiteRefusal } from './refusal.ts';
import { type CheckedHost, pinnedLookup } from './resolve.ts';

// The agents refuse a non-public address at connect time, whatever resolved it: the production
// defence behind the checks made before the request (msw answers without connecting, so tests
// exercise those; test/connectors/website/connect-guard.test.ts exercises this one).
const httpAgent = new RequestFilteringHttpAgent();
const httpsAgent = new RequestFilteringHttpsAgent();

export interface Exchange {
  status: number;
  headers: IncomingHttpHeaders;
  response: IncomingMessage;
}

/** Sends GET `url` to the checked host and resolves with the response head; the body is unread. */
export function get(
  url: URL,
  host: CheckedHost,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<Exchange> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      {
        method: 'GET',
        agent: secure ? httpsAgent : httpAgent,
        headers,
        signal,
        ...('addresses' in host ? { lookup: pinnedLookup(host.addresses) } : {}),
      },
      (response) => resolve({ status: response.statusCode ?? 0, headers: response.headers, response }),
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * Reads the body, decompressed, and stops (destroying the connection) as soon as it passes
 * `maxBytes`: the cap counts decompressed bytes, so a small gzip bomb is stopped too.
 */
export async function readCapped(exchange: Exchange, maxBytes: number, url: string): Promise<Buffer> {
  const { response } = exchange;
  const declared = Number(exchange.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes && !exchange.headers['content-encoding']) {
    response.destroy();
    throw new WebsiteRefusal('too-large', `larger than ${sizeWords(maxBytes)}`, url);
  }
  const body = decoded(response);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    total += bytes.length;
    if (total > maxBytes) {
      body.destroy();
      response.destroy();
      throw new WebsiteRefusal('too-large', `larger than ${sizeWords(maxBytes)}`, url);
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip()
      : encoding === 'deflate'
        ? zlib.createInflate()
        : encoding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  // pipeline forwards an error (or an abort) on the response to the decoder the caller reads.
  return decoder ? pipeline(response, decoder, () => {}) : response;
}

/** Discards a response the caller will not read (a redirect, an error page). */
export function discard(exchange: Exchange): void {
  exchange.response.destroy();
}
