// One `baton start` process of the scale-out bench, wired as the CLI wires itself with
// BATON_REDIS_URL (openScaleOut, the LLM ledger on the group's spend, startBaton with the group's
// coordination), running the pitch recipe against the scenario's emulator server. Limits are relaxed
// on both sides, so the backlog is bound by the emulated model latency, the figure scale-out is for.
// Usage: scale-worker.ts <emulatorServerUrl>   (BATON_* and the recipe's env in the environment)
import { buildPitch } from '../../recipes/pitch/setup.ts';
import { startBaton, stopOnSignals } from '../../src/cli/commands/start.ts';
import { runtimeConfig } from '../../src/cli/environment.ts';
import { openLlmSpend } from '../../src/cli/llm-spend.ts';
import { openScaleOut } from '../../src/cli/scale-out.ts';
import { systemClock } from '../../src/clock.ts';
import { createLogger } from '../../src/log.ts';
import { bridgeToEmulators } from '../../src/sandbox/bridge.ts';

const [serverUrl] = process.argv.slice(2) as [string];
bridgeToEmulators(serverUrl);
const config = runtimeConfig(process.env);
const log = createLogger({ level: config.logLevel, pretty: false, destination: process.stderr });
const scale = await openScaleOut(config, log);
if (!scale) throw new Error('the scale-out bench worker needs BATON_REDIS_URL');
const llmSpend = openLlmSpend({ dataDir: config.dataDir, env: process.env, log, shared: scale.llmSpend });
const pitch = buildPitch(
  {
    env: process.env as Record<string, string>,
    log,
    clock: systemClock,
    dataDir: config.dataDir,
    llmSpend,
    coordination: scale.recipes,
  },
  { limits: 'relaxed', claimSettleMs: 0, pollIntervalMs: config.pollIntervalMs },
);
const baton = await startBaton(config, [pitch], log, scale);
process.stdout.write('started\n');
const code = await stopOnSignals(baton, config, log);
await scale.close();
process.exit(code);
