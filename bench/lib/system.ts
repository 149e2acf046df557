// The system under test: an emulated world at its documented limits, msw routing the real SDKs to it,
// and a Baton with the pitch recipe and a FileStore in a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { buildPitch, type PitchTuning } from '../../recipes/pitch/setup.ts';
import type { Recipe } from '../../src/engine/index.ts';
import { createLogger, silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import { createWorld, type EmulatedWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';

export const DEFAULT_MODEL_LATENCY_MS = 1500;

export interface SystemOptions {
  modelLatencyMs: number;
  /** Baton's poll interval (default 60 s, as `baton start` without BATON_POLL_INTERVAL). */
  pollIntervalMs?: number;
  tuning?: PitchTuning;
  /** Called with the recipe before Baton is built (to observe its triggers). */
  inspect?: (recipe: Recipe) => void;
}

export interface BenchSystem {
  world: EmulatedWorld;
  baton: Baton;
  recipe: Recipe;
  /** Model calls that can run at once: the smaller of the recipe's and the engine's concurrency. */
  modelConcurrency: number;
  /** Stops the interception and deletes the data folder (stop Baton first). */
  dispose(): void;
}

export async function startSystem(options: SystemOptions): Promise<BenchSystem> {
  const world = createWorld({ limits: 'documented', modelLatencyMs: options.modelLatencyMs });
  const server = setupServer(...world.handlers());
  server.listen({ onUnhandledRequest: 'error' });
  // Clients are built after listen: some SDKs capture fetch when constructed.
  const log = process.env.BENCH_LOG
    ? createLogger({ level: process.env.BENCH_LOG, pretty: false })
    : silentLogger;
  const recipe = buildPitch(
    { env: world.env, log, clock: world.clock },
    { limits: 'documented', ...options.tuning },
  );
  options.inspect?.(recipe);
  const dir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const engineConcurrency = 4; // BATON_CONCURRENCY default
  const baton = new Baton({
    store: new FileStore({ dir, log }),
    recipes: [recipe],
    log,
    clock: world.clock,
    pollIntervalMs: options.pollIntervalMs ?? 60_000,
    concurrency: engineConcurrency,
  });
  await baton.open();
  return {
    world,
    baton,
    recipe,
    modelConcurrency: Math.min(recipe.concurrency ?? engineConcurrency, engineConcurrency),
    dispose() {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Lead number `i`, as a person would type it. */
export function lead(i: number): Record<string, string> {
  return {
    Name: `Lead ${i}`,
    Email: `lead${i}@client${i}.example`,
    Company: `Client ${i} Ltd`,
    Website: `https://client${i}.example`,
    Notes: i % 2 === 0 ? 'Runs a bakery with two shops' : 'Wants fewer spreadsheets',
  };
}

/** Status of every lead row, by email. */
export function statusByEmail(world: EmulatedWorld): Map<string, string> {
  const out = new Map<string, string>();
  for (const row of world.sheets.rowsAsRecords(world.spreadsheetId, 'Leads'))
    out.set(row.Email ?? '', row.Status ?? '');
  return out;
}

/** Empties every emulator's request log (they keep at most 5,000 entries each). */
export function clearRequestLogs(world: EmulatedWorld): void {
  for (const e of [world.sheets, world.gmail, world.trello, world.openai]) e.requests.clear();
}

export const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
