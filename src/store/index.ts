// Persistence of runs and cursors.
export { FileStore, type FileStoreOptions, isFolder } from './file-store.ts';
export { RedisStore, type RedisStoreOptions } from './redis-store.ts';
export type { RunFilter, Store, StoreCommand } from './store.ts';
