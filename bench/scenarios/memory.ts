// Baton's own memory under load: the measured Baton (lib/baton-process.ts, compiled, every shipped
// recipe the world's environment configures) in its own process; the emulators and their state here,
// behind the sandbox's emulator server. Three backlogs of 300 rows (--quick: 10) in a row; the child's
// RSS sampled from /proc every 50 ms during the first (peak), and read after each once quiet.
// Real time, with the emulators' limits lifted and no model latency: Baton works as fast as it can,
// the hardest case for its heap (a real backlog at the documented limits takes ten minutes, see
// backlog.ts for that figure).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { type MemoryReading, startBatonChild } from '../lib/baton-child.ts';
import { type Figures, runScenario } from '../lib/cli.ts';
import { lead, mb, statusByEmail } from '../lib/system.ts';

const IN_REVIEW = 'In review';
const REPEATS = 3;
const SAMPLE_EVERY_MS = 50;
const QUIET_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

runScenario(async ({ quick }): Promise<Figures> => {
  // BENCH_MEMORY_ROWS: another backlog size, to try a change without the full 300 rows.
  const rows = Number(process.env.BENCH_MEMORY_ROWS) || (quick ? 10 : 300);
  const world = createWorld({ limits: 'relaxed' });
  const server = await serveEmulators(world.handlers());
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-memory-'));
  const child = await startBatonChild({
    // An hour between polls: the bench asks for each backlog's poll itself.
    env: { ...world.env, BATON_DATA_DIR: dataDir, BATON_POLL_INTERVAL: '1h', BENCH_RELAXED_LIMITS: '1' },
    emulatorsUrl: server.url,
    exposeGc: true,
  });
  /** Quiet, collected: what the process keeps. */
  const settled = async (): Promise<MemoryReading> => {
    await sleep(QUIET_MS);
    return child.memory(true);
  };
  try {
    const baseline = await settled();
    let peak = baseline.rss;
    const rounds: { wallSeconds: number; after: MemoryReading; peakRss: number }[] = [];
    for (let round = 0; round < REPEATS; round++) {
      const emails: string[] = [];
      for (let i = 1; i <= rows; i++) {
        const row = lead(round * rows + i);
        world.addLead(row);
        emails.push(row.Email ?? '');
      }
      let roundPeak = 0;
      const from = performance.now();
      child.pollSoon();
      for (;;) {
        roundPeak = Math.max(roundPeak, child.rss() ?? 0);
        const statuses = statusByEmail(world);
        if (emails.every((e) => statuses.get(e) === IN_REVIEW)) break;
        if (performance.now() - from > 15 * 60_000)
          throw new Error(`backlog ${round + 1} not in review within 15 min`);
        await sleep(SAMPLE_EVERY_MS);
      }
      const wallSeconds = (performance.now() - from) / 1000;
      if (round === 0) peak = Math.max(roundPeak, peak);
      rounds.push({ wallSeconds, after: await settled(), peakRss: roundPeak });
    }
    const highWater = child.peakRss();
    const after = rounds.map((r) => r.after);
    const afterRss = after.map((r) => mb(r.rss));
    const afterHeap = after.map((r) => mb(r.heapUsed));
    const tenth = (n: number) => Math.round(n * 10) / 10;
    const firstRss = after[0]?.rss ?? 0;
    const lastRss = after[after.length - 1]?.rss ?? 0;
    return {
      memory: {
        recipes: child.recipes,
        rows,
        baselineRssMb: mb(baseline.rss),
        peakRssMb: mb(peak),
        // VmHWM: the kernel's own peak, between our samples too (start-up included).
        peakRssHighWaterMb: highWater === undefined ? null : mb(highWater),
        peakRssMbByRepeat: rounds.map((r) => mb(r.peakRss)),
        afterRssMb: afterRss[afterRss.length - 1] ?? 0,
        afterRssMbByRepeat: afterRss,
        afterHeapMbByRepeat: afterHeap,
        afterHeapTotalMbByRepeat: after.map((r) => mb(r.heapTotal)),
        afterExternalMbByRepeat: after.map((r) => mb(r.external)),
        growthMb: tenth(mb(lastRss - firstRss)),
        growthPct: firstRss > 0 ? tenth(((lastRss - firstRss) / firstRss) * 100) : 0,
        heapGrowthMb: tenth((afterHeap[afterHeap.length - 1] ?? 0) - (afterHeap[0] ?? 0)),
        // Everything in the child's heap is Baton's: what the backlogs added to it, runs kept included.
        batonHeapMb: tenth(mb((after[after.length - 1]?.heapUsed ?? 0) - baseline.heapUsed)),
        runsWaitingAtEnd: rows * REPEATS,
        backlogWallSecondsByRepeat: rounds.map((r) => tenth(r.wallSeconds)),
        emulatorProcessRssMb: mb(process.memoryUsage().rss),
        process: `${child.runs}: a separate Baton process (baton start as the CLI builds it) reaching the emulators through the sandbox bridge`,
        timeBase:
          'real: RSS of the Baton process from /proc every 50 ms during the first backlog; "after" 1 s quiet, garbage collected; limits lifted, no model latency',
      },
    };
  } finally {
    await child.stop();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
