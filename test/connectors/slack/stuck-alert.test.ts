// alertWhenStuck: one Slack alert per stretch of failures a person must fix; none for outages that pass.
import { describe, expect, it } from 'vitest';
import { AuthError, ServiceError } from '../../../connectors/core/index.ts';
import { alertWhenStuck, SlackNotifier } from '../../../connectors/slack/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { SlackEmulator } from '../../../src/sandbox/slack/index.ts';
import type { PollContext, Trigger } from '../../../src/triggers/index.ts';
import { useEmulators } from '../../support/msw.ts';

const clock = new ManualClock();
const slack = new SlackEmulator({ clock });
useEmulators(slack.handlers());

/** A trigger whose next polls fail with the errors given (undefined: a good poll). */
class ScriptedTrigger implements Trigger {
  readonly id = 'sheets:test';
  readonly claimed: string[] = [];
  constructor(private readonly script: (Error | undefined)[]) {}
  async poll(_ctx: PollContext) {
    const next = this.script.shift();
    if (next) throw next;
    return { items: [] };
  }
  async claim(item: { key: string; payload: unknown }) {
    this.claimed.push(item.key);
    return item;
  }
}

const ctx = {} as PollContext;

describe('alertWhenStuck', () => {
  it('alerts once per stretch of failures only a person can fix, and again after a good poll', async () => {
    const url = slack.createWebhook('#ops');
    const notifier = new SlackNotifier({ webhookUrl: url, limit: { limit: 100, intervalMs: 1000 } });
    const expired = () =>
      new AuthError('google', 'Google refused GOOGLE_REFRESH_TOKEN', { hint: 'run `baton auth google`' });
    const down = new ServiceError('sheets', 'Google Sheets did not answer', { retryable: true });
    const inner = new ScriptedTrigger([expired(), expired(), expired(), undefined, down, down, expired()]);
    const trigger = alertWhenStuck(inner, notifier, 'the lead sheet');
    for (let i = 0; i < 7; i++) {
      clock.advance(60_000); // a poll a minute, so Slack's 1-per-second limit never bites
      await trigger.poll(ctx).catch(() => undefined);
    }
    expect(slack.messages(url).map((m) => m.shown)).toEqual([
      'Baton cannot read the lead sheet: Google refused GOOGLE_REFRESH_TOKEN — run `baton auth google`',
      'Baton cannot read the lead sheet: Google refused GOOGLE_REFRESH_TOKEN — run `baton auth google`',
    ]);
    expect(await trigger.claim?.({ key: 'row-1', payload: {} })).toEqual({ key: 'row-1', payload: {} });
    expect(inner.claimed).toEqual(['row-1']);
    expect(trigger.id).toBe('sheets:test');
  });
});

describe('alertWhenStuck, wrapped again', () => {
  it('calls through once when its poll is replaced by a wrapper of itself (as the bench counts polls)', async () => {
    const url = slack.createWebhook('#ops-wrapped');
    const notifier = new SlackNotifier({ webhookUrl: url, limit: { limit: 100, intervalMs: 1000 } });
    const inner = new ScriptedTrigger([undefined]);
    const trigger = alertWhenStuck(inner, notifier, 'the lead sheet');
    let counted = 0;
    const poll = trigger.poll.bind(trigger);
    trigger.poll = async (pollCtx) => {
      counted++;
      return poll(pollCtx);
    };
    await expect(trigger.poll(ctx)).resolves.toEqual({ items: [] });
    expect(counted).toBe(1);
  });
});
