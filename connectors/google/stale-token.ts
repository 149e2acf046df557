// One more try with a new access token when Google says the token this client still trusts is not valid.
import { Readable } from 'node:stream';
import type { Credentials, gaxios } from 'google-auth-library';

type Send<T> = (opts: gaxios.GaxiosOptions, reAuthRetried: boolean) => Promise<gaxios.GaxiosResponse<T>>;

/**
 * Sends a request, and once more with a new access token when Google answers 401. The client library
 * judges a token's age by this machine's clock, so a clock that is wrong or jumped (a VPS without time
 * sync, a machine resumed from suspend) or a token Google ended early would otherwise fail the step
 * for good with "sign in again", although the refresh token is fine. Only 401: a 403 is about
 * permission or quota, which a new token does not change. A 401 means Google did not act on the
 * request, so sending it again cannot do anything twice; a streamed body cannot be sent again.
 */
export async function sendWithTokenRetry<T>(
  client: { credentials: Credentials },
  opts: gaxios.GaxiosOptions,
  send: Send<T>,
): Promise<gaxios.GaxiosResponse<T>> {
  try {
    // `true` turns off the library's own retry, which covers only tokens without an expiry time.
    return await send(opts, true);
  } catch (err) {
    if (statusOf(err) !== 401 || isStream(opts.data) || isStream(opts.body)) throw err;
    // A token another request fetched meanwhile is kept; the one refused is dropped (by its expiry, which
    // also makes a service account's token cache fetch a new one).
    const sent = sentToken(opts);
    if (sent === undefined || sent === client.credentials.access_token) {
      client.credentials = { ...client.credentials, expiry_date: 1 };
    }
    return send(opts, true);
  }
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The token the request went out with: the library writes it into `opts` (the error's copy is redacted). */
function sentToken(opts: gaxios.GaxiosOptions): string | undefined {
  const value = opts.headers instanceof Headers ? opts.headers.get('authorization') : undefined;
  return value?.replace(/^Bearer /i, '');
}

function isStream(body: unknown): boolean {
  return body instanceof Readable || body instanceof ReadableStream;
}
