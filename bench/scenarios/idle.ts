// Idle cost: a sheet of 1,000 and of 10,000 rows, all already processed; 30 poll cycles with nothing
// new. Requests and response bytes per poll of each trigger, counted from the emulators' logs.
// Simulated time (60 s poll interval, as `baton start` by default); the counts do not depend on it.
import { type Figures, runScenario } from '../lib/cli.ts';
import { installSimTime, type SimTime } from '../lib/sim-time.ts';
import { clearRequestLogs, lead, startSystem } from '../lib/system.ts';

interface PollCost {
  requests: number;
  bytes: number;
}

interface TriggerCost {
  trigger: string;
  polls: number;
  /** The typical idle poll. */
  medianRequests: number;
  medianBytes: number;
  /** Averaged over every poll, the periodic reconcile included. */
  meanRequests: number;
  meanBytes: number;
  /** The costliest poll (a reconcile), and how many polls cost more than the median. */
  maxRequests: number;
  maxBytes: number;
  reconciles: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};
const mean = (xs: number[]) =>
  xs.length === 0 ? 0 : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;

async function idleSheet(
  sim: SimTime,
  rows: number,
  cycles: number,
  modelLatencyMs: number,
): Promise<TriggerCost[]> {
  const costs = new Map<string, PollCost[]>();
  let measuring = false;
  const system = await startSystem({
    modelLatencyMs,
    inspect(recipe) {
      // Each trigger talks to one service: the growth of that service's log during a poll is its cost.
      for (const trigger of recipe.triggers) {
        const log = trigger.id.startsWith('sheets:')
          ? () => system.world.sheets.requests
          : () => system.world.trello.requests;
        const poll = trigger.poll.bind(trigger);
        trigger.poll = async (ctx) => {
          const before = log().all().length;
          const result = await poll(ctx);
          const fresh = log().all().slice(before);
          if (measuring) {
            const list = costs.get(trigger.id) ?? [];
            list.push({ requests: fresh.length, bytes: fresh.reduce((sum, r) => sum + r.bytes, 0) });
            costs.set(trigger.id, list);
          }
          return result;
        };
      }
    },
  });
  const { world, baton } = system;
  const tab = world.env.PITCH_SHEET_TAB ?? 'Leads';
  ['Status', 'Baton Run', 'Draft'].forEach((name, i) => {
    world.sheets.setCell(world.spreadsheetId, tab, `${String.fromCharCode(70 + i)}1`, name);
  });
  for (let i = 1; i <= rows; i++) {
    const row = lead(i);
    world.sheets.addRow(world.spreadsheetId, tab, [
      ...Object.values(row),
      'Sent 2026-01-05 09:00 UTC',
      `${row.Email}#${i.toString(16).padStart(8, '0')}`,
      `https://mail.google.com/mail/u/0/#drafts?compose=r-${i}`,
    ]);
  }
  baton.start();
  const polls = () => Math.min(...baton.pollerStates().map((s) => s.polls));
  await sim.runUntil(() => polls() >= 1); // start-up poll (a reconcile): not idle cost
  clearRequestLogs(world);
  measuring = true;
  await sim.runUntil(() => [...costs.values()].every((c) => c.length >= cycles) && costs.size === 2);
  measuring = false;
  await sim.settle(baton.stop());
  system.dispose();
  return [...costs.entries()].map(([trigger, list]) => {
    const polled = list.slice(0, cycles);
    const requests = polled.map((p) => p.requests);
    const bytes = polled.map((p) => p.bytes);
    return {
      trigger: trigger.split(':')[0] ?? trigger,
      polls: polled.length,
      medianRequests: median(requests),
      medianBytes: median(bytes),
      meanRequests: mean(requests),
      meanBytes: Math.round(mean(bytes)),
      maxRequests: Math.max(...requests),
      maxBytes: Math.max(...bytes),
      reconciles: requests.filter((r) => r > median(requests)).length,
    };
  });
}

runScenario(async ({ quick, modelLatencyMs }): Promise<Figures> => {
  const cycles = quick ? 10 : 30;
  const sizes = [1000, 10_000];
  const sim = installSimTime();
  const bySize: Record<string, TriggerCost[]> = {};
  for (const rows of sizes) bySize[rows] = await idleSheet(sim, rows, cycles, modelLatencyMs);
  sim.uninstall();
  const largest = bySize[sizes[sizes.length - 1]!] ?? [];
  return {
    idle: {
      cycles,
      pollIntervalMs: 60_000,
      requestsPerIdlePoll: Math.max(...largest.map((t) => t.medianRequests)),
      bytesPerIdlePoll: Math.max(...largest.map((t) => t.medianBytes)),
      meanRequestsPerIdlePoll: Math.max(...largest.map((t) => t.meanRequests)),
      bySize,
      timeBase: 'simulated (request and byte counts do not depend on it)',
    },
  };
});
