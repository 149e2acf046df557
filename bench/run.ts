// `npm run bench [-- --quick] [-- --only backlog,idle] [-- --model-latency-ms 1500]`: runs each scenario
// in its own process, prints the table and writes bench/results/latest.json. Never fails on a figure:
// exit 1 only when a scenario itself breaks. `npm run bench -- --soak 10m`: the real-time soak alone
// (bench/results/soak.json), not part of the table. `npm run bench -- --workers 3`: scale-out
// throughput, 1 worker vs 3 on one Redis (scenarios/scale.ts), not part of the table either.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_LATENCY_MS } from './lib/system.ts';
import { printTable } from './report.ts';

/** Run order: the cheap real-time ones first, the long simulated backlog last. */
const SCENARIOS = ['startup', 'idle', 'latency', 'cards', 'memory', 'backlog'] as const;
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'model-latency-ms': { type: 'string', default: String(DEFAULT_MODEL_LATENCY_MS) },
    soak: { type: 'string' },
    workers: { type: 'string' },
  },
});
if (values.workers !== undefined) {
  // Scale-out (`--workers 3`): real-time, with redis-server and worker processes, never part of the table.
  const latency = process.argv.some((a) => a.startsWith('--model-latency-ms'))
    ? values['model-latency-ms']
    : '2000'; // the figure: a backlog bound by a 2 s model
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      here('./scenarios/scale.ts'),
      '--workers',
      values.workers,
      '--model-latency-ms',
      latency,
    ],
    { stdio: 'inherit' },
  );
  process.exit(await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1))));
}
if (values.soak !== undefined) {
  // The soak prints its own minutes and verdict; it is long and real-time, so never part of the table.
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      here('./scenarios/soak.ts'),
      '--duration',
      values.soak,
      '--model-latency-ms',
      values['model-latency-ms'],
    ],
    { stdio: 'inherit' },
  );
  process.exit(await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1))));
}
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((name) => !(SCENARIOS as readonly string[]).includes(name)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')} (have: ${SCENARIOS.join(', ')})\n`);
  process.exit(2);
}
const chosen = SCENARIOS.filter((name) => !only || only.includes(name));
const passOn = [...(values.quick ? ['--quick'] : []), '--model-latency-ms', values['model-latency-ms']];

function runOne(name: string, out: string): Promise<number> {
  // --expose-gc: the backlog scenario collects garbage before it reads RSS "after".
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', here(`./scenarios/${name}.ts`), '--out', out, ...passOn],
    { stdio: 'inherit' },
  );
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

/** Merges one scenario's figures into the results (the memory figures come from two scenarios). */
function merge(into: Record<string, unknown>, part: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(part)) {
    const current = into[key];
    into[key] =
      current && typeof current === 'object' && value && typeof value === 'object'
        ? { ...current, ...value }
        : value;
  }
}

const started = performance.now();
const results: Record<string, unknown> = {
  node: process.version,
  cores: cpus().length,
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 1024 ** 3),
  loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  quick: values.quick,
  modelLatencyMs: Number(values['model-latency-ms']),
  scenarios: {} as Record<string, { wallSeconds: number; ok: boolean }>,
};
const scratch = join(tmpdir(), `baton-bench-${process.pid}`);
mkdirSync(scratch, { recursive: true });
let failed = 0;
for (const name of chosen) {
  process.stderr.write(`bench: ${name}…\n`);
  const out = join(scratch, `${name}.json`);
  const from = performance.now();
  const code = await runOne(name, out);
  const ok = code === 0;
  if (ok) merge(results, JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>);
  else failed++;
  (results.scenarios as Record<string, unknown>)[name] = {
    wallSeconds: Math.round((performance.now() - from) / 100) / 10,
    ok,
  };
}
rmSync(scratch, { recursive: true, force: true });
results.wallSeconds = Math.round((performance.now() - started) / 100) / 10;

const file = here(only ? './results/partial.json' : './results/latest.json');
mkdirSync(here('./results'), { recursive: true });
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(
  `\nBaton bench — node ${results.node}, ${results.cores} cores, ${results.date}` +
    `${values.quick ? ', --quick (reduced sizes: figures indicative only)' : ''}, model latency ${results.modelLatencyMs} ms\n\n`,
);
printTable(results);
process.stdout.write(`\n${results.wallSeconds} s wall; results in ${file}\n`);
if (failed > 0) {
  process.stderr.write(`bench: ${failed} scenario(s) broke (see above)\n`);
  process.exit(1);
}
