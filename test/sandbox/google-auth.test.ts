// The Google OAuth emulator expires refresh tokens of an app in "Testing" after 7 days, as Google does.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { GOOGLE_TOKEN_URL, GoogleAuthEmulator } from '../../src/sandbox/google/auth.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const auth = new GoogleAuthEmulator(clock);
useEmulators(auth.handlers());

const DAY = 24 * 3_600_000;
const client = { clientId: 'testing-app', clientSecret: 'secret' };

async function refresh(refreshToken: string) {
  const res = await fetch(GOOGLE_TOKEN_URL, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('refresh tokens and the app’s publishing status', () => {
  it('refuses a Testing app’s refresh token 7 days after it was issued', async () => {
    auth.registerRefreshToken({
      ...client,
      refreshToken: 'rt-week',
      email: 'a@x.example',
      publishing: 'testing',
    });
    clock.advance(7 * DAY - 60_000);
    expect((await refresh('rt-week')).status).toBe(200);
    clock.advance(60_000);
    expect(await refresh('rt-week')).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    });
  });

  it('keeps tokens issued once the app is published, but not those issued before', async () => {
    auth.registerRefreshToken({
      ...client,
      refreshToken: 'rt-old',
      email: 'a@x.example',
      publishing: 'testing',
    });
    auth.setPublishingStatus(client.clientId, 'in production');
    auth.registerRefreshToken({ ...client, refreshToken: 'rt-new', email: 'a@x.example' });
    clock.advance(30 * DAY);
    expect((await refresh('rt-old')).status).toBe(400);
    expect((await refresh('rt-new')).status).toBe(200);
  });
});
