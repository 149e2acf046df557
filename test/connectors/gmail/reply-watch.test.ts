// gmailReplies: inbound mail in a thread becomes one signal; our own sends do not; idle polls cost one request.
import { describe, expect, it } from 'vitest';
import {
  type DraftRef,
  type GmailClient,
  type GmailThreadSignal,
  gmailReplies,
  gmailReplyWait,
  gmailThreadKey,
  type SentRef,
} from '../../../connectors/gmail/index.ts';
import { systemClock } from '../../../src/clock.ts';
import { memoryCursor, pollContext } from '../../support/poll-context.ts';
import { gmailSandbox, LEAD } from './setup.ts';

const { emulator, client } = gmailSandbox();

async function sendPitch(gmail: GmailClient, key: string, subject = 'Un café ?'): Promise<SentRef> {
  const draft = (await gmail.createDraft({
    to: LEAD,
    subject,
    text: 'Bonjour !',
    idempotencyKey: key,
  })) as DraftRef;
  return gmail.sendDraft(draft);
}

/** A trigger with its cursor, and a poll that reports signals and the requests it made. */
function watcher(gmail: GmailClient) {
  const cursor = memoryCursor();
  const trigger = gmailReplies(gmail, { intervalMs: 30_000 });
  const poll = async () => {
    emulator.requests.clear();
    const result = await trigger.poll(pollContext(systemClock, cursor));
    expect(result.items ?? []).toEqual([]);
    return {
      signals: (result.signals ?? []).map((s) => ({ key: s.key, ...(s.payload as GmailThreadSignal) })),
      requests: emulator.requests.all().map((r) => `${r.method} ${r.path.split('?')[0]}`),
    };
  };
  return { trigger, cursor, poll };
}

describe('gmailReplies', () => {
  it('starts from now, then signals a thread that received a reply, once', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'w-1/pitch');
    const { poll, trigger } = watcher(gmail);
    expect(trigger.intervalMs).toBe(30_000);
    expect(await poll()).toEqual({ signals: [], requests: ['GET /gmail/v1/users/me/profile'] });

    const reply = await emulator.receiveReply(pitch.threadId, { from: LEAD, text: 'Oui !' });
    const found = await poll();
    expect(found.signals).toEqual([
      { key: `gmail:thread:${pitch.threadId}`, threadId: pitch.threadId, messageIds: [reply.id] },
    ]);
    expect(found.requests).toEqual(['GET /gmail/v1/users/me/history']);
    expect((await poll()).signals).toEqual([]);
  });

  it('does not signal our own sends: drafts, sent pitches, follow-ups', async () => {
    const gmail = client();
    const { poll } = watcher(gmail);
    await poll();
    const pitch = await sendPitch(gmail, 'w-2/pitch');
    await gmail.sendReply({
      threadId: pitch.threadId,
      to: LEAD,
      subject: 'Un café ?',
      text: 'Petit rappel',
      idempotencyKey: 'w-2/follow-up',
    });
    await gmail.createDraft({ to: LEAD, subject: 'Draft', text: '…', idempotencyKey: 'w-2/other' });
    expect((await poll()).signals).toEqual([]);
  });

  it('costs one history request per idle poll', async () => {
    const { poll } = watcher(client());
    await poll();
    for (let i = 0; i < 3; i++) {
      expect(await poll()).toEqual({ signals: [], requests: ['GET /gmail/v1/users/me/history'] });
    }
  });

  it('gives one signal per thread, for each thread with new inbound mail', async () => {
    const gmail = client();
    const a = await sendPitch(gmail, 'w-4/a', 'Sujet A');
    const b = await sendPitch(gmail, 'w-4/b', 'Sujet B');
    const { poll } = watcher(gmail);
    await poll();
    const first = await emulator.receiveReply(a.threadId, { from: LEAD, text: 'un' });
    await emulator.receive({ from: 'news@example.org', subject: 'Newsletter', text: 'hello' });
    const second = await emulator.receiveReply(a.threadId, { from: LEAD, text: 'deux' });
    const other = await emulator.receiveReply(b.threadId, { from: LEAD, text: 'trois' });
    const { signals } = await poll();
    expect(signals.filter((s) => s.threadId !== a.threadId && s.threadId !== b.threadId)).toHaveLength(1);
    expect(signals.find((s) => s.threadId === a.threadId)?.messageIds).toEqual([first.id, second.id]);
    expect(signals.find((s) => s.threadId === b.threadId)?.messageIds).toEqual([other.id]);
  });

  it('survives Gmail forgetting its history id: resynchronises and signals recent threads', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'w-5/pitch');
    const { poll, cursor } = watcher(gmail);
    await poll();
    const before = cursor.value;
    await emulator.receiveReply(pitch.threadId, { from: LEAD, text: 'Oui !' });
    emulator.expireHistory();

    const resync = await poll();
    expect(resync.requests).toEqual([
      'GET /gmail/v1/users/me/history', // 404: the id expired
      'GET /gmail/v1/users/me/profile', // the current id
      'GET /gmail/v1/users/me/messages', // the newest inbox mail
    ]);
    expect(resync.signals.map((s) => s.key)).toEqual([gmailThreadKey(pitch.threadId)]);
    expect(cursor.value).not.toEqual(before);

    // Back to one cheap request per poll, and new mail is seen again.
    expect(await poll()).toEqual({ signals: [], requests: ['GET /gmail/v1/users/me/history'] });
    await emulator.receiveReply(pitch.threadId, { from: LEAD, text: 'Jeudi ?' });
    expect((await poll()).signals.map((s) => s.key)).toEqual([gmailThreadKey(pitch.threadId)]);
  });

  it('reads history pages until done, resuming from where a cut-short poll stopped', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'w-6/pitch');
    const ctx = pollContext(systemClock, memoryCursor());
    // Two history records per page, one page per poll.
    const trigger = gmailReplies(gmail, { maxPages: 1, pageSize: 2 });
    await trigger.poll(ctx);
    const replies = [];
    for (let i = 0; i < 3; i++)
      replies.push(await emulator.receiveReply(pitch.threadId, { from: LEAD, text: `${i}` }));
    const poll = async () => {
      const { signals = [] } = await trigger.poll(ctx);
      return signals.flatMap((s) => (s.payload as GmailThreadSignal).messageIds);
    };
    expect(await poll()).toEqual([replies[0]!.id, replies[1]!.id]);
    expect(await poll()).toEqual([replies[2]!.id]);
    expect(await poll()).toEqual([]);
  });
});

describe('gmailReplyWait', () => {
  it('waits on the thread key; a signal alone never ends the wait; check returns the replies', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'w-7/pitch');
    const after = emulator.sent()[0]!.internalDate;
    const wait = gmailReplyWait(gmail, { threadId: pitch.threadId, after, from: LEAD });
    expect(wait).toMatchObject({ key: gmailThreadKey(pitch.threadId), timeout: '48h' });
    expect(wait.accept?.({ threadId: pitch.threadId, messageIds: ['x'] })).toBeUndefined();
    expect(await wait.check?.()).toBeUndefined();
    await emulator.receiveReply(pitch.threadId, {
      from: LEAD,
      text: 'Absente',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(await wait.check?.()).toBeUndefined();
    const reply = await emulator.receiveReply(pitch.threadId, { from: LEAD, text: 'Oui !' });
    expect((await wait.check?.())?.map((r) => r.id)).toEqual([reply.id]);
  });
});
