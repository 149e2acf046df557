// sendReply lands in the lead's thread with the real Message-ID, once; repliesIn sees only real answers.
import { describe, expect, it } from 'vitest';
import { NotFoundError, ServiceError } from '../../../connectors/core/index.ts';
import type { DraftRef, GmailClient, SentRef } from '../../../connectors/gmail/index.ts';
import { gmailSandbox, LEAD, OWNER } from './setup.ts';

const { emulator, client } = gmailSandbox();

const SUBJECT = 'Un café ? ☕';

async function sendPitch(gmail: GmailClient, key: string): Promise<SentRef> {
  const draft = (await gmail.createDraft({
    to: LEAD,
    subject: SUBJECT,
    text: 'Bonjour, un café cette semaine ?',
    idempotencyKey: key,
  })) as DraftRef;
  return gmail.sendDraft(draft);
}

const followUp = (sent: SentRef, key: string) => ({
  threadId: sent.threadId,
  to: LEAD,
  subject: SUBJECT,
  text: 'Petit rappel : un café cette semaine ?',
  idempotencyKey: key,
});

describe('sendReply', () => {
  it('answers the latest message of the thread with its real Message-ID, References and one Re:', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'run-1/pitch');
    const [sentPitch] = emulator.sent();
    // Gmail rewrote the Message-ID on send: the draft's own is not what the lead received.
    expect(sentPitch?.messageId).toBe(pitch.messageId);
    expect(pitch.messageId).not.toMatch(/baton/);

    const sent = await gmail.sendReply({
      ...followUp(pitch, 'run-1/follow-up'),
      subject: `Re: Re: ${SUBJECT}`,
    });

    expect(sent).toMatchObject({ status: 'sent', threadId: pitch.threadId, recipients: [LEAD] });
    const thread = emulator.thread(pitch.threadId);
    expect(thread.map((m) => m.subject)).toEqual([SUBJECT, `Re: ${SUBJECT}`]);
    const reply = thread[1]!;
    expect(reply).toMatchObject({
      id: sent.id,
      to: LEAD,
      labelIds: ['SENT'],
      inReplyTo: pitch.messageId,
      references: [pitch.messageId],
      messageId: sent.messageId,
      text: 'Petit rappel : un café cette semaine ?',
    });
    expect(sent.messageId).not.toBe(pitch.messageId);
  });

  it('chains References through every message and answers the newest one', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'run-2/pitch');
    const lead = await emulator.receiveReply(pitch.threadId, { from: LEAD, text: 'Peut-être, rappelez-moi' });
    const sent = await gmail.sendReply(followUp(pitch, 'run-2/follow-up'));
    const [, , ours] = emulator.thread(pitch.threadId);
    expect(ours).toMatchObject({ id: sent.id, inReplyTo: lead.messageId });
    expect(ours?.references).toEqual([pitch.messageId, lead.messageId]);
  });

  it('sends once when the step is replayed with the same key (after a crash)', async () => {
    const pitch = await sendPitch(client(), 'run-3/pitch');
    const first = await client().sendReply(followUp(pitch, 'run-3/follow-up'));
    // A new process replays the step: the result was never journaled.
    const replay = await client().sendReply(followUp(pitch, 'run-3/follow-up'));
    expect(replay).toEqual(first);
    expect(emulator.sent()).toHaveLength(2); // the pitch and one follow-up
    expect(emulator.requests.count({ method: 'POST', path: /\/messages\/send/ })).toBe(1);
  });

  it('sends once when Gmail sent it but the answer was lost', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'run-4/pitch');
    emulator.faultsAfterHandling({ method: 'POST', path: /\/messages\/send/ });
    emulator.faults.dropNext(1);
    const sent = await gmail.sendReply(followUp(pitch, 'run-4/follow-up'));
    expect(emulator.sent()).toHaveLength(2);
    expect(emulator.thread(pitch.threadId).at(-1)?.id).toBe(sent.id);
    expect(
      emulator.requests.filter({ method: 'POST', path: /\/messages\/send/ }).map((r) => r.status),
    ).toEqual([0]);
  });

  it('a different key sends a second follow-up', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'run-5/pitch');
    await gmail.sendReply(followUp(pitch, 'run-5/follow-up-1'));
    await gmail.sendReply(followUp(pitch, 'run-5/follow-up-2'));
    expect(emulator.thread(pitch.threadId).map((m) => m.labelIds)).toEqual([['SENT'], ['SENT'], ['SENT']]);
  });

  it('refuses a subject that is not the thread’s, and more than one recipient, sending nothing', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'run-6/pitch');
    await expect(
      gmail.sendReply({ ...followUp(pitch, 'run-6/a'), subject: 'Something else' }),
    ).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/new thread/) });
    await expect(
      gmail.sendReply({ ...followUp(pitch, 'run-6/b'), to: `${LEAD}, boss@example.com` }),
    ).rejects.toBeInstanceOf(ServiceError);
    expect(emulator.sent()).toHaveLength(1);
  });

  it('throws NotFoundError for a thread that does not exist', async () => {
    await expect(
      client().sendReply({ ...followUp({ threadId: '18c0ffee00000000' } as SentRef, 'run-7/x') }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('repliesIn', () => {
  it('finds the lead’s reply and ignores our own sent messages', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'run-10/pitch');
    const sentAt = emulator.sent()[0]!.internalDate - 1;
    await gmail.sendReply(followUp(pitch, 'run-10/follow-up'));
    expect(await gmail.repliesIn(pitch.threadId, { after: sentAt })).toEqual([]);

    const lead = await emulator.receive({
      threadId: pitch.threadId,
      from: 'Chloé Martin <Lead@Example.com>',
      subject: `Re: ${SUBJECT}`,
      text: 'Avec plaisir — jeudi ?',
    });
    const replies = await gmail.repliesIn(pitch.threadId, { after: new Date(sentAt) });
    expect(replies).toEqual([
      {
        id: lead.id,
        threadId: pitch.threadId,
        messageId: lead.messageId,
        from: 'Lead@example.com', // nodemailer writes the domain in lower case
        fromName: 'Chloé Martin',
        at: new Date(lead.internalDate),
        subject: `Re: ${SUBJECT}`,
        snippet: 'Avec plaisir — jeudi ?',
      },
    ]);
    // A Date read back from the journal is an ISO string: accepted too.
    expect(
      await gmail.repliesIn(pitch.threadId, { after: new Date(sentAt).toISOString() as unknown as Date }),
    ).toHaveLength(1);
    // `from` matches the address whatever its case.
    expect(await gmail.repliesIn(pitch.threadId, { after: sentAt, from: LEAD })).toHaveLength(1);
    expect(await gmail.repliesIn(pitch.threadId, { after: sentAt, from: 'other@example.com' })).toEqual([]);
  });

  it('ignores auto-replies, bounces, mail from our own address, and messages before `after`', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'run-11/pitch');
    const sentAt = emulator.sent()[0]!.internalDate - 1;
    await emulator.receiveReply(pitch.threadId, {
      from: LEAD,
      text: 'Je suis absente jusqu’au 12.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await emulator.receive({
      threadId: pitch.threadId,
      from: 'Mail Delivery Subsystem <MAILER-DAEMON@googlemail.com>',
      subject: 'Delivery Status Notification (Failure)',
      text: 'Address not found',
    });
    await emulator.receive({
      threadId: pitch.threadId,
      from: 'postmaster@example.com',
      subject: `Re: ${SUBJECT}`,
      text: 'Undeliverable',
    });
    await emulator.receiveReply(pitch.threadId, { from: OWNER, text: 'Sent from my phone' });
    expect(await gmail.repliesIn(pitch.threadId, { after: sentAt })).toEqual([]);

    // `Auto-Submitted: no` is a person writing.
    const real = await emulator.receiveReply(pitch.threadId, {
      from: LEAD,
      text: 'Oui !',
      headers: { 'Auto-Submitted': 'no' },
    });
    expect((await gmail.repliesIn(pitch.threadId, { after: sentAt })).map((r) => r.id)).toEqual([real.id]);
    // A reply at or before `after` is not new.
    expect(await gmail.repliesIn(pitch.threadId, { after: real.internalDate })).toEqual([]);
  });

  it('reads the thread once, in the metadata format', async () => {
    const gmail = client();
    const pitch = await sendPitch(gmail, 'run-12/pitch');
    await gmail.repliesIn(pitch.threadId, { after: 0 }); // the profile is asked once per client
    emulator.requests.clear();
    await gmail.repliesIn(pitch.threadId, { after: 0 });
    const paths = emulator.requests.all().map((r) => r.path);
    expect(paths).toHaveLength(1);
    expect(paths[0]).toMatch(/\/threads\/[^?]+\?.*format=metadata/);
  });
});
