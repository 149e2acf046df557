// Starts msw for a test file with the given emulator handlers; any other request fails the test.
import type { RequestHandler } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';

/**
 * Intercepts the network for this test file. Build SDK clients after this runs (inside tests or
 * beforeAll), never at module load: some SDKs capture `fetch` when constructed.
 */
export function useEmulators(...handlers: (RequestHandler | RequestHandler[])[]): SetupServer {
  const server = setupServer(...handlers.flat());
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  return server;
}
