// A process using a data folder, for the lock tests.
// Usage: lock-worker.ts <dir> die     take the folder, then die by SIGKILL (a crashed Baton)
//        lock-worker.ts <dir> hold    take the folder and keep it until killed
//        lock-worker.ts <dir> race    on each SIGUSR1: try to take the folder, hold it a moment, let go
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFolderLockedError } from '../../src/engine/index.ts';
import { FileStore } from '../../src/store/index.ts';

const [dir, mode] = process.argv.slice(2) as [string, string];

if (mode === 'die') {
  await new FileStore({ dir }).open();
  process.kill(process.pid, 'SIGKILL');
}

if (mode === 'hold') {
  await new FileStore({ dir }).open();
  setInterval(() => undefined, 60_000);
  process.stdout.write('ready\n');
}

let round = 0;
async function attempt(n: number): Promise<void> {
  const store = new FileStore({ dir });
  try {
    await store.open();
  } catch (err) {
    if (!(err instanceof DataFolderLockedError)) throw err;
    process.stdout.write(`round ${n} busy\n`);
    return;
  }
  // A marker only one holder can create: finding it means two processes hold the folder at once.
  const inside = join(dir, 'inside');
  const marker = await open(inside, 'wx').catch(() => undefined);
  await new Promise((r) => setTimeout(r, 200));
  if (marker) {
    await marker.close();
    await rm(inside);
  }
  await store.close();
  process.stdout.write(`round ${n} ${marker ? 'got' : 'got TOGETHER WITH ANOTHER HOLDER'}\n`);
}

if (mode === 'race') {
  process.on('SIGUSR1', () => {
    void attempt(round++);
  });
  setInterval(() => undefined, 60_000);
  process.stdout.write('ready\n');
}
