// The `baton` command line (commander).
import { Command, Option } from 'commander';
import { loadHttpConfig, type RuntimeConfig } from '../config.ts';
import { BatonError, DataFolderLockedError } from '../engine/index.ts';
import { InstanceBusyError } from '../instances/index.ts';
import type { Logger } from '../log.ts';
import type { Baton } from '../runtime/baton.ts';
import { listRuns, retryRun, showRun } from './commands/runs.ts';
import { parsePort, runSandbox, startMode } from './commands/sandbox.ts';
import { startBaton, stopOnSignals } from './commands/start.ts';
import {
  buildRecipes,
  ConfigProblems,
  cliLogger,
  EXIT_BUSY,
  EXIT_CONFIG,
  loadDotenvFile,
  runtimeConfig,
} from './environment.ts';
import { openLlmSpend } from './llm-spend.ts';
import { openScaleOut } from './scale-out.ts';

const io = { out: (text: string) => process.stdout.write(`${text}\n`) };

export function program(): Command {
  const cli = new Command('baton')
    .description(
      'Self-hosted AI automation: sheet rows, cards and records in; pitches, drafts and review cards out.',
    )
    .showHelpAfterError();

  cli
    .command('start', { isDefault: true })
    .description('run every configured recipe: poll triggers, run recipes, resume waits (until SIGTERM)')
    .action(async () => {
      const config = runtimeConfig();
      const log = cliLogger(config);
      if (startMode(process.env) === 'sandbox') {
        const reason = 'No credentials are configured (no .env, or nothing set in it): starting the sandbox.';
        process.exitCode = await runSandbox({ reason }, config, log, io);
        return;
      }
      const scale = await openScaleOut(config, log);
      const spend = openLlmSpend({
        dataDir: config.dataDir,
        env: process.env,
        log,
        ...(scale ? { shared: scale.llmSpend } : {}),
      });
      const recipes = await buildRecipes(process.env, log, undefined, undefined, {
        llmSpend: spend,
        dataDir: config.dataDir,
        ...(scale ? { coordination: scale.recipes } : {}),
      });
      const baton = await refuseBusy(startBaton(config, recipes, log, scale), EXIT_CONFIG);
      if (baton) process.exitCode = await runUntilSignal(baton, config, log);
      await scale?.close();
    });

  cli
    .command('sandbox')
    .description(
      'try Baton with no accounts: emulated services, demo leads, an offline sample model, and a page on 127.0.0.1',
    )
    .option('--port <port>', 'port of the page on 127.0.0.1 (0 picks a free one)', parsePort, 8787)
    .option(
      '--data-dir <dir>',
      "where the sandbox's runs go, emptied at each start (default <BATON_DATA_DIR>/sandbox)",
    )
    .action(async (options: { port: number; dataDir?: string }) => {
      const config = runtimeConfig();
      process.exitCode = await runSandbox(options, config, cliLogger(config), io);
    });

  cli
    .command('run <recipe>')
    .description('run one recipe; with --once, one cycle (poll, run, resume due waits) then exit: for cron')
    .option('--once', 'one cycle, then exit (non-zero if anything failed to poll)')
    .option('--backfill', 'leads, pathway: also process records created before the recipe was first enabled')
    .action(async (recipe: string, options: { once?: boolean; backfill?: boolean }) => {
      // Records that predate the first start are left alone unless asked for (LEADS_BACKFILL, PATHWAY_BACKFILL).
      if (options.backfill)
        process.env[recipe === 'pathway' ? 'PATHWAY_BACKFILL' : 'LEADS_BACKFILL'] = 'true';
      const config = runtimeConfig();
      const log = cliLogger(config);
      // One cycle against Redis is refused (openBaton): the group's workers own the runs.
      const scale = options.once ? undefined : await openScaleOut(config, log);
      const spend = openLlmSpend({
        dataDir: config.dataDir,
        env: process.env,
        log,
        ...(scale ? { shared: scale.llmSpend } : {}),
      });
      const recipes = await buildRecipes(process.env, log, recipe, undefined, {
        llmSpend: spend,
        dataDir: config.dataDir,
        ...(scale ? { coordination: scale.recipes } : {}),
      });
      if (!options.once) {
        const baton = await refuseBusy(startBaton(config, recipes, log, scale), EXIT_CONFIG);
        if (baton) process.exitCode = await runUntilSignal(baton, config, log);
        await scale?.close();
        return;
      }
      const { runCycle } = await import('./commands/run-once.ts');
      const code = await refuseBusy(runCycle(config, recipes, recipe, log), EXIT_BUSY);
      if (code !== undefined) process.exitCode = code;
    });

  cli
    .command('runs')
    .description('list runs in the data folder')
    .addOption(
      new Option(
        '--status <statuses>',
        'only these statuses (comma-separated): queued, running, waiting, done, failed, cancelled',
      ),
    )
    .option('--recipe <name>', 'only runs of this recipe')
    .option('--json', 'machine-readable output')
    .action(async (options: { status?: string; recipe?: string; json?: boolean }) => {
      process.exitCode = await listRuns(runtimeConfig(), options, io);
    });

  cli
    .command('show <runId>')
    .description('one run: its steps, waits, errors and output')
    .option('--json', 'machine-readable output')
    .action(async (runId: string, options: { json?: boolean }) => {
      process.exitCode = await showRun(runtimeConfig(), runId, options, io);
    });

  cli
    .command('retry <runId>')
    .description('run a failed run again from its failed step (finished steps are not repeated)')
    .action(async (runId: string) => {
      process.exitCode = await retryRun(runtimeConfig(), runId, io);
    });

  cli
    .command('status')
    .description("pollers, runs by state, waits due, today's LLM tokens and cost (works while Baton runs)")
    .option('--json', 'machine-readable output')
    .action(async (options: { json?: boolean }) => {
      const { showStatus } = await import('./commands/status.ts');
      process.exitCode = await showStatus(runtimeConfig(), options, io);
    });

  cli
    .command('doctor')
    .description(
      'check the real configuration: accounts, sheet, board, model, data folder, port (exit 1 if not ready)',
    )
    .action(async () => {
      const { runDoctor } = await import('./commands/doctor.ts');
      process.exitCode = await runDoctor(process.env, io);
    });

  cli
    .command('setup [recipe...]')
    .description(
      'create what the recipes need and is missing: Airtable fields, Notion properties, Trello lists (every configured recipe when none is named; exit 1 if something needs you)',
    )
    .action(async (recipes: string[]) => {
      const config = runtimeConfig();
      const { runSetup } = await import('./commands/setup.ts');
      const err = (text: string) => process.stderr.write(`${text}\n`);
      process.exitCode = await runSetup(process.env, recipes, { ...io, err }, { log: cliLogger(config) });
    });

  cli
    .command('auth')
    .description('sign in to a service and print the lines to paste into .env')
    .command('google')
    .description('get GOOGLE_REFRESH_TOKEN for Sheets and Gmail (opens a consent page in your browser)')
    .option(
      '--port <port>',
      'loopback port for the redirect (default: any free one; fix it to tunnel over SSH)',
    )
    .action(async (options: { port?: string }) => {
      const { authGoogle } = await import('./commands/auth-google.ts');
      const port = options.port === undefined ? 0 : Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new BatonError(`--port ${options.port} is not a port number`, { hint: 'use 1024–65535' });
      process.exitCode = await authGoogle(process.env, io, { port });
    });

  return cli;
}

