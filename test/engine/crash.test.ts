// Crash safety with real processes: SIGKILL mid-run and mid-write.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../src/store/index.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const WORKER = 'test/fixtures/crash-worker.ts';

describe('a Baton process killed with SIGKILL', () => {
  it('after step 3 of 5: the next process runs steps 4 and 5 only, each step ran exactly once', async () => {
    const dir = await tempDir();
    const first = await finished(spawnTs(WORKER, [dir, 'steps']));
    expect(first.signal).toBe('SIGKILL');
    expect(await readFile(join(dir, 'calls.log'), 'utf8')).toBe('s1\ns2\ns3\n');

    const second = await finished(spawnTs(WORKER, [dir, 'steps']));
    expect(second.stderr).toBe('');
    expect(second.stdout).toContain('finished');
    expect(await readFile(join(dir, 'calls.log'), 'utf8')).toBe('s1\ns2\ns3\ns4\ns5\n');

    const store = new FileStore({ dir });
    await store.open();
    const [run] = await store.listRuns();
    expect(run?.status).toBe('done');
    expect(run?.journal.map((e) => e.id)).toEqual(['s1', 's2', 's3', 's4', 's5']);
    await store.close();
  });

  it('while it rewrites a run file: the file is always readable and the next start recovers', async () => {
    const dir = await tempDir();
    for (let round = 0; round < 5; round++) {
      const child = spawnTs(WORKER, [dir, 'churn']);
      const done = finished(child);
      await printed(child, 'ready');
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');

      // A reader that is not Baton (a backup, `cat`) sees whole JSON at every moment.
      const text = await readFile(join(dir, 'runs', 'churn-run.json'), 'utf8');
      expect(() => JSON.parse(text)).not.toThrow();

      // The next start takes over the dead process's lock and cleans up its temp files.
      const store = new FileStore({ dir });
      await store.open();
      const runs = await store.listRuns();
      expect(runs.map((r) => r.id)).toEqual(['churn-run']);
      expect((await readdir(join(dir, 'runs'))).filter((n) => !n.endsWith('.json'))).toEqual([]);
      await store.close();
    }
  });
});

describe('the data-folder lock', () => {
  it('refuses a second process, naming the pid that holds the folder', async () => {
    const dir = await tempDir();
    const holder = spawnTs(WORKER, [dir, 'hold']);
    const holderDone = finished(holder);
    await printed(holder, 'ready');
    const second = await finished(spawnTs(WORKER, [dir, 'hold']));
    expect(second.code).toBe(3);
    expect(second.stderr).toContain(`Data folder ${dir} is in use by pid ${holder.pid}`);
    expect(second.stderr).toContain('BATON_DATA_DIR');
    holder.kill('SIGKILL');
    await holderDone;
  });

  it('refuses a second store on the same folder in one process', async () => {
    const dir = await tempDir();
    const a = new FileStore({ dir });
    await a.open();
    await expect(new FileStore({ dir }).open()).rejects.toThrow(/already open in this process/);
    await a.close();
    const b = new FileStore({ dir });
    await expect(b.open()).resolves.toBeUndefined();
    await b.close();
  });
});
