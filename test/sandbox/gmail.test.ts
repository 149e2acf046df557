// The Gmail emulator behaves like Gmail v1 for the real @googleapis/gmail SDK.
import { generateKeyPairSync } from 'node:crypto';
import { gmail, type gmail_v1 } from '@googleapis/gmail';
import { OAuth2Client } from 'google-auth-library';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../connectors/google/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { GmailEmulator } from '../../src/sandbox/gmail/index.ts';
import { GoogleAuthEmulator } from '../../src/sandbox/google/auth.ts';
import { useEmulators } from '../support/msw.ts';

const OWNER = 'owner@acme.test';
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
auth.registerRefreshToken({
  clientId: 'client-1',
  clientSecret: 'secret-1',
  refreshToken: 'rt-readonly',
  email: OWNER,
  scopes: [GOOGLE_SCOPES.gmailRead],
});

function api(refreshToken = 'rt-owner'): gmail_v1.Gmail {
  const client = createGoogleAuth(
    { kind: 'oauth', clientId: 'client-1', clientSecret: 'secret-1', refreshToken },
    SCOPES,
  );
  return gmail({ version: 'v1', auth: client, retry: false });
}

async function raw(mail: {
  to?: string;
  subject: string;
  text: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
}): Promise<string> {
  const message = await new MailComposer({
    from: { name: 'Zoë Owner', address: OWNER },
    textEncoding: 'quoted-printable',
    ...mail,
  })
    .compile()
    .build();
  return message.toString('base64url');
}

/** The Gmail error body of a failed SDK call. */
async function failure(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const err = await call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e as { status?: number; response?: { status: number; data: unknown } },
  );
  return { status: err.response?.status ?? err.status ?? 0, body: err.response?.data };
}

const header = (m: gmail_v1.Schema$Message, name: string) =>
  m.payload?.headers?.find((h) => h.name?.toLowerCase() === name.toLowerCase())?.value;

function textOf(part: gmail_v1.Schema$MessagePart | undefined): string | undefined {
  if (!part) return undefined;
  if (part.mimeType === 'text/plain' && part.body?.data) {
    // MIME bodies travel with CRLF line ends, and a single-part body ends with one.
    return Buffer.from(part.body.data, 'base64url').toString().replace(/\r\n/g, '\n').replace(/\n$/, '');
  }
  for (const child of part.parts ?? []) {
    const text = textOf(child);
    if (text !== undefined) return text;
  }
  return undefined;
}

beforeEach(() => {
  emulator.reset();
  emulator.faults.clear();
  emulator.requests.clear();
  emulator.faultsAfterHandling(undefined);
});

