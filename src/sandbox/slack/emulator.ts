// Emulates Slack incoming webhooks (hooks.slack.com/services/T…/B…/…): `ok`, the documented error strings, 429.
import { randomInt } from 'node:crypto';
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import { Emulator, RateWindow } from '../kit/index.ts';
import { displayed, type Mentions, mentionsOf, mrkdwnOf } from './mentions.ts';
import { type PostedMessage, readPayload, WebhookRefusal } from './payload.ts';

export const SLACK_HOOKS = 'https://hooks.slack.com';

export interface SlackEmulatorOptions {
  clock?: Clock;
  /** Messages per webhook per second (Slack: 1, short bursts tolerated; the emulator allows none). */
  perSecond?: number;
}

/** A message a webhook delivered, as the channel shows it. */
export interface SlackMessage extends PostedMessage {
  webhookUrl: string;
  channel: string;
  at: number;
  /** `text` as people read it: links by their label, `&lt;` shown as `<`. */
  shown?: string;
  /** Who Slack notified, parsed from the mrkdwn of `text` and the blocks. */
  mentions: Mentions;
  /** True when the message notified the whole channel (`<!channel>`, `<!here>`, `<!everyone>`). */
  broadcast: boolean;
}

interface Webhook {
  url: string;
  channel: string;
  revoked: boolean;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const pick = (alphabet: string, n: number) =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/**
 * Stateful incoming webhooks. A person (a test, the sandbox page) creates a webhook for a channel and
 * gets its secret URL; posts to it answer `200 ok`, or a plain-text error: 400 `invalid_payload`,
 * `no_text`, `invalid_blocks`; 404 `no_service` (unknown or removed webhook); 410 `channel_is_archived`;
 * 429 `rate_limited` with Retry-After (1 message per second per webhook, on the emulator's clock).
 * Each message records the mentions Slack would act on (see mentions.ts), so a test can check that
 * a lead named `<!channel>` did not notify the whole channel.
 */
export class SlackEmulator extends Emulator {
  readonly #hooks = new Map<string, Webhook>();
  readonly #archived = new Set<string>();
  readonly #messages: SlackMessage[] = [];
  readonly #rate: RateWindow;

  constructor(options: SlackEmulatorOptions = {}) {
    super(options.clock ? { clock: options.clock } : {});
    this.#rate = new RateWindow(this.clock, options.perSecond ?? 1, 1000);
  }

  /** Adds an incoming webhook posting to `channel`; returns its URL (a secret, like a password). */
  createWebhook(channel = '#alerts'): string {
    const url = `${SLACK_HOOKS}/services/T${pick(UPPER, 10)}/B${pick(UPPER, 10)}/${pick(MIXED, 24)}`;
    this.#hooks.set(new URL(url).pathname, { url, channel, revoked: false });
    return url;
  }

  /** A person removes the webhook (or its app): posts answer 404 `no_service` from now on. */
  removeWebhook(url: string): void {
    const hook = this.#hooks.get(new URL(url).pathname);
    if (hook) hook.revoked = true;
  }

  /** A person archives the channel: its webhooks answer 410 `channel_is_archived`. */
  archiveChannel(channel: string): void {
    this.#archived.add(channel);
  }

  unarchiveChannel(channel: string): void {
    this.#archived.delete(channel);
  }

  /** Messages delivered, oldest first: all of them, or those sent through one webhook URL. */
  messages(webhookUrl?: string): SlackMessage[] {
    return this.#messages.filter((m) => webhookUrl === undefined || m.webhookUrl === webhookUrl);
  }

  handlers() {
    return [
      http.all(`${SLACK_HOOKS}/services/*`, ({ request }) =>
        this.serve(request, () => this.#handle(request)),
      ),
    ];
  }

  protected errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
    if (status === 429) return text(429, 'rate_limited', { 'Retry-After': '1', ...headers });
    if (status === 404) return text(404, 'no_service', headers);
    if (status === 503) return text(503, 'service_unavailable', headers);
    if (status >= 500) return text(status, 'rollup_error', headers);
    return text(status, message, headers);
  }

  async #handle(request: Request): Promise<Response> {
    const hook = this.#hooks.get(new URL(request.url).pathname);
    if (!hook || hook.revoked) return text(404, 'no_service');
    if (request.method !== 'POST') return text(405, 'invalid_method');
    if (this.#archived.has(hook.channel)) return text(410, 'channel_is_archived');
    if (!this.#rate.take(hook.url)) {
      const seconds = Math.max(1, Math.ceil(this.#rate.retryAfterMs(hook.url) / 1000));
      return text(429, 'rate_limited', { 'Retry-After': String(seconds) });
    }
    try {
      const message = readPayload(request.headers.get('content-type') ?? '', await request.text());
      const mentions = mentionsOf(mrkdwnOf(message.text, message.blocks));
      this.#messages.push({
        ...message,
        ...(message.text !== undefined ? { shown: displayed(message.text) } : {}),
        webhookUrl: hook.url,
        channel: hook.channel,
        at: this.clock.now(),
        mentions,
        broadcast: mentions.broadcasts.length > 0,
      });
      return text(200, 'ok');
    } catch (err) {
      if (err instanceof WebhookRefusal) return text(err.status, err.error);
      throw err;
    }
  }
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}
