// Shared setup for the Sheets connector tests: emulators, credentials, a fast client, a memory cursor.
import { generateKeyPairSync } from 'node:crypto';
import { sheets } from '@googleapis/sheets';
import { http } from 'msw';
import type { SetupServer } from 'msw/node';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../../connectors/google/index.ts';
import { SheetsClient, type SheetsClientOptions } from '../../../connectors/sheets/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { GoogleAuthEmulator } from '../../../src/sandbox/google/auth.ts';
import { SheetsEmulator, type SheetsEmulatorOptions } from '../../../src/sandbox/sheets/index.ts';

export const USER = 'ops@example.com';
export const ROBOT = 'baton@project.iam.gserviceaccount.com';

const OAUTH = { clientId: 'client-1', clientSecret: 'secret-1', refreshToken: 'refresh-1' };

export function sheetsWorld(options: Partial<SheetsEmulatorOptions> = {}) {
  const clock = new ManualClock();
  const auth = new GoogleAuthEmulator(clock);
  const emulator = new SheetsEmulator({
    auth,
    clock,
    readsPerMinute: 10_000,
    writesPerMinute: 10_000,
    ...options,
  });
  auth.registerRefreshToken({ ...OAUTH, email: USER, scopes: [GOOGLE_SCOPES.sheets] });
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  auth.registerServiceAccount(ROBOT, keys.publicKey);

  /** A client with fast retries and generous budgets, unless a test overrides them. */
  const client = (overrides: Partial<SheetsClientOptions> = {}) =>
    new SheetsClient({
      auth: createGoogleAuth({ kind: 'oauth', ...OAUTH }, [GOOGLE_SCOPES.sheets]),
      limits: { read: { limit: 1000, intervalMs: 1000 }, write: { limit: 1000, intervalMs: 1000 } },
      policy: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 4 },
      configHints: { spreadsheet: 'PITCH_SHEET_ID', tab: 'PITCH_SHEET_TAB' },
      ...overrides,
    });

  /** The same, signed in as a service account (whose email Google errors can name). */
  const robotClient = (overrides: Partial<SheetsClientOptions> = {}) =>
    client({
      auth: createGoogleAuth({ kind: 'service-account', clientEmail: ROBOT, privateKey: keys.privateKey }, [
        GOOGLE_SCOPES.sheets,
      ]),
      ...overrides,
    });

  /** The raw SDK, for what a person does in the Sheets UI that the emulator has no shortcut for. */
  const api = () =>
    sheets({
      version: 'v4',
      auth: createGoogleAuth({ kind: 'oauth', ...OAUTH }, [GOOGLE_SCOPES.sheets]),
      retry: false,
    });

  return { clock, auth, emulator, client, robotClient, api };
}

/** Requests that read although they are POSTs. */
const POST_READS = /values:batchGetByDataFilter$|developerMetadata:search$/;

/**
 * Runs `edit` (what a person does in the Sheets UI) once, just before the next request that changes
 * the spreadsheet reaches the emulator: a row moving between Baton's read and its write.
 */
export function beforeNextWrite(server: SetupServer, edit: () => void): void {
  let armed = true;
  server.use(
    http.all(/^https:\/\/sheets\.googleapis\.com\//, ({ request }) => {
      const path = new URL(request.url).pathname;
      if (armed && request.method !== 'GET' && !POST_READS.test(path)) {
        armed = false;
        edit();
      }
      return undefined;
    }),
  );
}

export { memoryCursor, pollContext } from '../../support/poll-context.ts';
