// The parts of the engine's scale-out mode that need no engine state: queuing a run's next
// execution, delivering a signal to runs any process may have loaded, and handing held signals to
// a wait. The engine calls them when it has a dispatcher (see README "Several processes").
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Store } from '../store/store.ts';
import type { Dispatcher } from './dispatcher.ts';
import { type RunRecord, wakeKeys } from './run-record.ts';

export interface SharedDeps {
  store: Store;
  dispatcher: Dispatcher;
  clock: Clock;
}

/**
 * Queues the run's next execution to match its state. Job names follow the state, so queuing it
 * again (another process, a restart) does nothing while the first is pending.
 */
export async function enqueueDue({ dispatcher, clock }: SharedDeps, run: RunRecord): Promise<void> {
  if (run.status === 'queued' || run.status === 'running') await dispatcher.enqueue(run.id);
  else if (run.status === 'waiting' && run.inbox.length > 0)
    await dispatcher.enqueue(run.id, { tag: `s${run.updatedAt}` });
  else if (run.status === 'waiting' && run.wake?.at !== undefined)
    await dispatcher.enqueue(run.id, { delayMs: run.wake.at - clock.now(), tag: `w${run.wake.at}` });
}

/**
 * `signal` over a shared store: delivered under each waiting run's lock, wherever it was loaded;
 * returns the runs it reached. When none could take it (none waits yet, or each is executing
 * somewhere), it is held for a minute, for a run about to wait for it (as one process holds it).
 */
export async function signalShared(deps: SharedDeps, key: string, payload: unknown): Promise<RunRecord[]> {
  const { store, dispatcher: d, clock } = deps;
  const at = clock.now();
  const reached: RunRecord[] = [];
  for (const id of await d.waitingOn(key)) {
    const done = await d.withRunLock(id, async () => {
      const run = await store.getRun(id);
      if (run?.status !== 'waiting' || !run.wake || !wakeKeys(run.wake).includes(key)) return undefined;
      run.inbox.push({ key, payload, at, waitId: run.wake.stepId });
      run.updatedAt = at;
      await store.saveRun(run);
      return run;
    });
    if (!done.locked || !done.value) continue;
    reached.push(done.value);
    await d.enqueue(id, { tag: `s${at}` });
  }
  if (reached.length > 0) return reached;
  await d.holdSignal({ id: randomUUID(), key, payload, at });
  // A run may have started waiting since the look above: it takes the signal under its lock.
  for (const id of await d.waitingOn(key)) await d.enqueue(id, { tag: `h${at}` });
  return [];
}

/**
 * Hands the signals held for the wait the run is suspended in, those that arrived at or after
 * `since`, to that wait, and saves the run; false when there were none (nothing saved). Each held
 * signal goes to one run. Call it holding the run's lock.
 */
export async function takeHeldSignals(deps: SharedDeps, run: RunRecord, since: number): Promise<boolean> {
  const wake = run.status === 'waiting' ? run.wake : undefined;
  const stepId = wake?.stepId;
  if (stepId === undefined) return false;
  let taken = 0;
  for (const key of wakeKeys(wake)) {
    for (const s of await deps.dispatcher.heldSignals(key)) {
      if (s.at < since || !(await deps.dispatcher.takeHeldSignal(s))) continue;
      run.inbox.push({ key, payload: s.payload, at: s.at, waitId: stepId });
      taken++;
    }
  }
  if (taken === 0) return false;
  run.updatedAt = deps.clock.now();
  await deps.store.saveRun(run);
  return true;
}
