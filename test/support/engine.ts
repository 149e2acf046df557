// An engine over a real file store in a temp folder, with a manual clock.
import { ManualClock } from '../../src/clock.ts';
import { Engine, type Recipe } from '../../src/engine/index.ts';
import { FileStore } from '../../src/store/index.ts';

export interface TestEngine {
  engine: Engine;
  store: FileStore;
  clock: ManualClock;
  /** Closes this engine's store and opens a new engine over the same folder: a process restart. */
  restart(recipes?: Recipe[]): Promise<TestEngine>;
  close(): Promise<void>;
}

export async function openTestEngine(
  dir: string,
  recipes: Recipe[],
  options: { clock?: ManualClock; concurrency?: number } = {},
): Promise<TestEngine> {
  const clock = options.clock ?? new ManualClock();
  const store = new FileStore({ dir });
  await store.open();
  const engine = new Engine({
    store,
    recipes,
    clock,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
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
