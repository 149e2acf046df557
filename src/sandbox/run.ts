// The zero-account sandbox (`baton sandbox`, and `npm start` with no credentials): an emulated world
// with demo leads, served on 127.0.0.1 together with a page showing it, and a real Baton running the
// pitch, leads, pathway, sequence, content and newsletter recipes against it, on a clock the page can move ahead.
//
// How the real SDKs reach the emulators: through the bridge (bridge.ts), which swaps global fetch and
// node's http/https request/get for ones that rewrite an emulated host's URL to the emulator server,
// not through their base-URL options. trello.js v1 cannot change its host; one bridge covers every SDK
// the same way; and any request to a host that is not emulated fails (502) instead of leaving the machine.
import { createServer } from 'node:net';
import { buildContent } from '../../recipes/content/setup.ts';
import { buildLeads } from '../../recipes/leads/setup.ts';
import { buildNewsletter } from '../../recipes/newsletter/setup.ts';
import { buildPathway } from '../../recipes/pathway/setup.ts';
import { buildPitch } from '../../recipes/pitch/setup.ts';
import { buildSequence } from '../../recipes/sequence/setup.ts';
import { sharedServices } from '../../recipes/shared/services.ts';
import { BatonError } from '../engine/index.ts';
import { type Logger, silentLogger } from '../log.ts';
import { Baton } from '../runtime/index.ts';
import { FileStore } from '../store/index.ts';
import { sandboxBanner } from './banner.ts';
import { bridgeToEmulators, EMULATED_HOSTS } from './bridge.ts';
import { prepareSandboxFolder } from './data-folder.ts';
import { DECK_TEMPLATE, seedDemo } from './demo.ts';
import { makeDemoVideo } from './demo-video.ts';
import { serveEmulators } from './server.ts';
import { TravelClock } from './travel-clock.ts';
import { sandboxApp } from './web/index.ts';
import { demoSites } from './websites/index.ts';
import { createWorld, type EmulatedWorld } from './world.ts';

export const SANDBOX_PORT = 8787;
export const SANDBOX_DATA_DIR = './data/sandbox';

export interface SandboxOptions {
  /** Port on 127.0.0.1 for the page and the emulators (default 8787; 0 picks a free one). */
  port?: number;
  /** Where the sandbox's runs live (default ./data/sandbox; emptied at start, see data-folder.ts). */
  dataDir?: string;
  log?: Logger;
  /** How often the triggers poll (default 5 s; the page's "Poll now" does not wait for it). */
  pollIntervalMs?: number;
  /** Type the demo leads into the sheet and the Airtable table (default true). */
  seed?: boolean;
  /** Where the banner goes (default stdout); pass `() => {}` to print nothing. */
  print?: (text: string) => void;
}

