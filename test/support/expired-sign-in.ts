// A Google sign-in that has run out: the world's OAuth app in "Testing", its token issued 8 days ago.

import type { GoogleAuthEmulator } from '../../src/sandbox/google/auth.ts';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.ts';

/**
 * Registers `refreshToken` for the sandbox OAuth client as issued 8 days ago while the app was in
 * Testing, so Google answers `invalid_grant`. Call `restore()` after the test to publish the app again.
 */
export function weekOldTestingToken(auth: GoogleAuthEmulator, refreshToken = 'token-from-last-week') {
  const c = SANDBOX_CREDENTIALS;
  auth.registerRefreshToken({
    clientId: c.googleClientId,
    clientSecret: c.googleClientSecret,
    refreshToken,
    email: c.mailbox,
    publishing: 'testing',
    issuedAt: Date.now() - 8 * 24 * 3_600_000,
  });
  return { refreshToken, restore: () => auth.setPublishingStatus(c.googleClientId, 'in production') };
}
