// SlackNotifier: alerts are delivered, refused early when empty, and never thrown; an outage is logged once with the fix.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import {
  SlackNotifier,
  type SlackNotifierOptions,
  slackLink,
  slackText,
} from '../../../connectors/slack/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { SlackEmulator } from '../../../src/sandbox/slack/index.ts';
import { capturedLog } from '../../support/captured-log.ts';
import { useEmulators } from '../../support/msw.ts';

const clock = new ManualClock();
const slack = new SlackEmulator({ clock });
useEmulators(slack.handlers());

const WARN = 40;

function notifier(options: Partial<SlackNotifierOptions> = {}) {
  const captured = capturedLog('debug');
  const notifier = new SlackNotifier({
    webhookUrl: slack.createWebhook('#vip'),
    log: captured.log,
    limit: { limit: 100, intervalMs: 1000 },
    policy: { initialDelayMs: 1, maxDelayMs: 10 },
    ...options,
  });
  return { notifier, lines: captured.lines };
}

afterEach(() => {
  slack.faults.clear();
  clock.advance(10_000);
});

describe('SlackNotifier', () => {
  it('delivers text and blocks to the webhook', async () => {
    const url = slack.createWebhook('#vip');
    const { notifier: n } = notifier({ webhookUrl: url });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Acme* replied' } }];
    expect(await n.notify({ text: 'VIP reply from Acme', blocks })).toEqual({ delivered: true });
    expect(slack.messages(url)).toEqual([
      expect.objectContaining({ channel: '#vip', text: 'VIP reply from Acme', blocks }),
    ]);
  });

  it('sends plain text literally: a lead named <!channel> pings nobody', async () => {
    const url = slack.createWebhook('#sales');
    const { notifier: n } = notifier({ webhookUrl: url });
    const lead = '<!channel> & <@U024BE7LH>';
    expect(await n.notify({ text: `Pitch for ${lead} needs a closer look` })).toEqual({ delivered: true });
    const [message] = slack.messages(url);
    expect(message?.broadcast).toBe(false);
    expect(message?.mentions.users).toEqual([]);
    expect(message?.shown).toBe('Pitch for <!channel> & <@U024BE7LH> needs a closer look');
  });

  it('builds mrkdwn with slackText: values are escaped, Baton’s own links and bold stay', async () => {
    const url = slack.createWebhook('#sales');
    const { notifier: n } = notifier({ webhookUrl: url });
    const name = '<!here> Bob & <https://evil.example|click>';
    const card = 'https://trello.com/c/AbC123/7-pitch?x=1&y=2';
    const text = slackText`*Pitch for ${name}* needs a look: ${slackLink(card, `card for ${name}`)}`;
    expect(await n.notify({ text })).toEqual({ delivered: true });
    const [message] = slack.messages(url);
    expect(message?.broadcast).toBe(false);
    expect(message?.text).toBe(
      '*Pitch for &lt;!here&gt; Bob &amp; &lt;https://evil.example|click&gt;* needs a look: <https://trello.com/c/AbC123/7-pitch?x=1&amp;y=2|card for &lt;!here&gt; Bob &amp; &lt;https://evil.example|click&gt;>',
    );
    expect(message?.shown).toBe(
      '*Pitch for <!here> Bob & <https://evil.example|click>* needs a look: card for <!here> Bob & <https://evil.example|click>',
    );
  });

  it('refuses a message with neither text nor blocks before sending anything', async () => {
    const { notifier: n, lines } = notifier();
    slack.requests.clear();
    expect(await n.notify({ text: '  ' })).toEqual({ delivered: false, reason: 'no_text' });
    expect(await n.notify({ blocks: [] })).toEqual({ delivered: false, reason: 'no_text' });
    expect(slack.requests.count()).toBe(0);
    expect(lines.filter((l) => l.level === WARN).map((l) => l.msg)[0]).toMatch(
      /^Slack alert not sent: no_text/,
    );
  });

  it('does not throw when the webhook was removed: it logs the fix once and keeps resolving', async () => {
    const url = slack.createWebhook('#vip');
    const { notifier: n, lines } = notifier({ webhookUrl: url });
    slack.removeWebhook(url);
    const results = [await n.notify({ text: 'one' }), await n.notify({ text: 'two' })];
    expect(results).toEqual([
      { delivered: false, reason: 'no_service' },
      { delivered: false, reason: 'no_service' },
    ]);
    const warnings = lines.filter((l) => l.level === WARN);
    expect(warnings.map((l) => l.msg)).toEqual([
      'Slack alert not delivered: no_service — the webhook was removed — create a new one and set SLACK_WEBHOOK_URL',
    ]);
    const secret = url.split('/').at(-1)!;
    expect(JSON.stringify(lines)).not.toContain(secret);
    expect(slack.requests.filter({ method: 'POST' }).filter((r) => r.status === 404)).toHaveLength(2); // 404 is not retried
  });

  it('waits out a 429 for the Retry-After Slack sends, then delivers', async () => {
    const url = slack.createWebhook('#vip');
    const { notifier: n } = notifier({ webhookUrl: url });
    expect(await n.notify({ text: 'first' })).toEqual({ delivered: true });
    slack.requests.clear();
    const second = n.notify({ text: 'second, within the same second' });
    await vi.waitFor(() => expect(slack.requests.all().map((r) => r.status)).toEqual([429]));
    clock.advance(1_000); // Slack's window moves on while the notifier waits the 1 s it was told to
    expect(await second).toEqual({ delivered: true });
    expect(slack.requests.all().map((r) => r.status)).toEqual([429, 200]);
    expect(slack.messages(url).map((m) => m.text)).toEqual(['first', 'second, within the same second']);
  });

  it('logs one line for a Slack outage, retries each alert, and one line when Slack is back', async () => {
    const { notifier: n, lines } = notifier({ policy: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 2 } });
    slack.faults.failNext(4, 503);
    expect(await n.notify({ text: 'a' })).toEqual({ delivered: false, reason: 'service_unavailable' });
    expect(await n.notify({ text: 'b' })).toEqual({ delivered: false, reason: 'service_unavailable' });
    expect(slack.requests.filter({ method: 'POST' }).filter((r) => r.status === 503)).toHaveLength(4);
    expect(await n.notify({ text: 'c' })).toEqual({ delivered: true });
    const info = lines.filter((l) => l.level >= 30).map((l) => l.msg);
    expect(info.filter((m) => m.startsWith('Slack alert not delivered'))).toHaveLength(1);
    expect(info).toContain('Slack alerts are delivered again');
  });

  it('retries a dropped connection', async () => {
    const url = slack.createWebhook('#vip');
    const { notifier: n } = notifier({ webhookUrl: url });
    slack.faults.dropNext(1);
    expect(await n.notify({ text: 'after a blip' })).toEqual({ delivered: true });
    expect(slack.messages(url)).toHaveLength(1);
  });

  it('is off without a webhook URL, and refuses a URL that is not a Slack webhook at start-up', async () => {
    const { notifier: off, lines } = notifier({ webhookUrl: undefined });
    slack.requests.clear();
    expect(await off.notify({ text: 'x' })).toEqual({ delivered: false, reason: 'not_configured' });
    expect(await off.notify({ text: 'y' })).toEqual({ delivered: false, reason: 'not_configured' });
    expect(slack.requests.count()).toBe(0);
    expect(lines.filter((l) => l.msg.startsWith('Slack alerts are off'))).toHaveLength(1);
    expect(() => new SlackNotifier({ webhookUrl: 'http://example.com/hook' })).toThrow(ServiceError);
  });
});
