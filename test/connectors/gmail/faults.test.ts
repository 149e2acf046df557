// GmailClient under 429s, 5xx, dropped connections and refused credentials: recovers or says what to fix.
import { gmail } from '@googleapis/gmail';
import { OAuth2Client } from 'google-auth-library';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  NotFoundError,
  ServiceError,
  ServicePausedError,
} from '../../../connectors/core/index.ts';
import { classifyGmailError } from '../../../connectors/gmail/index.ts';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../../connectors/google/index.ts';
import { gmailSandbox, LEAD, OWNER } from './setup.ts';

const { auth, emulator, client } = gmailSandbox();

auth.registerRefreshToken({
  clientId: 'baton-client',
  clientSecret: 'baton-secret',
  refreshToken: 'rt-readonly',
  email: OWNER,
  scopes: [GOOGLE_SCOPES.gmailRead],
});

const pitch = { to: LEAD, subject: 'Hello', text: 'Body' };

describe('recovery', () => {
  it('retries 429 answers and creates exactly one draft', async () => {
    emulator.faults.failNext(2, 429, { match: /\/drafts$/ });
    const draft = await client().createDraft({ ...pitch, idempotencyKey: 'k-429' });
    expect(draft.status).toBe('draft');
    expect(emulator.drafts()).toHaveLength(1);
    expect(emulator.requests.filter({ method: 'POST' }).map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('retries 5xx and dropped connections on reads', async () => {
    const gmail = client();
    const draft = await gmail.createDraft({ ...pitch, idempotencyKey: 'k-5xx' });
    emulator.faults.failNext(1, 503).failNext(1, 500);
    emulator.faults.dropNext(1);
    const thread = await gmail.getThread(draft.threadId);
    expect(thread.messages.map((m) => m.subject)).toEqual(['Hello']);
    expect(emulator.requests.filter({ path: /threads/ }).map((r) => r.status)).toEqual([0, 503, 500, 200]);
  });

  it('retries a failed POST and still creates exactly one draft', async () => {
    emulator.faults.failNext(1, 500, { match: /\/drafts$/ });
    emulator.faults.failNext(1, 503, { match: /\/drafts$/ });
    await client().createDraft({ ...pitch, idempotencyKey: 'k-post' });
    expect(emulator.drafts()).toHaveLength(1);
  });

  it('reads the retry moment from Gmail’s quota answer', async () => {
    emulator.quota.limit = 10;
    try {
      const sdk = gmail({
        version: 'v1',
        retry: false,
        auth: createGoogleAuth(
          { kind: 'oauth', clientId: 'baton-client', clientSecret: 'baton-secret', refreshToken: 'rt-zoe' },
          [],
        ),
      });
      await sdk.users.drafts.list({ userId: 'me' });
      await sdk.users.drafts.list({ userId: 'me' });
      const err = await sdk.users.drafts.list({ userId: 'me' }).catch((e: unknown) => e);
      const verdict = classifyGmailError(err, 120_000);
      expect(verdict.kind).toBe('rate-limited');
      expect(verdict.retryAfterMs).toBeGreaterThan(55_000);
      expect(verdict.retryAfterMs).toBeLessThanOrEqual(60_000);
    } finally {
      emulator.quota.limit = 15_000;
    }
  });

  it('leaves retrying to Baton: the SDK sends each attempt once', async () => {
    emulator.faults.failNext(1, 503);
    const error = await client({ maxAttempts: 1 })
      .getThread('19b0000000000000')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ retryable: true, status: 503 });
    expect(emulator.requests.count()).toBe(1);
  });

  it('pauses calls when Gmail keeps failing', async () => {
    emulator.faults.failNext(50, 503);
    const gmail = client({ maxAttempts: 2, breakAfter: 4, pauseMs: 60_000 });
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++)
      errors.push(await gmail.getThread('19b0000000000000').catch((e: unknown) => e));
    expect(errors.at(-1)).toBeInstanceOf(ServicePausedError);
    expect(gmail.policy.paused).toBe(true);
    expect(emulator.requests.count()).toBe(4);
  });
});

describe('errors that need a person', () => {
  it('says how to sign in again when Google revoked access', async () => {
    auth.registerRefreshToken({
      clientId: 'baton-client',
      clientSecret: 'baton-secret',
      refreshToken: 'rt-revoked',
      email: 'former@acme.test',
    });
    auth.revoke('former@acme.test');
    const error = await client({ refreshToken: 'rt-revoked' })
      .createDraft({ ...pitch, idempotencyKey: 'k-revoked' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(/baton auth google.*GOOGLE_REFRESH_TOKEN/);
    expect((error as AuthError).message).not.toContain('rt-revoked');
  });

  it('turns a 401 from Gmail into an AuthError with the fix', async () => {
    const expired = new OAuth2Client();
    expired.setCredentials({ access_token: 'ya29.expired', expiry_date: Date.now() + 3_600_000 });
    const error = await client({ auth: expired })
      .getThread('19b0000000000000')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    expect((error as AuthError).hint).toContain('GOOGLE_REFRESH_TOKEN');
    expect((error as AuthError).message).not.toContain('ya29.expired');
  });

  it('names the missing scope when the sign-in cannot write drafts', async () => {
    const error = await client({ refreshToken: 'rt-readonly' })
      .createDraft({ ...pitch, idempotencyKey: 'k-scope' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 403, hint: expect.stringContaining('gmail.compose') });
    expect(emulator.drafts()).toEqual([]);
  });

  it('reports a missing thread or draft as NotFoundError', async () => {
    const gmail = client();
    await expect(gmail.getThread('19b0000000000000')).rejects.toBeInstanceOf(NotFoundError);
    await expect(gmail.getDraft('r123')).rejects.toBeInstanceOf(NotFoundError);
    await expect(gmail.updateDraft('r123', pitch)).rejects.toBeInstanceOf(NotFoundError);
  });
});
