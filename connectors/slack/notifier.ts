// SlackNotifier: best-effort alerts through an incoming webhook; a failed alert is logged once, never thrown.
import { type Logger, silentLogger } from '../../src/log.ts';
import {
  type RateLimit,
  ServiceError,
  ServicePausedError,
  ServicePolicy,
  type ServicePolicyOptions,
} from '../core/index.ts';
import { classifySlack, fixFor, WebhookFailure } from './failures.ts';
import { escapeSlack, SlackText } from './text.ts';

/** Slack's limit on blocks per message. */
export const MAX_BLOCKS = 50;

export interface SlackNotifierOptions {
  /** The incoming-webhook URL (a secret); alerts are switched off when it is absent. */
  webhookUrl: string | undefined;
  log?: Logger;
  /** The setting users put the URL in, named in fixes (default SLACK_WEBHOOK_URL). */
  setting?: string;
  /** Messages per webhook (Slack: 1 per second). */
  limit?: RateLimit;
  /** How long one post may take before it counts as a network failure (default 10 s). */
  timeoutMs?: number;
  /** Retry and breaker tuning (defaults: 3 attempts; tests pass small delays). */
  policy?: Partial<
    Pick<ServicePolicyOptions, 'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs'>
  >;
}

/**
 * A message: `text` (also the notification fallback) and/or Block Kit `blocks`. A plain string is
 * shown literally (its `&`, `<`, `>` are escaped, so a value like `<!channel>` notifies nobody);
 * SlackText from `slackText`/`slackLink` is sent as the mrkdwn it is. Blocks are sent as given:
 * build their mrkdwn text objects with `slackText(...).mrkdwn`.
 */
export interface SlackMessageInput {
  text?: string | SlackText;
  blocks?: Record<string, unknown>[];
}

export interface NotifyResult {
  delivered: boolean;
  /** Why it was not delivered: Slack's error string, `not_configured`, `paused` or `network`. */
  reason?: string;
}

const SLACK_HOSTS = new Set(['hooks.slack.com', 'hooks.slack-gov.com']);

/**
 * Posts alerts to one Slack incoming webhook with plain `fetch`, through a ServicePolicy ('slack':
 * 1 message per second, Retry-After honoured on 429, retries on 5xx and network failures, a breaker).
 * Alerts are best-effort: `notify` never throws. A failure is logged at warn level once per outage
 * (again only when the reason changes), with the fix; the first success after it is logged too.
 * The webhook URL is a secret and never appears in logs.
 */
export class SlackNotifier {
  readonly #url: string | undefined;
  readonly #log: Logger;
  readonly #setting: string;
  readonly #timeoutMs: number;
  readonly #policy: ServicePolicy;
  /** The reason of the outage in progress, if any. */
  #failing: string | undefined;
  #warnedUnconfigured = false;

