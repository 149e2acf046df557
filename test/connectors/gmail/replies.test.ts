// Threads and replies: findReply sees the lead's answer and never mistakes our own mail for one.
import { describe, expect, it } from 'vitest';
import type { DraftRef, GmailClient } from '../../../connectors/gmail/index.ts';
import { gmailSandbox, LEAD, OWNER } from './setup.ts';

const { emulator, client } = gmailSandbox();

async function sendPitch(gmail: GmailClient, key: string) {
  const draft = (await gmail.createDraft({
    to: LEAD,
    subject: 'Un café ? ☕',
    text: 'Bonjour, un café cette semaine ?',
    idempotencyKey: key,
  })) as DraftRef;
  return gmail.sendDraft(draft);
}

describe('findReply', () => {
  it('finds nothing while only our own mail is in the thread', async () => {
    const gmail = client();
    const sentAt = Date.now() - 1;
    const sent = await sendPitch(gmail, 'run-a');
    // Our follow-up in the same thread (a reply to our own message) is not an answer.
    const followUp = (await gmail.createDraft({
      to: LEAD,
      subject: 'Re: Un café ? ☕',
      text: 'Petit rappel !',
      threadId: sent.threadId,
      inReplyTo: sent.messageId,
      references: [sent.messageId],
      idempotencyKey: 'run-a/follow-up',
    })) as DraftRef;
    expect(followUp.threadId).toBe(sent.threadId);
    await gmail.sendDraft(followUp);
    expect(await gmail.findReply(sent.threadId, { after: sentAt })).toBeUndefined();
  });

  it('returns the lead’s reply with its text, sender and threading headers', async () => {
    const gmail = client();
    const sentAt = Date.now() - 1;
    const sent = await sendPitch(gmail, 'run-b');
    await emulator.receiveReply(sent.messageId, {
      from: 'Chloé Martin <lead@example.com>',
      text: 'Avec plaisir — jeudi ?\nChloé',
    });
    const reply = await gmail.findReply(sent.threadId, { after: sentAt });
    expect(reply).toMatchObject({
      threadId: sent.threadId,
      from: { name: 'Chloé Martin', address: LEAD },
      to: [OWNER],
      subject: 'Re: Un café ? ☕',
      inReplyTo: sent.messageId,
      text: 'Avec plaisir — jeudi ?\nChloé',
    });
  });

  it('ignores replies that arrived before `after`', async () => {
    const gmail = client();
    const sent = await sendPitch(gmail, 'run-c');
    await emulator.receiveReply(sent.threadId, { from: LEAD, text: 'Old answer' });
    expect(await gmail.findReply(sent.threadId, { after: Date.now() + 60_000 })).toBeUndefined();
  });

  it('does not count a message from our own address as a reply', async () => {
    const gmail = client();
    const sentAt = Date.now() - 1;
    const sent = await sendPitch(gmail, 'run-d');
    await emulator.receiveReply(sent.threadId, { from: OWNER, text: 'Sent from my phone' });
    expect(await gmail.findReply(sent.threadId, { after: sentAt })).toBeUndefined();
    await emulator.receiveReply(sent.threadId, { from: LEAD, text: 'Real answer' });
    expect((await gmail.findReply(sent.threadId, { after: sentAt }))?.text).toBe('Real answer');
  });
});

describe('getThread', () => {
  it('lists the messages oldest first with decoded subjects and bodies', async () => {
    const gmail = client();
    const sent = await sendPitch(gmail, 'run-e');
    await emulator.receiveReply(sent.threadId, { from: LEAD, text: 'Oui !' });
    const thread = await gmail.getThread(sent.threadId);
    expect(thread.messages.map((m) => [m.from.address, m.subject, m.text])).toEqual([
      [OWNER, 'Un café ? ☕', 'Bonjour, un café cette semaine ?'],
      [LEAD, 'Re: Un café ? ☕', 'Oui !'],
    ]);
    expect(thread.messages[0]?.labelIds).toEqual(['SENT']);
  });
});