describe('drafts', () => {
  it('creates a draft and answers with the documented shape', async () => {
    const { data } = await api().users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: await raw({ to: 'lead@example.com', subject: 'Hi', text: 'Hello' }) } },
    });
    expect(data).toEqual({
      id: expect.stringMatching(/^r/),
      message: {
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        threadId: data.message?.id,
        labelIds: ['DRAFT'],
      },
    });
    expect(emulator.drafts(OWNER)).toMatchObject([{ id: data.id, to: 'lead@example.com', subject: 'Hi' }]);
  });

  it('round-trips non-ASCII subjects, names and quoted-printable bodies', async () => {
    const subject = 'Café crème 👋 — à bientôt, Zoë, with a subject long enough to be folded';
    const text = `Bonjour Zoë,\n${'une très longue ligne accentuée '.repeat(6)}\n— Ünïcødé ✓`;
    const gm = api();
    const { data } = await gm.users.drafts.create({
      userId: 'me',
      requestBody: {
        message: { raw: await raw({ to: 'lead@example.com', subject, text, html: '<p>Bonjour Zoë</p>' }) },
      },
    });
    const full = await gm.users.drafts.get({ userId: 'me', id: data.id!, format: 'full' });
    const message = full.data.message!;
    expect(header(message, 'Subject')).toBe(subject);
    expect(header(message, 'From')).toBe('Zoë Owner <owner@acme.test>');
    expect(message.payload?.mimeType).toBe('multipart/alternative');
    expect(message.payload?.parts?.map((p) => [p.partId, p.mimeType])).toEqual([
      ['0', 'text/plain'],
      ['1', 'text/html'],
    ]);
    expect(textOf(message.payload)).toBe(text);
    expect(message.snippet).toContain('Bonjour Zoë');
    expect(message.internalDate).toBe(String(clock.now()));
    const [draft] = emulator.drafts();
    expect(draft).toMatchObject({ subject, text, html: '<p>Bonjour Zoë</p>' });
  });

  it('reports nested MIME parts with Gmail’s part ids', async () => {
    const gm = api();
    const message = await new MailComposer({
      from: OWNER,
      to: 'lead@example.com',
      subject: 'With a brochure',
      text: 'See attached',
      html: '<p>See attached</p>',
      attachments: [{ filename: 'brochure.txt', content: 'Prices: low' }],
    })
      .compile()
      .build();
    const { data } = await gm.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: message.toString('base64url') } },
    });
    const full = await gm.users.drafts.get({ userId: 'me', id: data.id! });
    const flatten = (part: gmail_v1.Schema$MessagePart): string[] => [
      `${part.partId}:${part.mimeType}${part.filename ? `:${part.filename}` : ''}`,
      ...(part.parts ?? []).flatMap(flatten),
    ];
    expect(flatten(full.data.message!.payload!)).toEqual([
      ':multipart/mixed',
      '0:multipart/alternative',
      '0.0:text/plain',
      '0.1:text/html',
      '1:text/plain:brochure.txt',
    ]);
    const attachment = full.data.message!.payload!.parts![1]!;
    expect(Buffer.from(attachment.body!.data!, 'base64url').toString()).toBe('Prices: low');
  });

  it('answers drafts.get in raw, metadata and minimal formats', async () => {
    const gm = api();
    const encoded = await raw({ to: 'lead@example.com', subject: 'Formats', text: 'Body' });
    const { data } = await gm.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: encoded } },
    });
    const rawFormat = await gm.users.drafts.get({ userId: 'me', id: data.id!, format: 'raw' });
    expect(rawFormat.data.message?.raw).toBe(encoded);
    expect(rawFormat.data.message?.payload).toBeUndefined();
    const metadata = await gm.users.drafts.get({ userId: 'me', id: data.id!, format: 'metadata' });
    expect(header(metadata.data.message!, 'Subject')).toBe('Formats');
    expect(metadata.data.message?.payload?.parts).toBeUndefined();
    const minimal = await gm.users.drafts.get({ userId: 'me', id: data.id!, format: 'minimal' });
    expect(minimal.data.message).toMatchObject({ id: data.message?.id, labelIds: ['DRAFT'] });
    expect(minimal.data.message?.payload).toBeUndefined();
  });

  it('replaces the message on update: same draft id, new message id', async () => {
    const gm = api();
    const messageId = '<keep-me@baton.local>';
    const { data } = await gm.users.drafts.create({
      userId: 'me',
      requestBody: {
        message: { raw: await raw({ to: 'lead@example.com', subject: 'v1', text: 'first', messageId }) },
      },
    });
    const updated = await gm.users.drafts.update({
      userId: 'me',
      id: data.id!,
      requestBody: {
        message: {
          raw: await raw({ to: 'lead@example.com', subject: 'v2', text: 'second', messageId }),
          threadId: data.message?.threadId ?? null,
        },
      },
    });
    expect(updated.data.id).toBe(data.id);
    expect(updated.data.message?.id).not.toBe(data.message?.id);
    expect(updated.data.message?.threadId).toBe(data.message?.threadId);
    expect(emulator.drafts()).toMatchObject([{ id: data.id, subject: 'v2', text: 'second', messageId }]);
  });

  it('sends a draft: the draft disappears and a SENT message takes its place', async () => {
    const gm = api();
    const { data } = await gm.users.drafts.create({
      userId: 'me',
      requestBody: {
        message: { raw: await raw({ to: 'lead@example.com', subject: 'Go', text: 'Sent text' }) },
      },
    });
    const sent = await gm.users.drafts.send({ userId: 'me', requestBody: { id: data.id! } });
    expect(sent.data).toEqual({
      id: expect.any(String),
      threadId: data.message?.threadId,
      labelIds: ['SENT'],
    });
    expect(emulator.drafts()).toEqual([]);
    expect(emulator.sent()).toMatchObject([{ id: sent.data.id, to: 'lead@example.com', text: 'Sent text' }]);
    const gone = await failure(gm.users.drafts.get({ userId: 'me', id: data.id! }));
    expect(gone.status).toBe(404);
  });

  it('gives the sent message a Message-ID of its own; the draft keeps the client’s, X- headers survive', async () => {
    const gm = api();
    const messageId = '<baton-ours@baton.local>';
    const composed = await new MailComposer({
      from: OWNER,
      to: 'lead@example.com',
      subject: 'Go',
      text: 'Sent text',
      messageId,
      headers: { 'X-Baton-Id': messageId },
    })
      .compile()
      .build();
    const { data } = await gm.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: composed.toString('base64url') } },
    });
    const draft = await gm.users.drafts.get({ userId: 'me', id: data.id!, format: 'full' });
    expect(header(draft.data.message!, 'Message-ID')).toBe(messageId);

    const sent = await gm.users.drafts.send({ userId: 'me', requestBody: { id: data.id! } });
    const message = (await gm.users.messages.get({ userId: 'me', id: sent.data.id!, format: 'full' })).data;
    const given = header(message, 'Message-ID');
    expect(given).toMatch(/^<[0-9a-f]+@mail\.gmail\.com>$/);
    expect(message.payload?.headers?.filter((h) => h.name?.toLowerCase() === 'message-id')).toHaveLength(1);
    expect(header(message, 'X-Baton-Id')).toBe(messageId);
    expect(header(message, 'X-Google-Original-Message-ID')).toBeUndefined();
    expect(textOf(message.payload)).toBe('Sent text');
    expect(emulator.sent()).toMatchObject([{ messageId: given }]);
    const search = async (q: string) =>
      (await gm.users.messages.list({ userId: 'me', q })).data.messages ?? [];
    expect(await search(`rfc822msgid:${messageId}`)).toEqual([]);
    expect((await search(`rfc822msgid:${given}`)).map((m) => m.id)).toEqual([sent.data.id]);
  });

  it('deletes a draft (204), then answers 404 with Gmail’s error body', async () => {
    const gm = api();
    const { data } = await gm.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: await raw({ to: 'lead@example.com', subject: 'Bye', text: 'x' }) } },
    });
    const deleted = await gm.users.drafts.delete({ userId: 'me', id: data.id! });
    expect(deleted.status).toBe(204);
    const again = await failure(gm.users.drafts.delete({ userId: 'me', id: data.id! }));
    expect(again).toEqual({
      status: 404,
      body: {
        error: {
          code: 404,
          message: 'Requested entity was not found.',
          errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }],
          status: 'NOT_FOUND',
        },
      },
    });
  });

  it('refuses an invalid To header, a missing raw message and a send without recipients', async () => {
    const gm = api();
    const badTo = Buffer.from('To: human@f\r\nSubject: x\r\n\r\nbody').toString('base64url');
    const invalid = await failure(
      gm.users.drafts.create({ userId: 'me', requestBody: { message: { raw: badTo } } }),
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({
      error: { message: 'Invalid To header', errors: [{ reason: 'invalidArgument' }] },
    });
    const missing = await failure(gm.users.drafts.create({ userId: 'me', requestBody: { message: {} } }));
    expect(missing.status).toBe(400);
    const noTo = await gm.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: await raw({ subject: 'Nobody', text: 'x' }) } },
    });
    const unsendable = await failure(
      gm.users.drafts.send({ userId: 'me', requestBody: { id: noTo.data.id! } }),
    );
    expect(unsendable.status).toBe(400);
    expect(unsendable.body).toMatchObject({ error: { message: 'Recipient address required' } });
  });

  it('refuses a raw message over the size limit', async () => {
    emulator.maxRawBytes = 2048;
    try {
      const big = await raw({ to: 'lead@example.com', subject: 'Big', text: 'x'.repeat(4096) });
      const tooBig = await failure(
        api().users.drafts.create({ userId: 'me', requestBody: { message: { raw: big } } }),
      );
      expect(tooBig.status).toBe(400);
      expect(tooBig.body).toMatchObject({
        error: { message: 'Request payload size exceeds the limit: 2048 bytes.' },
      });
      expect(emulator.drafts(OWNER)).toEqual([]);
    } finally {
      emulator.maxRawBytes = 35 * 1024 * 1024;
    }
  });
});

