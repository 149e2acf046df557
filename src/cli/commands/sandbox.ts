// `baton sandbox`, and what `baton start` does when nothing is configured: the zero-account sandbox.
import { join } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { type RecipeFactory, shippedRecipes } from '../../../recipes/index.ts';
import { PITCH_MARKERS, PitchEnv } from '../../../recipes/pitch/config.ts';
import type { RuntimeConfig } from '../../config.ts';
import { BatonError } from '../../engine/index.ts';
import type { Logger } from '../../log.ts';
import { ConfigProblems } from '../environment.ts';

/** Every variable the pitch recipe reads: setting any of them means a real setup is meant. */
const PITCH_VARIABLES = Object.keys(PitchEnv.shape);

/**
 * What `baton start` runs. 'sandbox' only when nothing is configured: no shipped recipe is configured
 * and none of the pitch recipe's variables is set. 'real' when a recipe is configured; a wrong or
 * missing value is then an error from the real start, never a quiet fall-back to the sandbox.
 * @throws ConfigProblems when variables are set but no recipe is configured (an unfinished setup).
 */
export function startMode(
  env: NodeJS.ProcessEnv,
  factories: readonly RecipeFactory[] = shippedRecipes,
): 'sandbox' | 'real' {
  if (factories.some((f) => f.configured(env))) return 'real';
  const set = PITCH_VARIABLES.filter((name) => (env[name] ?? '').trim() !== '');
  if (set.length === 0) return 'sandbox';
  throw new ConfigProblems([
    `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set, but no recipe is configured: set ${PITCH_MARKERS.join(', ')} for the pitch recipe (see .env.example), or run \`baton sandbox\` to try Baton without accounts`,
  ]);
}

export interface SandboxCommandOptions {
  port?: number;
  dataDir?: string;
  /** Why the sandbox starts when it was not asked for by name (printed above the banner). */
  reason?: string;
}

/**
 * Runs the sandbox until SIGTERM/SIGINT, then stops it cleanly; returns the exit code. Its runs go
 * to `<BATON_DATA_DIR>/sandbox` unless `dataDir` says otherwise, never into the real data folder.
 * @throws BatonError when the port is taken, the folder is not a sandbox's, or msw is not installed.
 */
export async function runSandbox(
  options: SandboxCommandOptions,
  config: RuntimeConfig,
  log: Logger,
  io: { out: (text: string) => void },
): Promise<number> {
  const { startSandbox } = await import('../../sandbox/run.ts').catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new BatonError(`The sandbox cannot start: ${err.message}`, {
      hint: 'it needs the development dependencies (msw): run `npm install` (not --omit=dev)',
    });
  });
  if (options.reason) io.out(options.reason);
  const sandbox = await startSandbox({
    ...(options.port !== undefined ? { port: options.port } : {}),
    dataDir: options.dataDir ?? join(config.dataDir, 'sandbox'),
    log,
    print: io.out,
  });
  const signal = await untilSignal();
  log.info({ signal }, 'stopping the sandbox');
  await sandbox.stop();
  return 0;
}

/** commander parser for `--port`. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535 (0 picks a free one)');
  }
  return port;
}

/** Resolves on the first SIGTERM/SIGINT; a second one exits at once. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first = true;
    // `on`, not `once`: our listener must stay registered while the signal is delivered, or
    // signal-exit (write-file-atomic's cleanup) sees itself alone and re-raises the signal.
    const onSignal = (signal: NodeJS.Signals) => {
      if (!first) process.exit(130);
      first = false;
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
