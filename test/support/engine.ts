// An engine over a real store (a file store in a temp folder unless the test file selected Redis,
// see store-kit.ts), with a manual clock.
import { ManualClock } from '../../src/clock.ts';
import { Engine, type Recipe } from '../../src/engine/index.ts';
import type { Store } from '../../src/store/index.ts';
import { storeAt } from './store-kit.ts';

export interface TestEngine {
  engine: Engine;
  store: Store;
  clock: ManualClock;
  /** Closes this engine's store and opens a new engine over the same place: a process restart. */
  restart(recipes?: Recipe[]): Promise<TestEngine>;
  close(): Promise<void>;
}

export async function openTestEngine(
  dir: string,
  recipes: Recipe[],
  options: {
    clock?: ManualClock;
    concurrency?: number;
    groupConcurrency?: Record<string, number>;
  } = {},
): Promise<TestEngine> {
  const clock = options.clock ?? new ManualClock();
  const store = storeAt(dir);
  await store.open();
  const engine = new Engine({
    store,
    recipes,
    clock,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.groupConcurrency ? { groupConcurrency: options.groupConcurrency } : {}),
  });
  await engine.load();
  const self: TestEngine = {
    engine,
    store,
    clock,
    async restart(next = recipes) {
      await engine.stop(0);
      await store.close();
      return openTestEngine(dir, next, { ...options, clock });
    },
    async close() {
      await engine.stop(0);
      await store.close();
    },
  };
  return self;
}
