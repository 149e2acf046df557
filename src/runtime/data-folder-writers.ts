// Files beside the runs that their owners write lazily (the Airtable call count): a stopping Baton
// flushes them before it lets go of the data folder, so nothing writes there after `stop`.
const flushes = new Set<() => Promise<void>>();

/** Registers `flush`, called by every `Baton.stop` before the data folder is released. */
export function flushOnStop(flush: () => Promise<void>): void {
  flushes.add(flush);
}

/** Runs every registered flush; one that fails does not stop the others. */
export async function flushDataFolderWriters(): Promise<void> {
  await Promise.allSettled([...flushes].map((flush) => flush()));
}
