// `baton runs`, `baton show`, `baton retry`: look at and mend runs in the data folder.
import type { RuntimeConfig } from '../../config.ts';
import { BatonError, RUN_STATUSES, type RunStatus } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';
import { runDetails, runsTable } from '../format.ts';

export interface Output {
  out(text: string): void;
}

async function readStore(config: RuntimeConfig): Promise<FileStore> {
  const store = new FileStore({ dir: config.dataDir });
  await store.open({ readOnly: true });
  return store;
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
  const store = await readStore(config);
  const runs = await store.listRuns({
    ...(statuses ? { status: statuses as RunStatus[] } : {}),
    ...(options.recipe ? { recipe: options.recipe } : {}),
  });
  io.out(options.json ? JSON.stringify(runs, null, 2) : runsTable(runs));
  return 0;
}

export async function showRun(
  config: RuntimeConfig,
  runId: string,
  options: { json?: boolean },
  io: Output,
): Promise<number> {
  const store = await readStore(config);
  const run = await store.getRun(runId);
  if (!run)
    throw new BatonError(`No run ${runId} in ${config.dataDir}`, { hint: 'list runs with `baton runs`' });
  io.out(options.json ? JSON.stringify(run, null, 2) : runDetails(run));
  return 0;
}

/**
 * Queues a failed run again. When Baton is running it owns the data folder, so the request is left
 * for it (picked up within seconds); otherwise it takes effect at the next `start` or `run --once`.
 */
export async function retryRun(config: RuntimeConfig, runId: string, io: Output): Promise<number> {
  const store = await readStore(config);
  const run = await store.getRun(runId);
  if (!run)
    throw new BatonError(`No run ${runId} in ${config.dataDir}`, {
      hint: 'list failed runs with `baton runs --status failed`',
    });
  if (run.status !== 'failed' && run.status !== 'cancelled') {
    throw new BatonError(`Run ${runId} is ${run.status}, not failed`, {
      hint: 'only failed or cancelled runs can be retried',
    });
  }
  await store.enqueueCommand({ kind: 'retry', runId });
  io.out(
    `Retry of ${runId} requested: it resumes from step '${failedStep(run.journal) ?? 'start'}' on Baton's next cycle.`,
  );
  return 0;
}

function failedStep(journal: { id: string; status: string }[]): string | undefined {
  return journal.find((e) => e.status === 'failed')?.id;
}
