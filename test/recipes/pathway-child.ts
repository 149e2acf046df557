// A pathway Baton in a child process over a data folder, reaching emulators the test serves: for the
// tests that SIGKILL it and start it again, as a crash on a VPS would.
import type { EmulatorServer } from '../../src/sandbox/server.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import type { LeadsWorld } from './leads-world.ts';

const WORKER = 'test/fixtures/pathway-worker.ts';
/** A long-running Baton may poll Airtable every second (the call budget allows it). */
const RUNNING = { AIRTABLE_POLL_INTERVAL: '1s', AIRTABLE_MONTHLY_CALLS: '100000000' };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `done()` is true; rejects after `ms`. */
export async function until(done: () => boolean, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

export type PathwayChild = Awaited<ReturnType<typeof startPathwayWorker>>;

/** A Baton child over `dir`, reaching the emulators at `server`; resolves once it has started. */
export async function startPathwayWorker(
  server: Pick<EmulatorServer, 'url'>,
  dir: string,
  world: LeadsWorld,
  env: Record<string, string> = {},
) {
  const child = spawnTs(WORKER, [server.url, dir], {
    PATHWAY_ENV: JSON.stringify({ ...world.env, ...RUNNING, ...env }),
  });
  const done = finished(child);
  await printed(child, 'started');
  return { child, done };
}
