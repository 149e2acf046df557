// `baton start` (and `baton run <recipe>` without --once): poll, run and wait until SIGTERM/SIGINT.
import type { RuntimeConfig } from '../../config.ts';
import { BatonError, type Recipe } from '../../engine/index.ts';
import type { Logger } from '../../log.ts';
import { Baton, describeStore, dispatcherFor, storeFor } from '../../runtime/index.ts';
import type { Coordination } from '../../scale/index.ts';
import { EXIT_CONFIG } from '../environment.ts';

/**
 * A Baton over the configured data folder, opened: lock taken, the instance announced on the sheets
 * and boards it polls (one Baton per sheet/board), unfinished runs loaded. With BATON_REDIS_URL set,
 * instances sharing that Redis are one Baton (the scale-out mode) and coordinate there instead:
 * runs, cursors and commands live in Redis, and `dispatch` (the long-running `start`) takes runs
 * from the shared BullMQ queues.
 * @throws DataFolderBusyError, InstanceBusyError (another live instance on a source); BatonError
 *   for one cycle (`dispatch` false) against Redis, where other processes may be running the runs.
 */
export async function openBaton(
  config: RuntimeConfig,
  recipes: Recipe[],
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
  options: { dispatch?: boolean; scale?: Coordination } = {},
): Promise<Baton> {
  const scaledOut = config.redis !== undefined || (env.BATON_REDIS_URL ?? '').trim() !== '';
  if (config.redis && !options.dispatch) {
    throw new BatonError('`baton run --once` cannot run against BATON_REDIS_URL', {
      hint: 'with Redis, runs belong to the `baton start` workers: start one, or unset BATON_REDIS_URL',
    });
  }
  const unknown = Object.keys(config.groupConcurrency ?? {}).filter(
    (n) => !recipes.some((r) => r.name === n),
  );
  if (unknown.length > 0) {
    throw new BatonError(
      `BATON_GROUP_CONCURRENCY names ${unknown.map((n) => `'${n}'`).join(', ')}, not a configured recipe`,
      {
        hint: `configured recipes: ${recipes.map((r) => r.name).join(', ') || 'none'}`,
      },
    );
  }
  const store = storeFor(config, log);
  const dispatcher = options.dispatch ? dispatcherFor(config, store, log) : undefined;
  const { scale } = options;
  const baton = new Baton({
    // A group of processes on one Redis is one Baton: its members accept each other on a source,
    // and still refuse an instance outside the group.
    ...(!scaledOut
      ? { instance: { dataDir: config.dataDir } }
      : scale
        ? { instance: { dataDir: config.dataDir, group: scale.group }, pollGate: scale.pollGate }
        : {}),
    store,
    ...(dispatcher ? { dispatcher } : {}),
    recipes,
    log,
    pollIntervalMs: config.pollIntervalMs,
    concurrency: config.concurrency,
    ...(config.groupConcurrency ? { groupConcurrency: config.groupConcurrency } : {}),
    retentionMs: config.retentionMs,
  });
  await baton.open();
  return baton;
}

export async function startBaton(
  config: RuntimeConfig,
  recipes: Recipe[],
  log: Logger,
  scale?: Coordination,
): Promise<Baton> {
  const baton = await openBaton(config, recipes, log, process.env, {
    dispatch: true,
    ...(scale ? { scale } : {}),
  });
  baton.start();
  log.info(`store: ${describeStore(config)}`);
  log.info(
    { recipes: recipes.map((r) => r.name), dataDir: config.dataDir, pollIntervalMs: config.pollIntervalMs },
    recipes.length > 0 ? 'Baton started' : 'Baton started with no recipes configured (see .env.example)',
  );
  return baton;
}

/**
 * Stops cleanly on SIGTERM or SIGINT (exit 0); a second signal exits at once. When another live
 * instance takes over this one's sources (its heartbeat had gone stale), stops too: exit 78, so
 * systemd does not start it again.
 */
export function stopOnSignals(baton: Baton, config: RuntimeConfig, log: Logger): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    void baton.displaced.then((err) => {
      if (stopping) return;
      stopping = true;
      process.stderr.write(`✗ ${err.message}\n`);
      baton.stop(config.shutdownGraceMs).then(
        () => resolve(EXIT_CONFIG),
        () => resolve(EXIT_CONFIG),
      );
    });
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn('second signal: exiting now');
        process.exit(130);
      }
      stopping = true;
      log.info({ signal, graceMs: config.shutdownGraceMs }, 'stopping: finishing running steps');
      baton.stop(config.shutdownGraceMs).then(
        () => {
          log.info('stopped');
          resolve(0);
        },
        (err) => {
          log.error({ err: (err as Error).message }, 'unclean stop');
          resolve(1);
        },
      );
    };
    // `on`, not `once`: our listener must stay registered while the signal is delivered, or
    // signal-exit (write-file-atomic's cleanup during a write) sees itself alone and re-raises it.
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
