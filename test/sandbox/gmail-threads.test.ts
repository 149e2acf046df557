// The Gmail emulator's messages.send, users.history.list and inbound mail, through the real @googleapis/gmail SDK.
import { gmail, type gmail_v1 } from '@googleapis/gmail';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../connectors/google/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { GmailEmulator } from '../../src/sandbox/gmail/index.ts';
import { GoogleAuthEmulator } from '../../src/sandbox/google/auth.ts';
import { useEmulators } from '../support/msw.ts';

const OWNER = 'owner@acme.test';
const LEAD = 'lead@example.com';
const SCOPES = [GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead];
const clock = new ManualClock();
const auth = new GoogleAuthEmulator(clock);
const emulator = new GmailEmulator({ auth, clock });
useEmulators(auth.handlers(), emulator.handlers());
auth.registerRefreshToken({
  clientId: 'client-1',
  clientSecret: 'secret-1',
  refreshToken: 'rt-owner',
  email: OWNER,
  scopes: SCOPES,
});

function api(): gmail_v1.Gmail {
  const client = createGoogleAuth(
    { kind: 'oauth', clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'rt-owner' },
    SCOPES,
  );
  return gmail({ version: 'v1', auth: client, retry: false });
}

async function raw(mail: { subject: string; messageId?: string; inReplyTo?: string; references?: string[] }) {
  const message = await new MailComposer({ from: OWNER, to: LEAD, text: 'Bonjour', ...mail })
    .compile()
    .build();
  return message.toString('base64url');
}

const header = (m: gmail_v1.Schema$Message, name: string) =>
  m.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value;

beforeEach(() => {
  emulator.reset();
  emulator.setMailbox(OWNER);
});

async function sendFirst(g: gmail_v1.Gmail) {
  const { data } = await g.users.messages.send({
    userId: 'me',
    requestBody: { raw: await raw({ subject: 'Hello', messageId: '<mine@client.test>' }) },
  });
  const thread = emulator.thread(data.threadId!);
  return { id: data.id!, threadId: data.threadId!, messageId: thread[0]!.messageId! };
}

describe('messages.send', () => {
  it('sends at once with the SENT label and a Message-ID of Gmail’s making', async () => {
    const g = api();
    const first = await sendFirst(g);
    expect(first.messageId).not.toBe('<mine@client.test>');
    expect(emulator.sent()).toMatchObject([{ id: first.id, labelIds: ['SENT'], to: LEAD, subject: 'Hello' }]);
  });

  it('joins the thread with threadId, In-Reply-To and the same subject; stores In-Reply-To and References', async () => {
    const g = api();
    const first = await sendFirst(g);
    const { data } = await g.users.messages.send({
      userId: 'me',
      requestBody: {
        threadId: first.threadId,
        raw: await raw({ subject: 'Re: Hello', inReplyTo: first.messageId, references: [first.messageId] }),
      },
    });
    expect(data.threadId).toBe(first.threadId);
    const thread = await g.users.threads.get({
      userId: 'me',
      id: first.threadId,
      format: 'metadata',
      metadataHeaders: ['In-Reply-To', 'References'],
    });
    const reply = thread.data.messages?.[1];
    expect(reply?.payload?.headers?.map((h) => h.name)).toEqual(['In-Reply-To', 'References']);
    expect(header(reply!, 'in-reply-to')).toBe(first.messageId);
    expect(header(reply!, 'references')).toBe(first.messageId);
  });

  it('starts a new thread when the subject differs or nothing names a message of the thread', async () => {
    const g = api();
    const first = await sendFirst(g);
    const otherSubject = await g.users.messages.send({
      userId: 'me',
      requestBody: {
        threadId: first.threadId,
        raw: await raw({ subject: 'Other', inReplyTo: first.messageId }),
      },
    });
    const noReference = await g.users.messages.send({
      userId: 'me',
      requestBody: { threadId: first.threadId, raw: await raw({ subject: 'Re: Hello' }) },
    });
    expect(otherSubject.data.threadId).not.toBe(first.threadId);
    expect(noReference.data.threadId).not.toBe(first.threadId);
  });
});

describe('users.history.list', () => {
  it('lists messages added after startHistoryId, filtered by label, with the current id', async () => {
    const g = api();
    const start = (await g.users.getProfile({ userId: 'me' })).data.historyId!;
    const first = await sendFirst(g);
    clock.advance(1000);
    const reply = await emulator.receiveReply(first.threadId, { from: LEAD, text: 'Oui' });
    const all = await g.users.history.list({
      userId: 'me',
      startHistoryId: start,
      historyTypes: ['messageAdded'],
    });
    expect(all.data.history?.flatMap((h) => h.messagesAdded?.map((a) => a.message?.id))).toEqual([
      first.id,
      reply.id,
    ]);
    const inbox = await g.users.history.list({ userId: 'me', startHistoryId: start, labelId: 'INBOX' });
    expect(inbox.data.history).toEqual([
      {
        id: expect.any(String),
        messages: [{ id: reply.id, threadId: first.threadId }],
        messagesAdded: [
          { message: { id: reply.id, threadId: first.threadId, labelIds: ['INBOX', 'UNREAD'] } },
        ],
      },
    ]);
    const now = (await g.users.getProfile({ userId: 'me' })).data.historyId;
    expect(inbox.data.historyId).toBe(now);
    const idle = await g.users.history.list({ userId: 'me', startHistoryId: now! });
    expect(idle.data).toEqual({ historyId: now });
  });

  it('answers 404 for an id Gmail forgot or never issued', async () => {
    const g = api();
    const start = (await g.users.getProfile({ userId: 'me' })).data.historyId!;
    await sendFirst(g);
    emulator.expireHistory();
    await expect(g.users.history.list({ userId: 'me', startHistoryId: start })).rejects.toMatchObject({
      status: 404,
    });
    const now = (await g.users.getProfile({ userId: 'me' })).data.historyId!;
    await expect(g.users.history.list({ userId: 'me', startHistoryId: now })).resolves.toMatchObject({
      status: 200,
    });
    await expect(
      g.users.history.list({ userId: 'me', startHistoryId: String(Number(now) + 100) }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('inbound mail', () => {
  it('receive() joins a thread by inReplyTo when the subject matches, with the headers given', async () => {
    const g = api();
    const first = await sendFirst(g);
    const joined = await emulator.receive({
      from: LEAD,
      subject: 'RE: hello',
      text: 'Out of office',
      inReplyTo: first.messageId,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    expect(joined).toMatchObject({
      threadId: first.threadId,
      inReplyTo: first.messageId,
      references: [first.messageId],
    });
    const stray = await emulator.receive({
      from: LEAD,
      subject: 'Unrelated',
      text: 'x',
      inReplyTo: first.messageId,
    });
    expect(stray.threadId).not.toBe(first.threadId);
    const { data } = await g.users.messages.get({
      userId: 'me',
      id: joined.id,
      format: 'metadata',
      metadataHeaders: ['Auto-Submitted'],
    });
    expect(header(data, 'Auto-Submitted')).toBe('auto-replied');
  });

  it('receive() with threadId answers the thread’s latest message', async () => {
    const g = api();
    const first = await sendFirst(g);
    const bounce = await emulator.receive({
      threadId: first.threadId,
      from: 'mailer-daemon@googlemail.com',
      subject: 'Delivery Status Notification (Failure)',
      text: 'Address not found',
    });
    expect(bounce).toMatchObject({
      threadId: first.threadId,
      inReplyTo: first.messageId,
      labelIds: ['INBOX', 'UNREAD'],
    });
  });
});