export interface Sandbox {
  /** The page, e.g. http://127.0.0.1:8787 */
  url: string;
  baton: Baton;
  world: EmulatedWorld;
  /** The clock the world and Baton share; the page's "Advance the clock 48 h" moves it. */
  clock: TravelClock;
  /** Stops Baton (running steps finish first), the bridge and the server. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the sandbox and prints its banner.
 * @throws BatonError when the port is taken or the data folder is not a sandbox's;
 *   DataFolderLockedError when another Baton uses the data folder.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? silentLogger;
  const dataDir = options.dataDir ?? SANDBOX_DATA_DIR;
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  await prepareSandboxFolder(dataDir);
  const port = options.port ?? SANDBOX_PORT;
  if (port !== 0) await assertPortFree(port);

  const clock = new TravelClock();
  const world = createWorld({ limits: 'documented', clock });
  // One env object for every recipe: clients are shared per env object (recipes/shared/services.ts).
  // LEADS_BACKFILL: the data folder is emptied at each start, so every start is the leads trigger's
  // "first enable"; the demo records typed in before it would otherwise be ignored as old.
  const env: Record<string, string> = {
    ...world.env,
    LEADS_BACKFILL: 'true',
    LEADS_DECK_TEMPLATE_ID: world.slides.createPresentation(DECK_TEMPLATE),
  };
  if (options.seed ?? true) seedDemo(world);
  // Made now, while the sandbox starts; the page's upload button waits for it (and says why it failed).
  const demoVideo = makeDemoVideo(dataDir, env.FFMPEG_PATH?.trim() || undefined);
  demoVideo.catch((err: unknown) =>
    log.warn({ err: (err as Error).message }, 'the demo video could not be made (FFMPEG_PATH)'),
  );
  let page: ReturnType<typeof sandboxApp> | undefined;
  const server = await serveEmulators(world.handlers(), {
    port,
    fallback: (request) =>
      page?.fetch(request) ??
      new Response('The sandbox is starting', { status: 503, headers: { 'retry-after': '1' } }),
  });
  // The demo company websites too: the leads recipe reads them.
  const bridge = bridgeToEmulators(server.url, [...EMULATED_HOSTS, ...Object.keys(demoSites)]);
  let baton: Baton | undefined;
  const stopAll = async () => {
    await baton?.stop();
    bridge.close();
    await server.close();
  };
  try {
    // SDK clients are built after the bridge starts: some capture fetch when constructed.
    // No dataDir for the shared services: with it the Airtable monthly budget (a Free plan's 1,000
    // calls) would pace the sandbox's polls to minutes.
    const environment = { env, log, clock };
    // The same tuning for both: the first recipe built makes the shared clients and triggers.
    const tuning = { pollIntervalMs, claimSettleMs: 200, reconcileEveryMs: 60_000 };
    const pitch = buildPitch(environment, tuning);
    const leads = buildLeads(environment, { ...tuning, websiteLookup: world.websites.lookup });
    const pathway = buildPathway(environment, tuning);
    // Nurture leads get the sample sequences (SEQUENCES_FILE in the world's env).
    const sequence = buildSequence(environment, { ...tuning, backfill: true });
    // The demo video (the page's upload button) → posts to review → the LinkedIn emulator.
    // backfill: the folder is empty at each start, so a video uploaded before the first poll is new.
    // dataDir: the content recipe keeps its downloads and its slot ledger in the sandbox's folder.
    const content = buildContent({ ...environment, dataDir }, { ...tuning, backfill: true });
    // Weekly to the Newsletter view; the page's "Send this week's newsletter now" moves the clock to it.
    const newsletter = buildNewsletter(environment, tuning);
    baton = new Baton({
      store: new FileStore({ dir: dataDir, log }),
      recipes: [pitch, leads, pathway, sequence, content, newsletter],
      clock,
      log,
      pollIntervalMs,
    });
    await baton.open();
    baton.start();
    const running = baton;
    clock.onAdvance(() => {
      // Google's client library judges its access token by the wall clock, which the jump does not
      // move; a token an hour old is stale after 48 h, as it would be had the time really passed.
      // (A request in flight across the jump gets a 401, and the client's one retry with a new token.)
      const google = sharedServices(environment).googleAuth();
      google.setCredentials({ ...google.credentials, expiry_date: 1 });
      // Waits due by the new time start now, and the pollers look at once.
      running.engine.kick();
      running.pollSoon();
    });
    page = sandboxApp({
      world,
      baton,
      clock,
      tab: world.env.PITCH_SHEET_TAB ?? 'Leads',
      deckTemplate: env.LEADS_DECK_TEMPLATE_ID,
      demoVideo: () => demoVideo,
      log,
    });
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }
  (options.print ?? ((text) => process.stdout.write(`${text}\n`)))(sandboxBanner(server.url, dataDir));
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    baton,
    world,
    clock,
    stop: () => {
      stopped ??= stopAll();
      return stopped;
    },
  };
}

/** serveEmulators cannot report a taken port itself, so ask the system first. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new BatonError(`Port ${port} on 127.0.0.1 is already in use`, {
              hint: 'stop what uses it, or pick another port: baton sandbox --port 8788',
            })
          : err,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
