// The measured Baton: a `baton start` in its own process (compiled, as `npm start` runs it), built
// the way the CLI builds it — every shipped recipe the environment configures, the LLM ledger, the
// runtime configuration from BATON_* variables, the ops endpoints — with the sandbox bridge routing the real SDKs to
// the emulator server of the parent (BENCH_EMULATORS_URL), as `baton sandbox` does. Only this
// process's memory is Baton's: the emulators and their state live in the parent.
//
// IPC, child → parent: `ready` (recipes built), `first-poll` (every trigger polled once), `idle`
// (memory a moment later), `memory` (answer to a request). Parent → child: `{ kind: 'memory', gc }`,
// `{ kind: 'poll' }` (poll now), `'stop'` (or `{ kind: 'stop' }`).
import { performance } from 'node:perf_hooks';
import { type RecipeEnvironment, shippedRecipes } from '../../recipes/index.ts';
import { startBaton } from '../../src/cli/commands/start.ts';
import { buildRecipes, ConfigProblems, runtimeConfig } from '../../src/cli/environment.ts';
import { openLlmSpend } from '../../src/cli/llm-spend.ts';
import { loadHttpConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { bridgeToEmulators } from '../../src/sandbox/bridge.ts';

const QUIET_MS = 2000;

export type ParentMessage =
  | 'stop'
  | { kind: 'stop' }
  | { kind: 'poll' }
  /** `gc`: collect garbage first (needs --expose-gc), for a reading that is not the heap's whim. */
  | { kind: 'memory'; gc?: boolean };

export interface MemoryReading {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

export type ChildMessage =
  | { kind: 'ready'; recipes: string[]; sinceProcessStartMs: number }
  | { kind: 'started'; sinceProcessStartMs: number }
  /** `firstAnyMs`: when the first trigger had polled (process start → that moment). */
  | { kind: 'first-poll'; sinceProcessStartMs: number; firstAnyMs: number; errors: string[] }
  | ({ kind: 'idle' } & MemoryReading)
  | ({ kind: 'memory' } & MemoryReading);

const send = (message: ChildMessage) => process.send?.(message);
const url = process.env.BENCH_EMULATORS_URL;
if (!url) throw new Error('BENCH_EMULATORS_URL is not set: run this through a bench scenario');

const reading = (): MemoryReading => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
};

// Before any SDK client is built: some capture fetch when constructed.
const bridge = bridgeToEmulators(url);
const config = runtimeConfig();
const log = createLogger({ level: config.logLevel, pretty: false });
const spend = openLlmSpend({ dataDir: config.dataDir, env: process.env, log });
// BENCH_RELAXED_LIMITS (memory.ts only): the emulators' limits are lifted, so are the clients' rate
// budgets — the backlog then runs as fast as this process can work, not at Sheets' 60 reads a minute.
const factories = process.env.BENCH_RELAXED_LIMITS
  ? shippedRecipes.map((f) => ({
      ...f,
      create: (environment: RecipeEnvironment) => f.create({ ...environment, tuning: { limits: 'relaxed' } }),
    }))
  : shippedRecipes;
// BENCH_ONLY_RECIPE (startup.ts): one recipe, as `baton start --recipe` (or an .env configuring only it) would run.
const recipes = await buildRecipes(process.env, log, process.env.BENCH_ONLY_RECIPE, factories, {
  llmSpend: spend,
  dataDir: config.dataDir,
});
send({ kind: 'ready', recipes: recipes.map((r) => r.name), sinceProcessStartMs: performance.now() });
const baton = await startBaton(config, recipes, log);
// Started: the data folder opened, the instance announced on every source, unfinished runs loaded.
send({ kind: 'started', sinceProcessStartMs: performance.now() });
// As `baton start` does: the ops endpoints (/healthz, /metrics) on BATON_HTTP_PORT.
const http = loadHttpConfig(process.env);
if (!http.ok) throw new ConfigProblems(http.problems);
const { serveOps } = await import('../../src/cli/commands/ops.ts');
const ops = await serveOps(baton, config.dataDir, http.config, log, config.shutdownGraceMs);

let firstAnyMs: number | undefined;
const timer = setInterval(() => {
  const polled = baton.pollerStates().map((s) => s.polls > 0 || s.consecutiveErrors > 0);
  if (polled.some(Boolean)) firstAnyMs ??= performance.now();
  if (!polled.every(Boolean)) return;
  clearInterval(timer);
  const errors = baton
    .pollerStates()
    .filter((s) => s.lastError)
    .map((s) => String(s.lastError));
  const now = performance.now();
  send({ kind: 'first-poll', sinceProcessStartMs: now, firstAnyMs: firstAnyMs ?? now, errors });
  setTimeout(() => send({ kind: 'idle', ...reading() }), QUIET_MS);
}, 1);

process.on('message', async (message: ParentMessage) => {
  const kind = typeof message === 'string' ? message : message.kind;
  if (kind === 'poll') baton.pollSoon();
  else if (kind === 'memory') {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (typeof message === 'object' && 'gc' in message && message.gc && gc) gc();
    send({ kind: 'memory', ...reading() });
  } else if (kind === 'stop') {
    await baton.stop();
    await ops.close();
    bridge.close();
    process.exit(0);
  }
});
