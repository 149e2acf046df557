// One Baton process per data folder: a lock file holding the owner's pid and host.
import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { DataFolderLockedError } from '../engine/errors.ts';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Creates `path` exclusively. If it exists and names a live process on this host, refuses with that
 * pid; a lock left by a dead process (a crash, SIGKILL) is taken over. (proper-lockfile was the
 * library candidate, but it records no pid, which the error message needs.)
 */
export async function acquireLock(path: string, folder: string): Promise<() => Promise<void>> {
  const absolute = resolve(path);
  if (heldHere.has(absolute)) {
    throw new DataFolderLockedError(
      `Data folder ${folder} is already open in this process (pid ${process.pid})`,
      {
        hint: 'open one store per data folder',
      },
    );
  }
  const release = await takeLock(path, folder);
  heldHere.add(absolute);
  return async () => {
    heldHere.delete(absolute);
    await release();
  };
}

/** Locks held by this process: a pid in the file equal to ours means a crashed predecessor (containers reuse pid 1), not us. */
const heldHere = new Set<string>();

async function takeLock(path: string, folder: string): Promise<() => Promise<void>> {
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(me));
      await handle.sync();
      await handle.close();
      return async () => {
        const owner = await readOwner(path);
        if (owner?.pid === me.pid && owner.host === me.host) await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readOwner(path);
    if (owner && owner.host !== me.host) {
      throw new DataFolderLockedError(
        `Data folder ${folder} is locked by Baton on host ${owner.host} (pid ${owner.pid})`,
        {
          hint: `stop that process, or delete ${path} if it is gone`,
        },
      );
    }
    if (owner && owner.pid !== me.pid && isAlive(owner.pid)) {
      throw new DataFolderLockedError(
        `Another Baton process (pid ${owner.pid}) is using data folder ${folder}`,
        {
          hint: 'stop it first, or set BATON_DATA_DIR to another folder',
        },
      );
    }
    // Stale (dead owner, or unreadable half-written lock): remove and try again.
    await rm(path, { force: true });
  }
  throw new DataFolderLockedError(`Could not take the lock ${path}`, {
    hint: 'check the folder permissions',
  });
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? (parsed as LockOwner)
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
