// Persistence of runs and cursors.
export { FileStore, type FileStoreOptions, isFolder } from './file-store.ts';
export type { RunFilter, Store, StoreCommand } from './store.ts';
