// The Slack webhook emulator answers like hooks.slack.com: `ok`, the documented error strings, and 429 with Retry-After.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { SlackEmulator } from '../../src/sandbox/slack/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const slack = new SlackEmulator({ clock });
useEmulators(slack.handlers());

const post = async (url: string, body: string, contentType = 'application/json') => {
  clock.advance(5_000); // a fresh rate window for each post unless a test says otherwise
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') };
};

afterEach(() => slack.faults.clear());

describe('incoming webhooks', () => {
  it('gives each webhook a secret URL and posts text and blocks to its channel', async () => {
    const url = slack.createWebhook('#vip-alerts');
    expect(url).toMatch(/^https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{24}$/);
    expect(await post(url, JSON.stringify({ text: 'VIP lead: *Acme*' }))).toMatchObject({
      status: 200,
      body: 'ok',
    });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Hello' } }];
    expect((await post(url, JSON.stringify({ blocks }))).body).toBe('ok');
    expect(slack.messages(url)).toEqual([
      expect.objectContaining({ channel: '#vip-alerts', text: 'VIP lead: *Acme*' }),
      expect.objectContaining({ channel: '#vip-alerts', blocks }),
    ]);
  });

  it('accepts the legacy form-encoded payload field', async () => {
    const url = slack.createWebhook();
    const form = new URLSearchParams({ payload: JSON.stringify({ text: 'form' }) }).toString();
    expect((await post(url, form, 'application/x-www-form-urlencoded')).body).toBe('ok');
    expect(slack.messages(url).map((m) => m.text)).toEqual(['form']);
  });

  it('answers the documented error strings as plain text', async () => {
    const url = slack.createWebhook('#general');
    expect(await post(url, '{"text": ')).toMatchObject({ status: 400, body: 'invalid_payload' });
    expect(await post(url, '{}')).toMatchObject({ status: 400, body: 'no_text' });
    expect(await post(url, JSON.stringify({ text: '  ' }))).toMatchObject({ status: 400, body: 'no_text' });
    expect(await post(url, JSON.stringify({ blocks: [{ text: 'no type' }] }))).toMatchObject({
      status: 400,
      body: 'invalid_blocks',
    });
    const unknown = url.replace(/\/[A-Za-z0-9]{24}$/, '/WrongSecretWrongSecret00');
    expect(await post(unknown, JSON.stringify({ text: 'x' }))).toMatchObject({
      status: 404,
      body: 'no_service',
    });
    slack.archiveChannel('#general');
    expect(await post(url, JSON.stringify({ text: 'x' }))).toMatchObject({
      status: 410,
      body: 'channel_is_archived',
    });
    slack.removeWebhook(url);
    expect(await post(url, JSON.stringify({ text: 'x' }))).toMatchObject({ status: 404, body: 'no_service' });
    expect(slack.messages(url)).toEqual([]);
  });

  it('takes one message per second per webhook and answers 429 rate_limited with Retry-After', async () => {
    const url = slack.createWebhook();
    const other = slack.createWebhook();
    clock.advance(5_000);
    const send = (to: string) =>
      fetch(to, {
        method: 'POST',
        body: JSON.stringify({ text: 'burst' }),
        headers: { 'Content-Type': 'application/json' },
      });
    expect((await send(url)).status).toBe(200);
    const refused = await send(url);
    expect(refused.status).toBe(429);
    expect(await refused.text()).toBe('rate_limited');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect((await send(other)).status).toBe(200);
    clock.advance(1_000);
    expect((await send(url)).status).toBe(200);
    expect(slack.messages(url)).toHaveLength(2);
  });

  it('reads mrkdwn control syntax as Slack does: broadcasts, mentions, links and entities', async () => {
    const url = slack.createWebhook('#sales');
    const text =
      'Heads up <!here>: <@U024BE7LH> took <#C0123ABCD> — see <https://trello.com/c/x|the card>; 1 &lt; 2 &amp;&amp; 3 &gt; 2';
    expect((await post(url, JSON.stringify({ text }))).body).toBe('ok');
    const [message] = slack.messages(url);
    expect(message?.broadcast).toBe(true);
    expect(message?.mentions).toEqual({
      broadcasts: ['here'],
      users: ['U024BE7LH'],
      channels: ['C0123ABCD'],
      groups: [],
    });
    expect(message?.shown).toBe('Heads up @here: @U024BE7LH took #C0123ABCD — see the card; 1 < 2 && 3 > 2');
  });

  it('finds a broadcast hidden in a block, and none in escaped text', async () => {
    const url = slack.createWebhook('#sales');
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Lead: <!channel>' } }];
    await post(url, JSON.stringify({ text: 'new lead', blocks }));
    await post(url, JSON.stringify({ text: 'Lead: &lt;!channel&gt;' }));
    const [inBlock, escaped] = slack.messages(url);
    expect(inBlock?.broadcast).toBe(true);
    expect(inBlock?.mentions.broadcasts).toEqual(['channel']);
    expect(escaped?.broadcast).toBe(false);
    expect(escaped?.shown).toBe('Lead: <!channel>');
  });

  it('renders injected server errors as Slack does', async () => {
    const url = slack.createWebhook();
    slack.faults.failNext(1, 500);
    expect(await post(url, JSON.stringify({ text: 'x' }))).toMatchObject({
      status: 500,
      body: 'rollup_error',
    });
  });
});
