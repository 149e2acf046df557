// The sandbox page as a Hono app: GET / renders, POSTs act and redirect back (post/redirect/get).
// Only a browser on this machine may use it: loopback Host, same-origin forms, a nonce CSP.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../../log.ts';
import { loopbackHost } from '../../web/middleware/loopback-host.ts';
import { type PageVariables, pageHeaders } from '../../web/middleware/page-headers.ts';
import { sameOrigin } from '../../web/middleware/same-origin.ts';
import { refusal } from '../../web/refusal.tsx';
import { RunIndex } from '../../web/run-index.ts';
import { renderPage } from './page.tsx';
import { type ActionContext, ActionRefused, applyAction } from './routes.ts';

export interface SandboxPageOptions extends ActionContext {
  log: Logger;
  /** The Slides template lead decks copy, shown with the decks (absent: no Slides panel). */
  deckTemplate?: string;
  /** How often the page refreshes its panels (default 2500 ms). */
  refreshMs?: number;
}

const MAX_FORM_BYTES = 64 * 1024;

/** An upload's type when it names an image, else PNG or JPEG by their magic bytes: never HTML. */
function imageType(declared: string | undefined, bytes: Uint8Array): string {
  if (declared && /^image\/(png|jpeg|gif|webp)$/.test(declared)) return declared;
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  return 'application/octet-stream';
}

export function sandboxApp(options: SandboxPageOptions): Hono<{ Variables: PageVariables }> {
  // Why the last action was refused, shown once on the next rendering.
  let notice: string | undefined;
  const runs = new RunIndex(options.baton);
  const app = new Hono<{ Variables: PageVariables }>();
  app.use(loopbackHost('The sandbox page'), sameOrigin(), pageHeaders());

  app.get('/', async (c) => {
    const body = await renderPage({
      ...options,
      view: c.req.query('view'),
      dossier: c.req.query('dossier'),
      contacts: c.req.query('contacts'),
      runs,
      notice,
      nonce: c.var.nonce,
      refreshMs: options.refreshMs ?? 2500,
    });
    notice = undefined;
    return c.html(body);
  });
  app.get('/favicon.ico', (c) => c.body(null, 204));
  // A published post's picture, as the LinkedIn feed panel shows it.
  app.get('/linkedin/posts/:urn/image', (c) => {
    const image = options.world.linkedin.post(c.req.param('urn'))?.image;
    if (!image?.bytes) return refusal(c, 404, 'That post has no picture');
    return c.body(new Uint8Array(image.bytes), 200, {
      'content-type': imageType(image.mediaType, image.bytes),
      'x-content-type-options': 'nosniff',
    });
  });

  const tooLarge = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) => {
      notice = 'That form was too large (over 64 KB)';
      return c.redirect('/', 303);
    },
  });
  app.post('*', tooLarge, async (c) => {
    let back = '';
    try {
      back = await applyAction(c.req.path, new URLSearchParams(await c.req.text()), options);
    } catch (err) {
      if (!(err instanceof ActionRefused)) throw err;
      notice = err.message;
    }
    return c.redirect(`/${back}`, 303);
  });

  app.get('*', (c) => refusal(c, 404, 'Not found: the sandbox page is at /'));
  app.all('*', (c) => refusal(c, 405, 'Method not allowed'));
  app.onError((err, c) => {
    options.log.error({ err: err.message, path: c.req.path }, 'sandbox page failed');
    return refusal(c, 500, `The sandbox page failed: ${err.message}`);
  });
  return app;
}
