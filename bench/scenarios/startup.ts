// Start-up and idle memory: the measured Baton (lib/baton-process.ts: compiled, every shipped recipe
// the sandbox world's environment configures) in a fresh child process, against the emulators served
// from this process; time from spawning it until every trigger has polled once, and its RSS a moment
// later with no work. Then the same with 10,000 finished runs in the data folder, written into `runs/`
// as an older Baton left them: once as found (the first start after an upgrade, which moves them to
// `finished/` and builds the run index) and once after; and once with the pitch recipe alone, for what
// one recipe costs at rest. Real time, real RSS.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { type BatonChild, startBatonChild } from '../lib/baton-child.ts';
import { type Figures, runScenario } from '../lib/cli.ts';
import { mb } from '../lib/system.ts';

/** Finished runs in the data folder for the second figure (--quick: 1,000, indicative only). */
const FINISHED_RUNS = 10_000;
const FINISHED_RUNS_QUICK = 1000;

interface Start {
  ms: number;
  sinceProcessStartMs: number;
  rss: number;
  heapUsed: number;
  recipes: string[];
  runs: BatonChild['runs'];
  phases: BatonChild['phases'];
}

async function startOnce(env: Record<string, string>, url: string, dataDir: string): Promise<Start> {
  const child = await startBatonChild({ env: { ...env, BATON_DATA_DIR: dataDir }, emulatorsUrl: url });
  await child.stop();
  return {
    ms: child.firstPollMs,
    sinceProcessStartMs: child.firstPollSinceProcessStartMs,
    rss: child.idle.rss,
    heapUsed: child.idle.heapUsed,
    recipes: child.recipes,
    runs: child.runs,
    phases: child.phases,
  };
}

/**
 * `count` finished pitch runs as the engine writes them (a journal of nine steps, ~3 KB a file),
 * finished an hour ago: inside the retention, so nothing is archived at start-up.
 */
function writeFinishedRuns(dataDir: string, count: number): void {
  const runs = join(dataDir, 'runs');
  mkdirSync(runs, { recursive: true });
  const at = Date.now() - 3_600_000;
  const steps = ['write-pitch', 'audit', 'create-draft', 'status-drafted', 'review-card', 'review', 'send'];
  for (let i = 0; i < count; i++) {
    const id = `r${(at - i).toString(36)}-${i.toString(16).padStart(6, '0')}`;
    const record = {
      version: 1,
      id,
      recipe: 'pitch',
      itemKey: `sheet:row-${i}`,
      input: { rowKey: `lead${i}@client${i}.example`, rowNumber: i + 2, values: { Name: `Lead ${i}` } },
      status: 'done',
      createdAt: at - 600_000,
      updatedAt: at,
      executions: 2,
      journal: steps.map((step, n) => ({
        id: step,
        kind: 'step',
        status: 'done',
        value: { text: 'A short pitch about fewer spreadsheets for a small bakery. '.repeat(5), n },
        attempts: 1,
        startedAt: at - 600_000 + n * 1000,
        endedAt: at - 600_000 + n * 1000 + 500,
      })),
      inbox: [],
      output: 'sent',
    };
    writeFileSync(join(runs, `${id}.json`), JSON.stringify(record));
  }
}

/**
 * What the sandbox bridge (fetch and node's http/https swapped for ones that rewrite the URL) adds to a bare Node process's
 * RSS: the measured Baton carries it, a user's does not. Median of three fresh processes. Both load
 * node:http and node:https (on Node 24 that alone is ~15 MB) and touch `globalThis.fetch` (Node
 * loads undici on first access): a user's Baton loads them too, so they are not the bridge's cost.
 */
function bridgeCost(url: string, samples: number): number | undefined {
  const compiled = fileURLToPath(new URL('../../dist/src/sandbox/bridge.js', import.meta.url));
  if (!existsSync(compiled)) return undefined;
  const measure = (withBridge: boolean) =>
    Number(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `${withBridge ? `const { bridgeToEmulators } = await import(${JSON.stringify(compiled)}); bridgeToEmulators(${JSON.stringify(url)});` : ''}
           await import('node:http'); await import('node:https'); void globalThis.fetch;
           await new Promise((r) => setTimeout(r, 300)); process.stdout.write(String(process.memoryUsage().rss));`,
        ],
        { encoding: 'utf8' },
      ),
    );
  const deltas = Array.from({ length: samples }, () => measure(true) - measure(false)).sort((a, b) => a - b);
  return deltas[Math.floor(samples / 2)];
}

runScenario(async ({ quick, modelLatencyMs }): Promise<Figures> => {
  const repeats = quick ? 1 : 3;
  const finishedRuns = quick ? FINISHED_RUNS_QUICK : FINISHED_RUNS;
  const world = createWorld({ limits: 'documented', modelLatencyMs });
  const server = await serveEmulators(world.handlers());
  const starts: Start[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'baton-bench-start-'));
  let withoutIndex!: Start;
  let withIndex!: Start;
  let bridge: number | undefined;
  let pitchOnly!: Start;
  try {
    for (let i = 0; i < repeats; i++)
      starts.push(await startOnce(world.env, server.url, join(scratch, `e${i}`)));
    const full = join(scratch, 'finished');
    writeFinishedRuns(full, finishedRuns);
    withoutIndex = await startOnce(world.env, server.url, full);
    withIndex = await startOnce(world.env, server.url, full);
    // What one recipe costs at rest, beside all six: the pitch alone (no Airtable, Notion or Drive).
    pitchOnly = await startOnce(
      { ...world.env, BENCH_ONLY_RECIPE: 'pitch' },
      server.url,
      join(scratch, 'pitch'),
    );
    bridge = bridgeCost(server.url, quick ? 1 : 3);
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const mid = <T>(xs: T[], key: (x: T) => number) =>
    [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;
  const typical = mid(starts, (s) => s.ms);
  const idle = mid(starts, (s) => s.rss);
  return {
    startup: {
      ms: Math.round(typical.ms),
      sinceProcessStartMs: Math.round(typical.sinceProcessStartMs),
      runsMs: starts.map((s) => Math.round(s.ms)),
      // The typical start's own clock (process start →): modules and recipes, Baton started (instance
      // announced on every source), the first trigger polled, every trigger polled.
      phasesMs: Object.fromEntries(Object.entries(typical.phases).map(([k, v]) => [k, Math.round(v)])),
      withFinishedRunsPhasesMs: Object.fromEntries(
        Object.entries(withIndex.phases).map(([k, v]) => [k, Math.round(v)]),
      ),
      finishedRuns,
      withFinishedRunsMs: Math.round(withIndex.ms),
      withFinishedRunsNoIndexMs: Math.round(withoutIndex.ms),
      process: typical.runs,
      timeBase: 'real (spawn of the child process → every trigger has polled once)',
    },
    memory: {
      idleRssMb: mb(idle.rss),
      idleHeapMb: mb(idle.heapUsed),
      // Included in idleRssMb; a user's Baton has no bridge (its SDKs talk to the services directly).
      bridgeRssMb: bridge === undefined ? null : mb(bridge),
      idlePitchOnlyRssMb: mb(pitchOnly.rss),
      recipes: idle.recipes,
      process: `${idle.runs}: a separate Baton process (baton start as the CLI builds it) reaching the emulators through the sandbox bridge`,
    },
  };
});
