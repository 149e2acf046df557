// `baton runs`, `baton show`, `baton retry`: look at and mend runs in the store (the data folder,
// or Redis when BATON_REDIS_URL is set).
import type { RuntimeConfig } from '../../config.ts';
import { BatonError, RUN_STATUSES, type RunStatus } from '../../engine/index.ts';
import { describeStore, storeFor } from '../../runtime/configured-store.ts';
import type { Store } from '../../store/index.ts';
import { runDetails, runsTable } from '../format.ts';

export interface Output {
  out(text: string): void;
}

/** Runs `read` on the configured store opened read-only, and closes it (a Redis connection). */
async function withStore<T>(config: RuntimeConfig, read: (store: Store) => Promise<T>): Promise<T> {
  const store = storeFor(config);
  try {
    await store.open({ readOnly: true });
    return await read(store);
  } finally {
    await store.close();
  }
}

/** `./data` for the file store, `redis host:port` otherwise: where `No run` looked. */
function where(config: RuntimeConfig): string {
  return config.redis ? describeStore(config) : config.dataDir;
}

export async function listRuns(
  config: RuntimeConfig,
  options: { status?: string; recipe?: string; json?: boolean },
  io: Output,
): Promise<number> {
  const statuses = options.status?.split(',').map((s) => s.trim());
  const unknown = statuses?.filter((s) => !RUN_STATUSES.includes(s as RunStatus));
  if (unknown?.length)
    throw new BatonError(`Unknown status '${unknown.join(', ')}'`, {
      hint: `use ${RUN_STATUSES.join(', ')}`,
    });
  const runs = await withStore(config, (store) =>
    store.listRuns({
      ...(statuses ? { status: statuses as RunStatus[] } : {}),
      ...(options.recipe ? { recipe: options.recipe } : {}),
    }),
  );
  io.out(options.json ? JSON.stringify(runs, null, 2) : runsTable(runs));
  return 0;
}

export async function showRun(
  config: RuntimeConfig,
  runId: string,
  options: { json?: boolean },
  io: Output,
): Promise<number> {
  const run = await withStore(config, (store) => store.getRun(runId));
  if (!run)
    throw new BatonError(`No run ${runId} in ${where(config)}`, { hint: 'list runs with `baton runs`' });
  io.out(options.json ? JSON.stringify(run, null, 2) : runDetails(run));
  return 0;
}

/**
 * Queues a failed run again. When Baton is running it owns the data folder, so the request is left
 * for it (picked up within seconds); otherwise it takes effect at the next `start` or `run --once`.
 */
export async function retryRun(config: RuntimeConfig, runId: string, io: Output): Promise<number> {
  const run = await withStore(config, async (store) => {
    const found = await store.getRun(runId);
    if (!found)
      throw new BatonError(`No run ${runId} in ${where(config)}`, {
        hint: 'list failed runs with `baton runs --status failed`',
      });
    if (found.status !== 'failed' && found.status !== 'cancelled') {
      throw new BatonError(`Run ${runId} is ${found.status}, not failed`, {
        hint: 'only failed or cancelled runs can be retried',
      });
    }
    // Taken by whichever Baton process looks first (with Redis, any of them).
    await store.enqueueCommand({ kind: 'retry', runId });
    return found;
  });
  io.out(
    `Retry of ${runId} requested: it resumes from step '${failedStep(run.journal) ?? 'start'}' on Baton's next cycle.`,
  );
  return 0;
}

function failedStep(journal: { id: string; status: string }[]): string | undefined {
  return journal.find((e) => e.status === 'failed')?.id;
}