/**
 * Another live Baton works on a sheet or board this one would poll: says who, and exits `code` —
 * 78 for `start` (a supervisor must not restart-loop), 75 for `run --once` (busy: cron tries again).
 */
async function refuseBusy<T>(pending: Promise<T>, code: number): Promise<T | undefined> {
  try {
    return await pending;
  } catch (err) {
    if (!(err instanceof InstanceBusyError)) throw err;
    process.stderr.write(`✗ ${err.message}\n`);
    process.exitCode = code;
    return undefined;
  }
}

/** Serves status.json, /healthz and /metrics beside the running Baton until SIGTERM/SIGINT. */
async function runUntilSignal(baton: Baton, config: RuntimeConfig, log: Logger): Promise<number> {
  // Listen for SIGTERM before anything else can take time: a signal while the HTTP server starts
  // must stop Baton cleanly, not kill it.
  const stopped = stopOnSignals(baton, config, log);
  const http = loadHttpConfig(process.env);
  if (!http.ok) throw new ConfigProblems(http.problems);
  const { serveOps } = await import('./commands/ops.ts');
  const ops = await serveOps(baton, config.dataDir, http.config, log, config.shutdownGraceMs);
  const code = await stopped;
  await ops.close();
  return code;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  loadDotenvFile();
  try {
    await program().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigProblems) {
      process.stderr.write(
        `${err.message}:\n${err.problems.map((p) => `  ✗ ${p}`).join('\n')}\nSet these in .env (see .env.example) or the environment.\n`,
      );
      process.exitCode = EXIT_CONFIG;
    } else if (err instanceof DataFolderLockedError) {
      // Not a failure of this run: cron's next tick (or the supervisor's restart) tries again.
      process.stderr.write(`✗ Busy, try again later: ${err.message}\n`);
      process.exitCode = EXIT_BUSY;
    } else if (err instanceof BatonError) {
      process.stderr.write(`✗ ${err.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`✗ ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
