// Latency: one row appended to a quiet system polling every second; time from the append to the
// Gmail draft being created, minus the model latency of the calls before it. p50 over several samples.
// Simulated time, after a warm-up row and a minute of idle polling (the Sheets read window's steady state).
import { performance } from 'node:perf_hooks';
import { type Figures, runScenario } from '../lib/cli.ts';
import { installSimTime } from '../lib/sim-time.ts';
import { lead, startSystem, statusByEmail } from '../lib/system.ts';

const POLL_INTERVAL_MS = 1000;
const WARM_UP_MS = 70_000;
/** Between samples: a minute, so each append meets a read window holding only idle polls. */
const QUIET_GAP_MS = 60_000;

/** Deterministic phases for the appends (mulberry32), so two runs sample the same moments. */
function phases(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
};

runScenario(async ({ quick, modelLatencyMs }): Promise<Figures> => {
  const samples = quick ? 3 : 11;
  const sim = installSimTime();
  const system = await startSystem({ modelLatencyMs, pollIntervalMs: POLL_INTERVAL_MS });
  const { world, baton } = system;
  const phase = phases(7);
  baton.start();
  // Warm-up: one row through (it adds the Status and run columns), then a minute of idle polling.
  const first = lead(0);
  world.addLead(first);
  await sim.runUntil(() => statusByEmail(world).get(first.Email ?? '') === 'In review', {
    maxSimMs: 600_000,
  });
  await sim.runUntil(() => false, { maxSimMs: WARM_UP_MS });

  const latencies: number[] = [];
  const processing: number[] = [];
  for (let i = 1; i <= samples; i++) {
    await sim.settle(sim.sleep(Math.floor(phase() * POLL_INTERVAL_MS)));
    const row = lead(i);
    world.addLead(row);
    const appendedAt = sim.now();
    const wallFrom = performance.now();
    const drafted = () =>
      world.gmail.requests
        .all()
        .find(
          (r) => r.method === 'POST' && /\/drafts$/.test(r.path) && r.status === 200 && r.at >= appendedAt,
        );
    await sim.runUntil(() => drafted() !== undefined, { maxSimMs: 600_000 });
    const draftAt = drafted()?.at;
    if (draftAt === undefined) throw new Error(`no draft for ${row.Email} within 10 simulated minutes`);
    processing.push(performance.now() - wallFrom);
    const modelCalls = world.openai.requests
      .all()
      .filter((r) => r.method === 'POST' && r.status === 200 && r.at >= appendedAt && r.at <= draftAt).length;
    latencies.push(draftAt - appendedAt - modelCalls * modelLatencyMs);
    // Back to quiet: the run reaches review, then a minute of idle polls.
    await sim.runUntil(() => statusByEmail(world).get(row.Email ?? '') === 'In review', {
      maxSimMs: 600_000,
    });
    await sim.runUntil(() => false, { maxSimMs: QUIET_GAP_MS });
  }
  await sim.settle(baton.stop());
  system.dispose();
  sim.uninstall();

  return {
    latency: {
      p50Ms: percentile(latencies, 50),
      p90Ms: percentile(latencies, 90),
      samplesMs: latencies,
      pollIntervalMs: POLL_INTERVAL_MS,
      modelLatencyMs,
      processingP50Ms: Math.round(percentile(processing, 50)),
      simulationStalls: sim.stalls,
      timeBase:
        'simulated (waits, rate limits, model latency); processingP50Ms is the real time the same steps took, not included',
    },
  };
});
