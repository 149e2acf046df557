// Clean shutdown: running steps may finish within the grace period; overrunning steps are aborted
// and run again after the next start, their results never half-recorded.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRecipe } from '../../src/engine/index.ts';
import { Baton } from '../../src/runtime/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

function slowRecipe(ms: number, log: string[]) {
  return defineRecipe({
    name: 'slow',
    input: z.unknown(),
    retry: { initialDelayMs: 1, maxDelayMs: 1 },
    async run(_, ctx) {
      await ctx.step('work', ({ signal }) => {
        log.push('started');
        return new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => {
            log.push('finished');
            resolve('ok');
          }, ms);
          signal.addEventListener('abort', () => {
            clearTimeout(timer);
            log.push('aborted');
            reject(signal.reason);
          });
        });
      });
    },
  });
}

describe('Baton.stop', () => {
  it('lets a running step finish within the grace period and records it', async () => {
    const dir = await tempDir();
    const log: string[] = [];
    const baton = new Baton({ store: new FileStore({ dir }), recipes: [slowRecipe(100, log)] });
    await baton.open();
    const { runId } = await baton.engine.submit('slow', 'k', {});
    await new Promise((r) => setTimeout(r, 20));
    await baton.stop(2000);
    expect(log).toEqual(['started', 'finished']);
    const store = new FileStore({ dir });
    await store.open({ readOnly: true });
    expect((await store.getRun(runId))?.status).toBe('done');
  });

  it('aborts a step that overruns the grace period; the next start runs it again', async () => {
    const dir = await tempDir();
    const log: string[] = [];
    const first = new Baton({ store: new FileStore({ dir }), recipes: [slowRecipe(10_000, log)] });
    await first.open();
    const { runId } = await first.engine.submit('slow', 'k', {});
    await new Promise((r) => setTimeout(r, 20));
    await first.stop(50);
    expect(log).toEqual(['started', 'aborted']);

    const second = new Baton({ store: new FileStore({ dir }), recipes: [slowRecipe(10, log)] });
    await second.open();
    await second.runOnce();
    expect(log).toEqual(['started', 'aborted', 'started', 'finished']);
    expect((await second.store.getRun(runId))?.status).toBe('done');
    await second.stop();
  });
});
