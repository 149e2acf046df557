// Which store the engine and store tests run against. The file store by default; a conformance
// file selects Redis (`useRedisStores`) and then imports the same test files, so one suite of
// scenarios covers both implementations of the Store contract.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { FileStore, RedisStore, type Store } from '../../src/store/index.ts';
import { type TestRedis, useRedis } from './redis.ts';

interface StoreKit {
  readonly name: 'file' | 'redis';
  /** A fresh, empty place for a store: a temp folder, or a key prefix on the test's Redis. */
  place(): Promise<string>;
  /** A new (unopened) store over `place`; a second one over the same place is a restarted process. */
  storeAt(place: string): Store;
}

let selected: StoreKit | undefined;

/**
 * Makes this test file's stores Redis ones (a redis-server of its own, a key prefix per test).
 * Call at the top of the file, before the test files it imports run their tests.
 */
export function useRedisStores(): TestRedis {
  const redis = useRedis();
  selected = {
    name: 'redis',
    place: async () => `test-${randomUUID()}:`,
    storeAt: (prefix) => new RedisStore({ url: redis.url, prefix }),
  };
  return redis;
}

/** The kind of store this file's tests use. */
export function storeKind(): 'file' | 'redis' {
  return selected?.name ?? 'file';
}

/** A fresh place per call (removed after the test when it is a folder). Call at the top of the file. */
export function useStorePlaces(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  return async () => {
    if (selected) return selected.place();
    const dir = await mkdtemp(join(tmpdir(), 'baton-test-'));
    made.push(dir);
    return dir;
  };
}

/** A new store over `place` (from `useStorePlaces`), of the selected kind. */
export function storeAt(place: string): Store {
  return selected ? selected.storeAt(place) : new FileStore({ dir: place });
}
