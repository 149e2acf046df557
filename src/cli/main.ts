// The `baton` command line (commander).
import { Command, Option } from 'commander';
import { BatonError } from '../engine/index.ts';
import { listRuns, retryRun, showRun } from './commands/runs.ts';
import { startBaton, stopOnSignals } from './commands/start.ts';
import {
  buildRecipes,
  ConfigProblems,
  cliLogger,
  EXIT_CONFIG,
  loadDotenvFile,
  runtimeConfig,
} from './environment.ts';

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
      const baton = await startBaton(config, await buildRecipes(process.env, log), log);
      process.exitCode = await stopOnSignals(baton, config, log);
    });

  cli
    .command('run <recipe>')
    .description('run one recipe; with --once, one cycle (poll, run, resume due waits) then exit: for cron')
    .option('--once', 'one cycle, then exit (non-zero if anything failed to poll)')
    .action(async (recipe: string, options: { once?: boolean }) => {
      const config = runtimeConfig();
      const log = cliLogger(config);
      const recipes = await buildRecipes(process.env, log, recipe);
      if (!options.once) {
        const baton = await startBaton(config, recipes, log);
        process.exitCode = await stopOnSignals(baton, config, log);
        return;
      }
      const { runCycle } = await import('./commands/run-once.ts');
      process.exitCode = await runCycle(config, recipes, recipe, log);
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

  return cli;
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
