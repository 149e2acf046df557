// A `baton start` in a child process for the start-up scenario: the same start code as the CLI, with
// the sandbox bridge routing the real SDKs to the parent's emulator server (BENCH_EMULATORS_URL).
// Tells the parent (IPC) when every trigger has polled once, then its RSS after a quiet moment.
import { performance } from 'node:perf_hooks';
import { startBaton } from '../../src/cli/commands/start.ts';
import { buildRecipes, runtimeConfig } from '../../src/cli/environment.ts';
import { createLogger } from '../../src/log.ts';
import { bridgeToEmulators } from '../../src/sandbox/bridge.ts';

const QUIET_MS = 2000;

const send = (message: Record<string, unknown>) => process.send?.(message);
const url = process.env.BENCH_EMULATORS_URL;
if (!url) throw new Error('BENCH_EMULATORS_URL is not set: run this through bench/scenarios/startup.ts');

const bridge = bridgeToEmulators(url);
const config = runtimeConfig();
const log = createLogger({ level: config.logLevel, pretty: false });
const baton = await startBaton(config, await buildRecipes(process.env, log), log);

const timer = setInterval(() => {
  if (!baton.pollerStates().every((s) => s.polls > 0 || s.consecutiveErrors > 0)) return;
  clearInterval(timer);
  const errors = baton
    .pollerStates()
    .filter((s) => s.lastError)
    .map((s) => s.lastError);
  send({ kind: 'first-poll', sinceProcessStartMs: performance.now(), errors });
  setTimeout(
    () => send({ kind: 'idle', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed }),
    QUIET_MS,
  );
}, 1);

process.on('message', async () => {
  await baton.stop();
  bridge.close();
  process.exit(0);
});
