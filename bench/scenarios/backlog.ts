// Backlog throughput and memory: 300 rows already in the sheet, time until every row is `In review`,
// beside the lower bound the documented limits and the model latency allow; then two more backlogs in
// the same process to show memory does not grow. Simulated time (limits, retries, model latency,
// polls), bound in the same; real RSS.
import { performance } from 'node:perf_hooks';
import { type Figures, runScenario } from '../lib/cli.ts';
import { installSimTime } from '../lib/sim-time.ts';
import { type BenchSystem, clearRequestLogs, lead, mb, startSystem, statusByEmail } from '../lib/system.ts';
import { lowerBound, type Traffic, trafficBetween } from '../lib/traffic.ts';

const IN_REVIEW = 'In review';
const REPEATS = 3;

interface Round {
  seconds: number;
  wallSeconds: number;
  notInReview: number;
  rssAfter: number;
  heapAfter: number;
  heapTotalAfter: number;
  externalAfter: number;
}

runScenario(async ({ quick, modelLatencyMs }): Promise<Figures> => {
  const rows = quick ? 30 : 300;
  const sim = installSimTime();
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  /** Memory once the process is quiet: garbage collected, a real second for V8 to give pages back. */
  const settled = async () => {
    gc();
    await sim.realSleep(1000);
    gc();
    return process.memoryUsage();
  };

  let system: BenchSystem | undefined = await startSystem({ modelLatencyMs });
  const { world, modelConcurrency } = system;
  const baseline = (await settled()).rss;
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };

  const rounds: Round[] = [];
  let traffic: Traffic | undefined;
  for (let round = 0; round < REPEATS; round++) {
    const emails: string[] = [];
    for (let i = 1; i <= rows; i++) {
      const row = lead(round * rows + i);
      world.addLead(row);
      emails.push(row.Email ?? '');
    }
    clearRequestLogs(world); // the logs keep 5,000 entries each: count one backlog at a time
    const from = sim.now();
    const wallFrom = performance.now();
    if (round === 0) system.baton.start();
    else system.baton.pollSoon();
    let notInReview = rows;
    const done = () => {
      const statuses = statusByEmail(world);
      notInReview = emails.filter((e) => statuses.get(e) !== IN_REVIEW).length;
      return notInReview === 0;
    };
    await sim.runUntil(done, { maxSimMs: 6 * 3_600_000, onTurn: sample });
    const to = sim.now();
    const wallSeconds = (performance.now() - wallFrom) / 1000;
    traffic ??= trafficBetween(world, from, to);
    const after = await settled();
    rounds.push({
      seconds: (to - from) / 1000,
      wallSeconds,
      notInReview,
      rssAfter: after.rss,
      heapAfter: after.heapUsed,
      heapTotalAfter: after.heapTotal,
      externalAfter: after.external,
    });
  }

  // What Baton itself holds after the backlogs (every run waiting for review): the heap it frees.
  await sim.settle(system.baton.stop());
  const dispose = system.dispose;
  const heapWithBaton = rounds[rounds.length - 1]!.heapAfter;
  system = undefined;
  const heapWithoutBaton = (await settled()).heapUsed;
  dispose();
  sim.uninstall();

  const first = rounds[0]!;
  const bound = lowerBound(traffic!, { concurrency: modelConcurrency, latencyMs: modelLatencyMs });
  const boundSeconds = bound.ms / 1000;
  const tenth = (n: number) => Math.round(n * 10) / 10;
  const afterRss = rounds.map((r) => mb(r.rssAfter));
  const afterHeap = rounds.map((r) => mb(r.heapAfter));
  return {
    backlog: {
      rows,
      seconds: first.seconds,
      boundSeconds,
      ratio: first.seconds > 0 ? Math.round((boundSeconds / first.seconds) * 1000) / 1000 : 0,
      boundBy: bound.by,
      boundTerms: bound.terms,
      traffic,
      rowsNotInReview: first.notInReview,
      modelLatencyMs,
      modelConcurrency,
      wallSeconds: tenth(first.wallSeconds),
      repeats: rounds.map((r) => ({
        seconds: r.seconds,
        wallSeconds: tenth(r.wallSeconds),
        notInReview: r.notInReview,
      })),
      simulationStalls: sim.stalls,
      timeBase: 'simulated: rate limits, retries, model latency and polls on a fake clock; bound in the same',
    },
    memory: {
      baselineRssMb: mb(baseline),
      peakRssMb: mb(peak),
      afterRssMb: afterRss[afterRss.length - 1] ?? 0,
      afterRssMbByRepeat: afterRss,
      afterHeapMbByRepeat: afterHeap,
      afterHeapTotalMbByRepeat: rounds.map((r) => mb(r.heapTotalAfter)),
      afterExternalMbByRepeat: rounds.map((r) => mb(r.externalAfter)),
      growthMb: tenth((afterRss[afterRss.length - 1] ?? 0) - (afterRss[0] ?? 0)),
      heapGrowthMb: tenth((afterHeap[afterHeap.length - 1] ?? 0) - (afterHeap[0] ?? 0)),
      batonHeapMb: mb(heapWithBaton - heapWithoutBaton),
      runsWaitingAtEnd: rows * REPEATS,
      timeBase:
        'real RSS, sampled at every simulated-time step; "after" once garbage-collected and quiet 1 s',
    },
  };
});
