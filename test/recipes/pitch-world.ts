// A Baton running the pitch recipe against a fresh emulated world, driven one cycle at a time the
// way cron drives `baton run pitch --once`.
import { buildPitch, type PitchTuning } from '../../recipes/pitch/setup.ts';
import type { RecipeCoordination } from '../../recipes/shared/coordination.ts';
import { type Clock, systemClock } from '../../src/clock.ts';
import type { LlmSpend } from '../../src/llm/index.ts';
import { type Logger, silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import { createWorld, type EmulatedWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import type { PollGate } from '../../src/triggers/index.ts';

export const FAST: PitchTuning = {
  limits: 'relaxed',
  retry: { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20 },
  claimSettleMs: 0,
};

/**
 * Gmail's search lags fresh writes by seconds (EmailEngine's Gmail client works around it); every
 * pitch test runs with a lag, so a lookup that trusts `q` alone fails here before it fails a user.
 */
export const GMAIL_SEARCH_LAG_MS = 3000;

export function pitchWorld(): EmulatedWorld {
  const world = createWorld({ limits: 'relaxed' });
  world.gmail.searchLagMs = GMAIL_SEARCH_LAG_MS;
  return world;
}

/** A Baton process over `dataDir` with the pitch recipe; call `runOnce()` for each cron cycle. */
export async function pitchBaton(
  world: EmulatedWorld,
  dataDir: string,
  options: {
    env?: Record<string, string>;
    tuning?: PitchTuning;
    log?: Logger;
    /** A simulated clock (the world's); the wall clock by default. */
    clock?: Clock;
    /** The process's LLM ledger (see `openLlmSpend`). */
    llmSpend?: LlmSpend;
    concurrency?: number;
    /** Scale-out: the group's poll gate and shared counters (src/scale `openCoordination`). */
    scale?: { pollGate: PollGate; recipes: RecipeCoordination };
  } = {},
): Promise<Baton> {
  const log = options.log ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const recipe = buildPitch(
    {
      env: { ...world.env, ...options.env },
      log,
      clock,
      // As the CLI does: the day's send count and do-not-contact.json live in the data folder.
      dataDir,
      ...(options.llmSpend ? { llmSpend: options.llmSpend } : {}),
      ...(options.scale ? { coordination: options.scale.recipes } : {}),
    },
    { ...FAST, ...options.tuning },
  );
  const baton = new Baton({
    store: new FileStore({ dir: dataDir, log }),
    recipes: [recipe],
    log,
    clock,
    onceRetryHorizonMs: 5000,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.scale ? { pollGate: options.scale.pollGate } : {}),
  });
  await baton.open();
  return baton;
}

export function statuses(world: EmulatedWorld): Record<string, string> {
  const out: Record<string, string> = {};
  for (const row of world.sheets.rowsAsRecords(world.spreadsheetId, 'Leads'))
    out[row.Email ?? ''] = row.Status ?? '';
  return out;
}