describe('lists and search', () => {
  it('walks every page of drafts.list with maxResults and pageToken', async () => {
    const gm = api();
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(1000);
      const { data } = await gm.users.drafts.create({
        userId: 'me',
        requestBody: {
          message: { raw: await raw({ to: 'lead@example.com', subject: `Draft ${i}`, text: 'x' }) },
        },
      });
      created.push(data.id!);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let pageToken: string | undefined;
    do {
      const { data } = await gm.users.drafts.list({
        userId: 'me',
        maxResults: 3,
        ...(pageToken ? { pageToken } : {}),
      });
      expect(data.resultSizeEstimate).toBe(7);
      sizes.push(data.drafts?.length ?? 0);
      seen.push(...(data.drafts ?? []).map((d) => d.id!));
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toEqual([...created].reverse());
  });

  it('omits the list key when nothing matches', async () => {
    const { data } = await api().users.messages.list({ userId: 'me', q: 'subject:nothing-here' });
    expect(data).toEqual({ resultSizeEstimate: 0 });
  });

  it('finds messages with rfc822msgid, to, from, subject, in:, is:unread and after:, terms ANDed', async () => {
    const gm = api();
    const messageId = '<baton-0123456789abcdef@baton.local>';
    const draft = await gm.users.drafts.create({
      userId: 'me',
      requestBody: {
        message: { raw: await raw({ to: 'lead@example.com', subject: 'Pitch', text: 'x', messageId }) },
      },
    });
    const before = Math.floor(clock.now() / 1000);
    clock.advance(5000);
    const other = await gm.users.drafts.create({
      userId: 'me',
      requestBody: { message: { raw: await raw({ to: 'other@example.com', subject: 'Other', text: 'y' }) } },
    });
    await gm.users.drafts.send({ userId: 'me', requestBody: { id: other.data.id! } });
    await emulator.receive({ from: 'Pat <pat@example.org>', subject: 'Question', text: 'Are you there?' });

    const ids = async (q: string) =>
      (await gm.users.messages.list({ userId: 'me', q })).data.messages?.length ?? 0;
    const drafts = async (q: string) => (await gm.users.drafts.list({ userId: 'me', q })).data.drafts ?? [];
    expect((await drafts(`rfc822msgid:${messageId}`)).map((d) => d.id)).toEqual([draft.data.id]);
    expect((await drafts('rfc822msgid:baton-0123456789abcdef@baton.local')).map((d) => d.id)).toEqual([
      draft.data.id,
    ]);
    expect(await ids('to:lead@example.com')).toBe(1);
    expect(await ids('from:pat@example.org')).toBe(1);
    expect(await ids('subject:pitch in:drafts')).toBe(1);
    expect(await ids('subject:pitch in:sent')).toBe(0);
    expect(await ids('in:sent')).toBe(1);
    expect(await ids('is:unread')).toBe(1);
    expect(await ids(`after:${before + 1}`)).toBe(2);
    expect(await ids('to:other@example.com in:sent')).toBe(1);
    const labelled = await gm.users.messages.list({ userId: 'me', labelIds: ['INBOX', 'UNREAD'] });
    expect(labelled.data.messages).toHaveLength(1);
    const unsupported = await failure(gm.users.messages.list({ userId: 'me', q: 'has:attachment' }));
    expect(unsupported.status).toBe(400);
  });
});

describe('search lag', () => {
  it('leaves fresh messages out of q searches for searchLagMs; gets and plain listings see them at once', async () => {
    const gm = api();
    emulator.searchLagMs = 2000;
    try {
      const messageId = '<baton-lag@baton.local>';
      const { data } = await gm.users.drafts.create({
        userId: 'me',
        requestBody: {
          message: { raw: await raw({ to: 'lead@example.com', subject: 'Lag', text: 'x', messageId }) },
        },
      });
      const q = `rfc822msgid:${messageId}`;
      const searched = async () => (await gm.users.drafts.list({ userId: 'me', q })).data.drafts ?? [];
      expect(await searched()).toEqual([]);
      expect((await gm.users.messages.list({ userId: 'me', q })).data.messages).toBeUndefined();
      expect((await gm.users.drafts.list({ userId: 'me' })).data.drafts?.map((d) => d.id)).toEqual([data.id]);
      expect((await gm.users.drafts.get({ userId: 'me', id: data.id! })).data.id).toBe(data.id);
      clock.advance(2000);
      expect((await searched()).map((d) => d.id)).toEqual([data.id]);
    } finally {
      emulator.searchLagMs = 0;
    }
  });
});

describe('threads', () => {
  async function sendFirst(gm: gmail_v1.Gmail) {
    const messageId = '<first@acme.test>';
    const created = await gm.users.drafts.create({
      userId: 'me',
      requestBody: {
        message: { raw: await raw({ to: 'lead@example.com', subject: 'Offer', text: 'one', messageId }) },
      },
    });
    const sent = await gm.users.drafts.send({ userId: 'me', requestBody: { id: created.data.id! } });
    // Gmail replaced our Message-ID at send: replies must name the one the lead received.
    const message = await gm.users.messages.get({ userId: 'me', id: sent.data.id!, format: 'metadata' });
    return { messageId: header(message.data, 'Message-ID')!, threadId: sent.data.threadId! };
  }

  it('joins a thread only with threadId, a matching In-Reply-To/References and the same subject', async () => {
    const gm = api();
    const { messageId, threadId } = await sendFirst(gm);
    const reply = (subject: string, inReplyTo?: string) =>
      raw({
        to: 'lead@example.com',
        subject,
        text: 'follow-up',
        ...(inReplyTo ? { inReplyTo, references: [inReplyTo] } : {}),
      });
    const create = async (encoded: string, withThread = true) =>
      (
        await gm.users.drafts.create({
          userId: 'me',
          requestBody: { message: { raw: encoded, ...(withThread ? { threadId } : {}) } },
        })
      ).data.message?.threadId;
    expect(await create(await reply('Re: Offer', messageId))).toBe(threadId);
    expect(await create(await reply('Re: Offer'))).not.toBe(threadId);
    expect(await create(await reply('Something else', messageId))).not.toBe(threadId);
    expect(await create(await reply('Re: Offer', messageId), false)).not.toBe(threadId);
    const unknown = await failure(
      gm.users.drafts.create({
        userId: 'me',
        requestBody: { message: { raw: await reply('Re: Offer', messageId), threadId: 'ffffffffffffffff' } },
      }),
    );
    expect(unknown.status).toBe(404);
  });

  it('threads.get lists the thread oldest first, including a reply received from the lead', async () => {
    const gm = api();
    const { messageId, threadId } = await sendFirst(gm);
    clock.advance(60_000);
    const reply = await emulator.receiveReply(messageId, {
      from: 'Lead <lead@example.com>',
      text: 'Sounds good',
    });
    expect(reply).toMatchObject({
      threadId,
      inReplyTo: messageId,
      subject: 'Re: Offer',
      labelIds: ['INBOX', 'UNREAD'],
    });
    const { data } = await gm.users.threads.get({ userId: 'me', id: threadId });
    expect(data.messages?.map((m) => m.labelIds)).toEqual([['SENT'], ['INBOX', 'UNREAD']]);
    expect(header(data.messages![1]!, 'In-Reply-To')).toBe(messageId);
    expect(textOf(data.messages![1]!.payload)).toBe('Sounds good');
    const missing = await failure(gm.users.threads.get({ userId: 'me', id: '0000000000000000' }));
    expect(missing.status).toBe(404);
  });
});

describe('auth, scopes and quota', () => {
  it('answers 401 in Gmail’s shape for an invalid access token', async () => {
    // The library's own client, without a refresh token: Baton's would fetch a new token after the 401.
    const client = new OAuth2Client();
    client.setCredentials({ access_token: 'ya29.not-a-token', expiry_date: Date.now() + 3_600_000 });
    const result = await failure(
      gmail({ version: 'v1', auth: client, retry: false }).users.drafts.list({ userId: 'me' }),
    );
    expect(result.status).toBe(401);
    expect(result.body).toMatchObject({
      error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError', domain: 'global' }] },
    });
  });

  it('answers 403 for another user’s mailbox and for a missing scope', async () => {
    const denied = await failure(api().users.drafts.list({ userId: 'someone-else@acme.test' }));
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { message: `Delegation denied for ${OWNER}` } });
    const own = await api().users.drafts.list({ userId: OWNER });
    expect(own.status).toBe(200);
    const readonly = await failure(
      api('rt-readonly').users.drafts.create({
        userId: 'me',
        requestBody: { message: { raw: await raw({ to: 'lead@example.com', subject: 'x', text: 'x' }) } },
      }),
    );
    expect(readonly.status).toBe(403);
    expect(readonly.body).toMatchObject({ error: { errors: [{ reason: 'insufficientPermissions' }] } });
  });

  it('charges Gmail’s units per method and answers 429 until the minute has passed', async () => {
    emulator.quota.limit = 30;
    try {
      const gm = api();
      for (let i = 0; i < 3; i++) {
        await gm.users.drafts.create({
          userId: 'me',
          requestBody: {
            message: { raw: await raw({ to: 'lead@example.com', subject: `q${i}`, text: 'x' }) },
          },
        });
        clock.advance(1000);
      }
      const limited = await failure(gm.users.drafts.list({ userId: 'me' }));
      expect(limited.status).toBe(429);
      const retryAt = new Date(clock.now() - 3000 + 60_000).toISOString();
      expect(limited.body).toEqual({
        error: {
          code: 429,
          message: `User-rate limit exceeded.  Retry after ${retryAt}`,
          errors: [
            {
              message: `User-rate limit exceeded.  Retry after ${retryAt}`,
              domain: 'usageLimits',
              reason: 'rateLimitExceeded',
            },
          ],
          status: 'RESOURCE_EXHAUSTED',
        },
      });
      clock.advance(57_001);
      const recovered = await gm.users.drafts.list({ userId: 'me' });
      expect(recovered.data.drafts).toHaveLength(3);
    } finally {
      emulator.quota.limit = 15_000;
    }
  });

  describe('service accounts', () => {
    const keys = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const serviceAccount = (email: string) =>
      gmail({
        version: 'v1',
        retry: false,
        auth: createGoogleAuth(
          { kind: 'service-account', clientEmail: email, privateKey: keys.privateKey, impersonate: OWNER },
          SCOPES,
        ),
      });

    it('cannot act as a user without domain-wide delegation', async () => {
      auth.registerServiceAccount('plain@proj.iam.gserviceaccount.com', keys.publicKey);
      const err = await serviceAccount('plain@proj.iam.gserviceaccount.com')
        .users.drafts.list({ userId: 'me' })
        .catch((e: unknown) => e);
      // Baton's auth client names the refusal and keeps Google's answer as the cause.
      expect(err).toMatchObject({
        oauthError: 'unauthorized_client',
        cause: { response: { data: { error: 'unauthorized_client' } } },
      });
    });

    it('acts as the user it impersonates with delegation', async () => {
      auth.registerServiceAccount('robot@proj.iam.gserviceaccount.com', keys.publicKey, { delegation: true });
      await serviceAccount('robot@proj.iam.gserviceaccount.com').users.drafts.create({
        userId: 'me',
        requestBody: {
          message: { raw: await raw({ to: 'lead@example.com', subject: 'Via robot', text: 'x' }) },
        },
      });
      expect(emulator.drafts(OWNER)).toMatchObject([{ subject: 'Via robot' }]);
    });
  });
});

describe('faults', () => {
  it('can lose the answer of a POST after the draft was stored', async () => {
    emulator.faultsAfterHandling({ method: 'POST', path: /\/drafts$/ });
    emulator.faults.dropNext(1);
    const gm = api();
    await gm.users.drafts.list({ userId: 'me' });
    const lost = await gm.users.drafts
      .create({
        userId: 'me',
        requestBody: { message: { raw: await raw({ to: 'lead@example.com', subject: 'Lost', text: 'x' }) } },
      })
      .then(
        () => 'answered',
        () => 'lost',
      );
    expect(lost).toBe('lost');
    expect(emulator.drafts()).toMatchObject([{ subject: 'Lost' }]);
    expect(emulator.requests.filter({ method: 'POST' }).map((r) => r.status)).toEqual([0]);
  });
});
