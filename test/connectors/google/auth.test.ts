// Google sign-in failures reach the user as GoogleSignInError with the fix: an expired Testing-app
// token says to run `baton auth google` and to publish the app, and is not retried.
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../connectors/core/index.ts';
import { createGoogleAuth, GOOGLE_SCOPES, GoogleSignInError } from '../../../connectors/google/index.ts';
import { SheetsClient } from '../../../connectors/sheets/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { GoogleAuthEmulator } from '../../../src/sandbox/google/auth.ts';
import { SheetsEmulator } from '../../../src/sandbox/sheets/index.ts';
import { useEmulators } from '../../support/msw.ts';

const DAY = 24 * 3_600_000;
const clock = new ManualClock();
const auth = new GoogleAuthEmulator(clock);
const sheets = new SheetsEmulator({ auth, clock, readsPerMinute: 10_000, writesPerMinute: 10_000 });
useEmulators(auth.handlers(), sheets.handlers());

const OAUTH = { clientId: 'testing-app', clientSecret: 'secret-1' };
const PUBLISHED = { clientId: 'published-app', clientSecret: 'secret-2' };

function signedIn(refreshToken: string, app = OAUTH) {
  return new SheetsClient({
    auth: createGoogleAuth({ kind: 'oauth', ...app, refreshToken }, [GOOGLE_SCOPES.sheets]),
    policy: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 3 },
  });
}

describe('Google sign-in of an OAuth app in Testing', () => {
  it('works for 7 days, then fails once per read with the fix and no retries', async () => {
    auth.registerRefreshToken({
      ...OAUTH,
      refreshToken: 'rt-testing',
      email: 'ops@example.com',
      scopes: [GOOGLE_SCOPES.sheets],
      publishing: 'testing',
    });
    const id = sheets.createSpreadsheet({ title: 'Leads', tabs: { Leads: [['Name'], ['Ada']] } });
    // Each day Baton starts afresh (a restart, or the hour-long access token ran out): a refresh.
    expect((await signedIn('rt-testing').read(id, "'Leads'!A2")).values).toEqual([['Ada']]);
    clock.advance(6 * DAY);
    expect((await signedIn('rt-testing').read(id, "'Leads'!A2")).values).toEqual([['Ada']]);

    clock.advance(DAY);
    const before = auth.tokenRequests;
    const err = await signedIn('rt-testing')
      .read(id, "'Leads'!A2")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GoogleSignInError);
    expect(err).toBeInstanceOf(AuthError);
    const failure = err as GoogleSignInError;
    expect(failure.oauthError).toBe('invalid_grant');
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(
      /^Google refused GOOGLE_REFRESH_TOKEN \(invalid_grant: Token has been expired or revoked\.\) — run `baton auth google`/,
    );
    expect(failure.message).toContain('every 7 days, your OAuth app is in "Testing"');
    expect(failure.message).toContain('Publish app');
    expect(failure.message).not.toContain('rt-testing');
    expect(auth.tokenRequests - before).toBe(1); // refused once, not retried
  });

  it('keeps a published app’s sign-in working a month later', async () => {
    auth.registerRefreshToken({
      ...PUBLISHED,
      refreshToken: 'rt-prod',
      email: 'ops@example.com',
      scopes: [GOOGLE_SCOPES.sheets],
      publishing: 'in production',
    });
    const id = sheets.createSpreadsheet({ title: 'Leads', tabs: { Leads: [['Name'], ['Bo']] } });
    clock.advance(30 * DAY);
    expect((await signedIn('rt-prod', PUBLISHED).read(id, "'Leads'!A2")).values).toEqual([['Bo']]);
  });
});
