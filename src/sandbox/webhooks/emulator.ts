// A webhook sink: what a Make/Zapier/Buffer or self-hosted endpoint receives from CONTENT_PUBLISH_WEBHOOK_URL.
import { randomBytes } from 'node:crypto';
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import { droppedConnection, Emulator, LostResponses } from '../kit/index.ts';

/** A host that cannot exist on the internet (`.example` is reserved), so nothing real is ever reached. */
export const WEBHOOK_SINK = 'https://hooks.publish.example';

/** One POST a sink received, as it arrived. */
export interface WebhookDelivery {
  url: string;
  at: number;
  idempotencyKey: string | undefined;
  contentType: string;
  /** The parsed JSON body (undefined when it was not JSON). */
  body: unknown;
}

/**
 * Stateful webhook endpoints. `createSink()` gives a secret URL; every POST to it is recorded (all
 * of them, retries included) and answered 200 `{"ok":true}`, or 400 when the body is not JSON.
 * `faults` and `lostResponses` make it fail or lose answers, to see the sender retry with the same
 * `Idempotency-Key`; `received(url)` is what a receiver that honours that key keeps: one per key.
 */
export class WebhookSinkEmulator extends Emulator {
  readonly lostResponses = new LostResponses();
  readonly #sinks = new Set<string>();
  readonly #deliveries: WebhookDelivery[] = [];

  constructor(options: { clock?: Clock } = {}) {
    super(options.clock ? { clock: options.clock } : {});
  }

  createSink(name = 'publish'): string {
    const url = `${WEBHOOK_SINK}/${name}/${randomBytes(12).toString('hex')}`;
    this.#sinks.add(new URL(url).pathname);
    return url;
  }

  /** Every POST received (retries included), oldest first. */
  deliveries(url?: string): WebhookDelivery[] {
    return this.#deliveries.filter((d) => url === undefined || d.url === url);
  }

  /** The deliveries a receiver honouring Idempotency-Key acts on: the first per key. */
  received(url?: string): WebhookDelivery[] {
    const seen = new Set<string>();
    return this.deliveries(url).filter((d) => {
      if (d.idempotencyKey === undefined) return true;
      if (seen.has(d.idempotencyKey)) return false;
      seen.add(d.idempotencyKey);
      return true;
    });
  }

  handlers() {
    return [http.all(`${WEBHOOK_SINK}/*`, ({ request }) => this.serve(request, () => this.#handle(request)))];
  }

  protected errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
    return Response.json({ error: message }, { status, headers });
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (!this.#sinks.has(url.pathname)) return Response.json({ error: 'not found' }, { status: 404 });
    if (request.method !== 'POST') return Response.json({ error: 'method not allowed' }, { status: 405 });
    const contentType = request.headers.get('content-type') ?? '';
    const text = await request.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    this.#deliveries.push({
      url: url.origin + url.pathname,
      at: this.clock.now(),
      idempotencyKey: request.headers.get('idempotency-key') ?? undefined,
      contentType,
      body,
    });
    if (body === undefined) return Response.json({ error: 'body is not JSON' }, { status: 400 });
    const lost = this.lostResponses.take(request.method, url.pathname);
    if (lost) return lost.status ? this.errorResponse(lost.status, 'Internal error') : droppedConnection();
    return Response.json({ ok: true });
  }
}
