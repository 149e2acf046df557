// One Baton process per data folder: a lock two starters can never both win, even when both take
// over the lock of a process that died.
//
// The lock is a folder of numbered generations (`lock/1.json`, `lock/2.json`, …). Each generation
// is created whole with link() from a written temp file, which fails if that number exists: so
// every number has exactly one creator and is never seen half-written. The highest generation
// decides: a live owner means busy; a dead owner or a release marker lets starters race for the
// next number, and link() gives it to one of them. Nobody deletes the highest generation, so no
// starter can remove a lock another one has just taken (the old unlink-then-create could).
import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { BatonError, DataFolderLockedError } from '../engine/errors.ts';
import { safeJson } from './json.ts';

/** The owner refreshes its generation's mtime this often, so others can tell it still runs. */
const HEARTBEAT_MS = 30_000;
/**
 * A lock not refreshed for this long is stale even when its pid is alive or unknowable: a pid reused
 * after a container restart, or a container recreated under a new hostname.
 */
export const STALE_AFTER_MS = 5 * 60_000;

const OwnerSchema = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.string() });
type LockOwner = z.infer<typeof OwnerSchema>;
const ReleasedSchema = z.object({ released: z.literal(true) });

/** Another process holds the data folder; `pid` and `host` say which. */
export class DataFolderBusyError extends DataFolderLockedError {
  constructor(
    message: string,
    readonly pid: number,
    readonly host: string,
    hint: string,
  ) {
    super(message, { hint });
  }
}

/** Locks held by this process: a pid in the lock equal to ours means a crashed predecessor (containers reuse pid 1), not us. */
const heldHere = new Set<string>();

/**
 * Takes the lock folder `dir` for this process, or throws DataFolderBusyError naming the owner.
 * `legacy` is the single-file lock of earlier versions, still honoured while its process lives.
 * Returns the release function.
 */
export async function acquireLock(
  dir: string,
  folder: string,
  options: { legacy?: string } = {},
): Promise<() => Promise<void>> {
  const absolute = resolve(dir);
  if (heldHere.has(absolute)) {
    throw new DataFolderLockedError(
      `Data folder ${folder} is already open in this process (pid ${process.pid})`,
      { hint: 'open one store per data folder' },
    );
  }
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  if (options.legacy) await checkLegacy(options.legacy, folder, me);
  heldHere.add(absolute);
  try {
    const generation = await takeGeneration(dir, folder, me);
    const heartbeat = setInterval(() => {
      const now = new Date();
      utimes(generation, now, now).catch(() => undefined);
    }, HEARTBEAT_MS);
    heartbeat.unref();
    return async () => {
      clearInterval(heartbeat);
      try {
        // A folder removed while held (a test's temp dir, a wiped sandbox) has nothing to release.
        await release(dir, generation).catch((err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') throw err;
        });
      } finally {
        heldHere.delete(absolute);
      }
    };
  } catch (err) {
    heldHere.delete(absolute);
    throw err;
  }
}

async function takeGeneration(dir: string, folder: string, me: LockOwner): Promise<string> {
  await mkdir(dir, { recursive: true });
  const temp = await writeTemp(dir, JSON.stringify(me));
  try {
    for (let tries = 0; tries < 100; tries++) {
      const top = await highest(dir);
      if (top > 0) {
        const state = await inspect(join(dir, fileOf(top)), me, false);
        if (state === 'gone') continue;
        if (state !== 'takeable') throw busy(state, folder, join(dir, fileOf(top)));
      }
      const mine = join(dir, fileOf(top + 1));
      try {
        await link(temp, mine);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
          throw new BatonError(
            `Cannot lock data folder ${folder}: its filesystem does not support hard links (${code})`,
            {
              hint: 'put BATON_DATA_DIR on a local disk or a volume that does (ext4, xfs, APFS, NFS)',
              cause: err,
            },
          );
        }
        throw err;
      }
      // A starter that read an old listing can only have won a number below the top: step back.
      if ((await highest(dir)) > top + 1) {
        await rm(mine, { force: true });
        continue;
      }
      await removeOlder(dir, top + 1);
      return mine;
    }
  } finally {
    await rm(temp, { force: true });
  }
  throw new DataFolderLockedError(`Could not take the lock in ${dir}: too many processes contend for it`, {
    hint: 'start one Baton per data folder',
  });
}

