// How the Slack notifier reads a webhook's answer: what to retry, and what the user must do about the rest.
import { type FailureClass, parseRetryAfter } from '../core/index.ts';

/** A webhook post that did not answer `200 ok`: the HTTP status (none for a network failure) and Slack's error string. */
export class WebhookFailure extends Error {
  override readonly name = 'WebhookFailure';

  constructor(
    readonly status: number | undefined,
    /** Slack's plain-text error (`no_service`, `rate_limited`, …), or a description of the network failure. */
    readonly error: string,
    readonly retryAfterMs?: number,
  ) {
    super(status === undefined ? `Slack did not answer: ${error}` : `Slack answered ${status} ${error}`);
  }

  static async from(response: Response): Promise<WebhookFailure> {
    // Slack's errors are short snake_case strings; anything else (an HTML error page) is named by status.
    const text = (await response.text().catch(() => '')).trim();
    const body = /^[a-z0-9_]{1,60}$/.test(text) ? text : `http_${response.status}`;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    return new WebhookFailure(response.status, body, retryAfterMs);
  }
}

/** 429 → rate-limited (Retry-After honoured, 1 s when absent); 5xx, 408 and network failures → transient. */
export function classifySlack(err: unknown): FailureClass {
  if (!(err instanceof WebhookFailure)) return { kind: 'fatal' };
  const { status } = err;
  if (status === 429) return { kind: 'rate-limited', status, retryAfterMs: err.retryAfterMs ?? 1000 };
  if (status === undefined) return { kind: 'transient' };
  if (status === 408 || status >= 500) return { kind: 'transient', status };
  return { kind: 'fatal', status };
}

/** What the user should do about a failed alert, in words; `setting` names the webhook URL variable. */
export function fixFor(failure: WebhookFailure, setting: string): string {
  switch (failure.error) {
    case 'no_service':
      return `the webhook was removed — create a new one and set ${setting}`;
    case 'channel_not_found':
      return `the webhook's channel was deleted — create a webhook for another channel and set ${setting}`;
    case 'channel_is_archived':
      return `the webhook's channel is archived — unarchive it, or create a webhook for another channel and set ${setting}`;
    case 'action_prohibited':
      return 'the Slack workspace restricts this webhook — ask a Slack admin to allow it';
    case 'invalid_payload':
    case 'invalid_blocks':
    case 'no_text':
      return 'Slack refused the message itself — check the text and blocks the recipe sends';
    case 'rate_limited':
      return 'Slack accepts about 1 message per second per webhook; alerts are being sent too fast';
  }
  if (failure.status === undefined || failure.status >= 500) {
    return 'Slack is down or unreachable; alerts are skipped until it answers again';
  }
  return `check ${setting}`;
}
