// Shared setup for the Drive connector tests: emulators, credentials, a fast client, a memory cursor.

import { DRIVE_FILE_SCOPE, DriveClient, type DriveClientOptions } from '../../../connectors/drive/index.ts';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../../connectors/google/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { DriveEmulator } from '../../../src/sandbox/drive/index.ts';
import { GoogleAuthEmulator } from '../../../src/sandbox/google/auth.ts';

export const OWNER = 'studio@example.com';
const OAUTH = { clientId: 'client-1', clientSecret: 'secret-1' };

export function driveWorld() {
  const clock = new ManualClock();
  const auth = new GoogleAuthEmulator(clock);
  const emulator = new DriveEmulator({ auth, clock, owner: OWNER, requestsPerMinute: 100_000 });
  auth.registerRefreshToken({
    ...OAUTH,
    refreshToken: 'rt-baton',
    email: OWNER,
    scopes: [GOOGLE_SCOPES.drive, DRIVE_FILE_SCOPE],
  });
  auth.registerRefreshToken({
    ...OAUTH,
    refreshToken: 'rt-readonly',
    email: OWNER,
    scopes: [GOOGLE_SCOPES.drive],
  });
  auth.registerRefreshToken({
    ...OAUTH,
    refreshToken: 'rt-outsider',
    email: 'outsider@example.com',
    scopes: [],
  });

  /** A client with fast retries and generous budgets, unless a test overrides them. */
  const client = (overrides: Partial<DriveClientOptions> & { refreshToken?: string } = {}) => {
    const { refreshToken = 'rt-baton', ...rest } = overrides;
    return new DriveClient({
      auth: createGoogleAuth({ kind: 'oauth', ...OAUTH, refreshToken }, [
        GOOGLE_SCOPES.drive,
        DRIVE_FILE_SCOPE,
      ]),
      limits: { read: { limit: 1000, intervalMs: 1000 }, write: { limit: 1000, intervalMs: 1000 } },
      policy: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
      configHints: { folder: 'CONTENT_DRIVE_FOLDER' },
      ...rest,
    });
  };

  return { clock, auth, emulator, client };
}

export { memoryCursor, pollContext } from '../../support/poll-context.ts';