/** Marks the folder free with the next generation (unless someone already took over), then drops ours. */
async function release(dir: string, generation: string): Promise<void> {
  const top = await highest(dir);
  if (join(dir, fileOf(top)) === generation) {
    const temp = await writeTemp(dir, JSON.stringify({ released: true }));
    await link(temp, join(dir, fileOf(top + 1))).catch(() => undefined);
    await rm(temp, { force: true });
  }
  // Ours is no longer the highest now, so removing it cannot free the folder for two starters.
  await rm(generation, { force: true });
}

type Verdict = 'takeable' | 'gone' | LockOwner;

/** Whether the lock file at `file` can be taken over, or who holds it. */
async function inspect(file: string, me: LockOwner, legacy: boolean): Promise<Verdict> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, { mtimeMs }] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  const json = safeJson(text);
  if (ReleasedSchema.safeParse(json).success) return 'takeable';
  const owner = OwnerSchema.safeParse(json);
  // Generations are never half-written, so an unreadable one is damage, not a starter mid-write.
  if (!owner.success) return 'takeable';
  const { pid, host } = owner.data;
  const quiet = Date.now() - mtimeMs > STALE_AFTER_MS;
  if (host !== me.host) return quiet ? 'takeable' : owner.data;
  if (pid === me.pid || !isAlive(pid)) return 'takeable';
  // Earlier versions did not refresh their lock: their age says nothing.
  return quiet && !legacy ? 'takeable' : owner.data;
}

async function checkLegacy(file: string, folder: string, me: LockOwner): Promise<void> {
  const state = await inspect(file, me, true);
  if (state === 'gone') return;
  if (state !== 'takeable') throw busy(state, folder, file);
  await rm(file, { force: true });
}

function busy(owner: LockOwner, folder: string, file: string): DataFolderBusyError {
  if (owner.host !== hostname()) {
    return new DataFolderBusyError(
      `Data folder ${folder} is in use by pid ${owner.pid} on host ${owner.host} (another Baton process)`,
      owner.pid,
      owner.host,
      `stop that process; if that host is gone, the lock counts as stale ${STALE_AFTER_MS / 60_000} minutes after its last heartbeat (or delete ${file})`,
    );
  }
  return new DataFolderBusyError(
    `Data folder ${folder} is in use by pid ${owner.pid} (another Baton process, started ${owner.startedAt})`,
    owner.pid,
    owner.host,
    'stop it first, or set BATON_DATA_DIR to another folder',
  );
}

async function highest(dir: string): Promise<number> {
  let top = 0;
  for (const name of await readdir(dir)) {
    const n = generationOf(name);
    if (n !== undefined && n > top) top = n;
  }
  return top;
}

/** Removes generations below `mine`, and temp files a killed starter left (older than a minute). */
async function removeOlder(dir: string, mine: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const n = generationOf(name);
    if (n !== undefined && n < mine) await rm(join(dir, name), { force: true });
    if (n === undefined && name.endsWith('.tmp')) {
      const age = Date.now() - ((await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? Date.now());
      if (age > 60_000) await rm(join(dir, name), { force: true });
    }
  }
}

async function writeTemp(dir: string, content: string): Promise<string> {
  const temp = join(dir, `.${process.pid}-${randomUUID()}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

function fileOf(generation: number): string {
  return `${generation}.json`;
}

function generationOf(name: string): number | undefined {
  const match = /^(\d+)\.json$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
