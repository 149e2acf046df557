// When to ask OpenAI again after a 429: the server's hints, or a wait long enough for a per-minute window.

import { parseRetryAfter } from '../core/index.ts';
import { isApiError } from './sdk.ts';

/** OpenAI's limits are per minute (RPM, TPM): waiting this long always frees some budget. */
export const RATE_WINDOW_MS = 60_000;

/**
 * The wait the server asked for, best hint first: `retry-after-ms`, `retry-after` (seconds or a date),
 * the longer of `x-ratelimit-reset-requests|tokens` (durations like `6m0s`, `20ms`; how long until
 * that budget is full again), then the "Please try again in 1.5s" of the message. A reset longer
 * than the rate window is cut to it: some budget is back by then. Undefined when there is no hint
 * (`retry-after` is optional, openai/openai-openapi#564; real 429s come without, openai/openai-node#1477).
 */
export function retryAfterOf(err: unknown): number | undefined {
  if (!isApiError(err)) return undefined;
  const headers = err.headers instanceof Headers ? err.headers : new Headers();
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = parseRetryAfter(headers.get('retry-after'));
  if (seconds !== undefined) return seconds;
  const resets = ['x-ratelimit-reset-requests', 'x-ratelimit-reset-tokens']
    .map((name) => parseDuration(headers.get(name)))
    .filter((reset): reset is number => reset !== undefined);
  if (resets.length > 0) return Math.min(Math.max(...resets), RATE_WINDOW_MS);
  const said = /try again in (\S+?)\.?(?:\s|$)/i.exec(err.message)?.[1];
  const fromMessage = parseDuration(said);
  return fromMessage === undefined ? undefined : Math.min(fromMessage, RATE_WINDOW_MS);
}

/**
 * Our own wait for a 429 with no hint at all: the attempts left share one rate window, so together
 * they wait at least a minute (`maxDelayMs` caps it, so tests with tiny delays stay fast).
 */
export function unhintedRateLimitDelay(maxAttempts: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, Math.ceil(RATE_WINDOW_MS / Math.max(1, maxAttempts - 1)));
}

/** A Go-style duration as OpenAI prints it (`20ms`, `1.5s`, `6m0s`, `1h2m3s`), in ms. */
export function parseDuration(value: string | null | undefined): number | undefined {
  const text = value?.trim();
  if (!text || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const [, amount, , name] of text.matchAll(/(\d+(\.\d+)?)(h|ms|m|s)/g)) {
    total += Number(amount) * unit[name!]!;
  }
  return total;
}