  /**
   * @throws ServiceError at start-up when `webhookUrl` is not an https://hooks.slack.com/… URL (a
   *   configuration mistake the user must see, not an outage)
   */
  constructor(options: SlackNotifierOptions) {
    this.#setting = options.setting ?? 'SLACK_WEBHOOK_URL';
    this.#url = options.webhookUrl?.trim() || undefined;
    if (this.#url) checkUrl(this.#url, this.#setting);
    this.#log = (options.log ?? silentLogger).child({ service: 'slack', webhook: redact(this.#url) });
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#policy = new ServicePolicy({
      service: 'slack',
      limits: { post: options.limit ?? { limit: 1, intervalMs: 1000 } },
      classify: classifySlack,
      maxAttempts: 3,
      ...options.policy,
      log: this.#log,
    });
  }

  /** True while Slack keeps failing and posts are paused. */
  get paused(): boolean {
    return this.#policy.paused;
  }

  /**
   * Posts the message. Never throws: resolves `{ delivered: true }`, or `{ delivered: false, reason }`
   * after logging. A message with neither text nor blocks is refused before anything is sent.
   */
  async notify(message: SlackMessageInput): Promise<NotifyResult> {
    if (!this.#url) return this.#unconfigured();
    const problem = invalid(message);
    if (problem) {
      this.#log.warn(
        { reason: problem },
        `Slack alert not sent: ${problem} — ${fixFor(new WebhookFailure(400, problem), this.#setting)}`,
      );
      return { delivered: false, reason: problem };
    }
    const url = this.#url;
    const text = asMrkdwn(message.text);
    const body = JSON.stringify({
      ...(text !== undefined ? { text } : {}),
      ...(message.blocks ? { blocks: message.blocks } : {}),
    });
    try {
      await this.#policy.call('post an alert', () => post(url, body, this.#timeoutMs));
    } catch (err) {
      return this.#failed(err);
    }
    if (this.#failing) this.#log.info('Slack alerts are delivered again');
    this.#failing = undefined;
    return { delivered: true };
  }

  #failed(err: unknown): NotifyResult {
    const cause = err instanceof ServiceError ? err.cause : err;
    let reason: string;
    let fix: string;
    if (err instanceof ServicePausedError) {
      reason = 'paused';
      fix = 'Slack kept failing, so alerts are paused for a while';
    } else if (cause instanceof WebhookFailure) {
      reason = cause.status === undefined ? 'network' : cause.error;
      fix = fixFor(cause, this.#setting);
    } else {
      reason = 'error';
      fix = (err as Error)?.message ?? String(err);
    }
    if (this.#failing === reason) {
      this.#log.debug({ reason }, 'Slack alert not delivered (outage continues)');
    } else {
      this.#failing = reason;
      this.#log.warn({ reason }, `Slack alert not delivered: ${reason} — ${fix}`);
    }
    return { delivered: false, reason };
  }

  #unconfigured(): NotifyResult {
    if (!this.#warnedUnconfigured) {
      this.#warnedUnconfigured = true;
      this.#log.info(
        `Slack alerts are off — set ${this.#setting} to an incoming-webhook URL to receive them`,
      );
    }
    return { delivered: false, reason: 'not_configured' };
  }
}

/** One webhook post. @throws WebhookFailure for anything but 200, or when Slack does not answer */
async function post(url: string, body: string, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    // The fetch error names the URL in some runtimes: keep only its kind.
    throw new WebhookFailure(
      undefined,
      (err as Error)?.name === 'TimeoutError' ? 'timeout' : 'network error',
    );
  }
  if (response.status === 200) {
    await response.text(); // `ok`; read so the connection is released
    return;
  }
  throw await WebhookFailure.from(response);
}

/** The mrkdwn to send: SlackText as built, a plain string escaped so it reads literally. */
function asMrkdwn(text: string | SlackText | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text instanceof SlackText ? text.mrkdwn : escapeSlack(text);
}

/** Why a message cannot be sent as it is, or undefined. */
function invalid(message: SlackMessageInput): string | undefined {
  const hasText = message.text !== undefined && String(message.text).trim() !== '';
  const hasBlocks = Array.isArray(message.blocks) && message.blocks.length > 0;
  if (!hasText && !hasBlocks) return 'no_text';
  if (message.blocks && message.blocks.length > MAX_BLOCKS) return 'invalid_blocks';
  return undefined;
}

function checkUrl(url: string, setting: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol === 'https:' && SLACK_HOSTS.has(parsed.hostname) && parsed.pathname.length > 1) return;
  throw new ServiceError('slack', `${setting} is not a Slack incoming-webhook URL`, {
    hint: `set ${setting} to the URL Slack shows for the webhook, like https://hooks.slack.com/services/T…/B…/…`,
  });
}

/** The webhook URL without its secret part, for logs: `hooks.slack.com/services/T…/B…/***`. */
function redact(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const parts = new URL(url).pathname.split('/');
  return `${new URL(url).host}${parts.slice(0, -1).join('/')}/***`;
}
