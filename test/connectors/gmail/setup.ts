// One Gmail emulator per test file, a signed-in mailbox, and GmailClients with fast retries.
import { beforeEach } from 'vitest';
import { GmailClient, type GmailClientOptions } from '../../../connectors/gmail/index.ts';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../../connectors/google/index.ts';
import { GmailEmulator } from '../../../src/sandbox/gmail/index.ts';
import { GoogleAuthEmulator } from '../../../src/sandbox/google/auth.ts';
import { useEmulators } from '../../support/msw.ts';

export const OWNER = 'zoe@acme.test';
export const LEAD = 'lead@example.com';

const FAST = { limit: 1000, intervalMs: 1000 };

export function gmailSandbox() {
  const auth = new GoogleAuthEmulator();
  const emulator = new GmailEmulator({ auth });
  useEmulators(auth.handlers(), emulator.handlers());
  auth.registerRefreshToken({
    clientId: 'baton-client',
    clientSecret: 'baton-secret',
    refreshToken: 'rt-zoe',
    email: OWNER,
    scopes: [GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead],
  });

  beforeEach(() => {
    emulator.reset();
    emulator.faults.clear();
    emulator.requests.clear();
    emulator.faultsAfterHandling(undefined);
    emulator.setMailbox(OWNER);
  });

  /** A client as a recipe gets it; build it inside a test (after msw listens). */
  const client = (overrides: Partial<GmailClientOptions> & { refreshToken?: string } = {}) => {
    const { refreshToken = 'rt-zoe', ...options } = overrides;
    return new GmailClient({
      auth: createGoogleAuth(
        { kind: 'oauth', clientId: 'baton-client', clientSecret: 'baton-secret', refreshToken },
        [GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead],
      ),
      sender: { name: 'Zoë from Acme', email: OWNER },
      initialDelayMs: 5,
      maxDelayMs: 40,
      limits: { read: FAST, write: FAST, send: FAST },
      ...options,
    });
  };

  return { auth, emulator, client };
}
