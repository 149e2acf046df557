// Backlog throughput: 300 rows already in the sheet, time until every row is `In review`, beside the
// lower bound the documented limits and the model latency allow. Simulated time (limits, retries,
// model latency, polls), bound in the same. Baton's memory is measured in its own process instead
// (memory.ts): here it shares the process with the emulators.
import { performance } from 'node:perf_hooks';
import { type Figures, runScenario } from '../lib/cli.ts';
import { installSimTime } from '../lib/sim-time.ts';
import { type BenchSystem, clearRequestLogs, lead, startSystem, statusByEmail } from '../lib/system.ts';
import { lowerBound, type Traffic, trafficBetween } from '../lib/traffic.ts';

const IN_REVIEW = 'In review';
/** One backlog: the repeated ones, for memory growth, are memory.ts's. */
const REPEATS = 1;

interface Round {
  seconds: number;
  wallSeconds: number;
  notInReview: number;
}

runScenario(async ({ quick, modelLatencyMs }): Promise<Figures> => {
  const rows = quick ? 30 : 300;
  const sim = installSimTime();
  const system: BenchSystem = await startSystem({ modelLatencyMs });
  const { world, modelConcurrency } = system;

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
    await sim.runUntil(done, { maxSimMs: 6 * 3_600_000 });
    const to = sim.now();
    const wallSeconds = (performance.now() - wallFrom) / 1000;
    traffic ??= trafficBetween(world, from, to);
    rounds.push({ seconds: (to - from) / 1000, wallSeconds, notInReview });
  }
  await sim.settle(system.baton.stop());
  system.dispose();
  sim.uninstall();

  const first = rounds[0]!;
  const bound = lowerBound(traffic!, { concurrency: modelConcurrency, latencyMs: modelLatencyMs });
  const boundSeconds = bound.ms / 1000;
  const tenth = (n: number) => Math.round(n * 10) / 10;
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
  };
});
