// Serves the sandbox page on the emulator server's port (its `fallback`): GET / renders, POSTs act and
// redirect back (post/redirect/get). Only a browser on this machine may use it.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../log.ts';
import { escapeHtml } from './html.ts';
import { renderPage } from './page.ts';
import { type ActionContext, ActionRefused, applyAction } from './routes.ts';

export interface SandboxPageOptions extends ActionContext {
  log: Logger;
  /** How often the page refreshes its panels (default 2500 ms). */
  refreshMs?: number;
}

const MAX_FORM_BYTES = 64 * 1024;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The page's request handler. Requests whose Host is not this machine are refused (a web page cannot
 * reach the sandbox through DNS rebinding), and so are POSTs from another origin (cross-site forms).
 */
export function sandboxPage(
  options: SandboxPageOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  let notice: string | undefined;
  return (req, res) => {
    void (async () => {
      const host = req.headers.host ?? '';
      if (!LOCAL_HOSTS.has(host.replace(/:\d+$/, '')))
        return plain(res, 403, 'The sandbox page answers on 127.0.0.1 only');
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'POST') {
        const origin = req.headers.origin;
        if (origin && origin !== `http://${host}`)
          return plain(res, 403, 'Forms from other sites are refused');
        let anchor = '';
        try {
          anchor = applyAction(path, await readForm(req), options);
        } catch (err) {
          if (!(err instanceof ActionRefused)) throw err;
          notice = err.message;
        }
        res.writeHead(303, { location: `/${anchor ? `#${anchor}` : ''}`, 'cache-control': 'no-store' }).end();
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed');
      if (path === '/favicon.ico') return void res.writeHead(204).end();
      if (path !== '/') return plain(res, 404, 'Not found: the sandbox page is at /');
      const nonce = randomBytes(16).toString('base64');
      const body = await renderPage({ ...options, notice, nonce, refreshMs: options.refreshMs ?? 2500 });
      notice = undefined;
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // Not no-referrer: with it Chromium sends `Origin: null` on the page's own forms.
        'referrer-policy': 'same-origin',
        'content-security-policy': `default-src 'self'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    })().catch((err: unknown) => {
      options.log.error({ err: (err as Error).message, url: req.url }, 'sandbox page failed');
      if (!res.headersSent) plain(res, 500, `The sandbox page failed: ${(err as Error).message}`);
      else res.destroy();
    });
  };
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(`<p>${escapeHtml(text)}</p>`);
}

/** Reads a urlencoded form body; refuses bodies over 64 KB. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new ActionRefused('That form was too large (over 64 KB)');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
