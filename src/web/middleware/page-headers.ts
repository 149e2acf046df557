// Headers every HTML page gets: a fresh CSP nonce per response (only the page's own <script> and
// <style> run, nothing injected), no caching, no sniffing, no framing.
import { randomBytes } from 'node:crypto';
import { createMiddleware } from 'hono/factory';

export interface PageVariables {
  /** The nonce the page's own <script> and <style> elements carry. */
  nonce: string;
}

export const pageHeaders = () =>
  createMiddleware<{ Variables: PageVariables }>(async (c, next) => {
    const nonce = randomBytes(16).toString('base64');
    c.set('nonce', nonce);
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    // Not no-referrer: with it Chromium sends `Origin: null` on the page's own forms.
    c.header('referrer-policy', 'same-origin');
    c.header(
      'content-security-policy',
      `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    await next();
  });
