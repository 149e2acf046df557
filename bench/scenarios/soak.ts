// `npm run bench -- --soak 10m`: the measured Baton (lib/baton-process.ts, compiled, every shipped
// recipe the world's environment configures, the services' documented limits) in its own process for
// a real-time stretch: polls every 5 s, a lead typed into the sheet every 20 s, a reviewer approving
// each card half a minute after it appears (so runs finish and mail is sent, as in real use). Prints
// the child's RSS and heap every minute, then the RSS trend once warm. Not in CI; writes
// bench/results/soak.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ms from 'ms';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { startBatonChild } from '../lib/baton-child.ts';
import { DEFAULT_MODEL_LATENCY_MS, lead, mb, statusByEmail } from '../lib/system.ts';

const POLL_INTERVAL = '5s';
const LEAD_EVERY_MS = 20_000;
const REVIEW_AFTER_MS = 30_000;
const SAMPLE_EVERY_MS = 5000;
/** Warm once this share of the soak (at least two minutes) has passed. */
const WARM_SHARE = 0.3;
/** Growth over the warm part that still reads as flat: RSS wanders by a few MB with no work. */
const FLAT_MB = 5;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10m' },
    'model-latency-ms': { type: 'string', default: String(DEFAULT_MODEL_LATENCY_MS) },
  },
});
const durationMs = ms((values.duration ?? '10m') as ms.StringValue);
if (!Number.isFinite(durationMs) || durationMs < 60_000) {
  process.stderr.write(`--soak wants a duration of at least a minute (e.g. 10m), not '${values.duration}'\n`);
  process.exit(2);
}
const modelLatencyMs = Number(values['model-latency-ms']);

interface Sample {
  atMs: number;
  rssMb: number;
}

/** Least-squares slope of y over x (MB per ms here). */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

const world = createWorld({ limits: 'documented', modelLatencyMs });
const server = await serveEmulators(world.handlers());
const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-soak-'));
const child = await startBatonChild({
  env: { ...world.env, BATON_DATA_DIR: dataDir, BATON_POLL_INTERVAL: POLL_INTERVAL },
  emulatorsUrl: server.url,
});
process.stdout.write(
  `soak: ${ms(durationMs, { long: true })}, Baton pid ${child.pid} (${child.runs}), recipes ${child.recipes.join(', ')}; ` +
    `polls every ${POLL_INTERVAL}, a lead every ${LEAD_EVERY_MS / 1000} s, approved ${REVIEW_AFTER_MS / 1000} s after its card appears\n`,
);
process.stdout.write('minute  RSS MB  heap used MB  heap total MB  leads  in review  sent\n');

const started = Date.now();
const samples: Sample[] = [{ atMs: 0, rssMb: mb(child.rss() ?? child.idle.rss) }];
const minutes: Record<string, number>[] = [];
const emails: string[] = [];
const seenCards = new Map<string, number>();
let stopping = false;

const leads = setInterval(() => {
  const row = lead(emails.length + 1);
  world.addLead(row);
  emails.push(row.Email ?? '');
}, LEAD_EVERY_MS);
const reviewer = setInterval(() => {
  const now = Date.now();
  for (const card of world.trello.cards('Review')) {
    const seen = seenCards.get(card.id) ?? now;
    seenCards.set(card.id, seen);
    if (now - seen >= REVIEW_AFTER_MS) world.trello.moveCard(card.id, 'Approved');
  }
}, 5000);
const sampler = setInterval(() => {
  const rss = child.rss();
  if (rss !== undefined) samples.push({ atMs: Date.now() - started, rssMb: mb(rss) });
}, SAMPLE_EVERY_MS);

const counts = () => {
  const statuses = [...statusByEmail(world).values()];
  return {
    inReview: statuses.filter((s) => s === 'In review').length,
    sent: statuses.filter((s) => s.startsWith('Sent')).length,
  };
};

try {
  for (let minute = 1; minute * 60_000 <= durationMs && !stopping; minute++) {
    await new Promise((resolve) => setTimeout(resolve, started + minute * 60_000 - Date.now()));
    const m = await child.memory(false);
    const { inReview, sent } = counts();
    const line = {
      minute,
      rssMb: mb(m.rss),
      heapUsedMb: mb(m.heapUsed),
      heapTotalMb: mb(m.heapTotal),
      leads: emails.length,
      inReview,
      sent,
    };
    minutes.push(line);
    process.stdout.write(
      `${String(minute).padStart(6)}  ${line.rssMb.toFixed(1).padStart(6)}  ${line.heapUsedMb.toFixed(1).padStart(12)}  ` +
        `${line.heapTotalMb.toFixed(1).padStart(13)}  ${String(line.leads).padStart(5)}  ${String(inReview).padStart(9)}  ${String(sent).padStart(4)}\n`,
    );
  }
} finally {
  stopping = true;
  clearInterval(leads);
  clearInterval(reviewer);
  clearInterval(sampler);
  await child.stop();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const warmFromMs = Math.max(120_000, durationMs * WARM_SHARE);
const warm = samples.filter((s) => s.atMs >= warmFromMs);
const perMinute = slope(warm.map((s) => ({ x: s.atMs / 60_000, y: s.rssMb })));
const warmMinutes = warm.length > 1 ? (warm[warm.length - 1]!.atMs - warm[0]!.atMs) / 60_000 : 0;
const trendMb = Math.round(perMinute * warmMinutes * 10) / 10;
const flat = trendMb <= FLAT_MB;
const result = {
  date: new Date(started).toISOString(),
  node: process.version,
  durationMs,
  pollInterval: POLL_INTERVAL,
  leadEveryMs: LEAD_EVERY_MS,
  reviewAfterMs: REVIEW_AFTER_MS,
  modelLatencyMs,
  recipes: child.recipes,
  process: child.runs,
  minutes,
  rssSamples: samples,
  warmFromMs,
  rssTrendMbPerMinute: Math.round(perMinute * 1000) / 1000,
  rssTrendMbOverWarm: trendMb,
  flat,
  timeBase:
    'real: the Baton process alone (/proc VmRSS every 5 s; heap over IPC every minute, not collected)',
};
const out = fileURLToPath(new URL('../results/soak.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../results/', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
const sign = perMinute >= 0 ? '+' : '';
process.stdout.write(
  `\nRSS once warm (from minute ${Math.round(warmFromMs / 6000) / 10}): ${sign}${result.rssTrendMbPerMinute} MB/min, ` +
    `${sign}${trendMb} MB over ${Math.round(warmMinutes * 10) / 10} min — ${flat ? 'flat' : 'TRENDING UP'} ` +
    `(goal: no upward trend; ≤ ${FLAT_MB} MB reads as flat)\nresults in ${out}\n`,
);
